/**
 * `npm run bench`: every performance figure, one JSON object per line:
 *   {"name": "core.open_ticket_per_s", "value": 8123, "unit": "tickets/s"}
 * `npm run bench -- core` runs only the suites whose name starts with an argument; `=intake` runs
 * only the suite named exactly so (not intake-floor, intake-discord, intake-pg).
 */
type Emit = (name: string, value: number, unit: string) => void;

const SUITES: Record<string, () => Promise<{ run: (emit: Emit) => Promise<void> }>> = {
  core: () => import('./core.js'),
  sla: () => import('./sla.js'),
  scheduler: () => import('./scheduler.js'),
  oncall: () => import('./oncall.js'),
  intake: () => import('./intake-slack.js'),
  // The bare-Bolt floor tierdesk's Slack intake is measured against (same load process and fake).
  'intake-floor': () => import('./intake-slack-floor.js'),
  'intake-discord': () => import('./intake-discord.js'),
  'intake-pg': () => import('./intake-pg.js'),
  scale: () => import('./scale.js'),
  kb: () => import('./kb.js'),
  export: () => import('./export.js'),
  web: () => import('./web.js'),
};

const emit: Emit = (name, value, unit) => process.stdout.write(`${JSON.stringify({ name, value, unit })}\n`);
const wanted = process.argv.slice(2);

for (const [name, load] of Object.entries(SUITES)) {
  if (wanted.length > 0 && !wanted.some((w) => (w.startsWith('=') ? name === w.slice(1) : name.startsWith(w)))) continue;
  try {
    const suite = await load();
    await suite.run(emit);
  } catch (err) {
    process.stderr.write(`bench suite ${name} failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
