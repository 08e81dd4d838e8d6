import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The platform side of an intake bench, in a process of its own (a chat platform is another machine
 * in real life): start `script` (a .ts file beside this one) and wait for its messages by type.
 */
export function startLoadProcess(script: string): { child: ChildProcess; next: <T>(type: string) => Promise<T> } {
  // BENCH_FAKE_CPU_PROF=dir: a V8 CPU profile of the platform side too (what the fake and generator cost).
  const profile = process.env.BENCH_FAKE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_FAKE_CPU_PROF}`] : [];
  const child = fork(fileURLToPath(new URL(script, import.meta.url)), {
    execArgv: ['--import', 'tsx', ...profile],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Structured clone: tens of thousands of request bodies and ack times cross cheaply.
    serialization: 'advanced',
  });
  const next = <T>(type: string) =>
    new Promise<T>((resolve) => {
      const on = (m: { type: string }) => {
        if (m.type !== type) return;
        child.off('message', on);
        resolve(m as T);
      };
      child.on('message', on);
    });
  return { child, next };
}
