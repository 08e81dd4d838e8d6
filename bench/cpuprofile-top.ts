/**
 * `npx tsx bench/cpuprofile-top.ts file.cpuprofile [n]`: the top frames of a V8 CPU profile (from
 * `node --cpu-prof`, e.g. BENCH_CPU_PROF=dir on a bench) by self time and by total time, in percent of
 * the busy samples (idle ones left out: a bench's profile spans start-up and quiet spells). Frames are
 * grouped by function, file and line.
 */
import { readFileSync } from 'node:fs';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: Node[];
  samples: number[];
}

const [file, n = '25'] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: cpuprofile-top.ts <file.cpuprofile> [n]\n');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const label = (node: Node) => {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url.replace(/^file:\/\/.*?\/(node_modules|src|adapters|bench)\//, '$1/');
  return `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
};
const self = new Map<string, number>();
const total = new Map<string, number>();
const busy = profile.samples.filter((id) => byId.get(id)!.callFrame.functionName !== '(idle)');
for (const id of busy) {
  const leaf = byId.get(id)!;
  self.set(label(leaf), (self.get(label(leaf)) ?? 0) + 1);
  // Count each frame once per sample, however often it recurs in the stack.
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const l = label(byId.get(at)!);
    if (seen.has(l)) continue;
    seen.add(l);
    total.set(l, (total.get(l) ?? 0) + 1);
  }
}
const all = busy.length;
const top = (m: Map<string, number>) =>
  [...m.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, Number(n))
    .map(([l, c]) => `${((100 * c) / all).toFixed(1).padStart(5)}%  ${l}`)
    .join('\n');
process.stdout.write(`${all} busy samples of ${profile.samples.length}\n\nself\n${top(self)}\n\ntotal\n${top(total)}\n`);
