import type { LoadDone } from './intake-slack-load.js';
import { startLoadProcess } from './load-process.js';

const SIGNING_SECRET = 'bench-secret';

/**
 * Slack's side of the Slack intake benches (tierdesk's and the bare-Bolt floor's, so both are measured
 * the same way): the fake Web API (bench/fake-slack-process.ts) and the load generator
 * (bench/intake-slack-load.ts), each in a process of its own.
 */
export async function startSlackSide(): Promise<{
  apiUrl: string;
  /** Fires `rate × seconds` signed `/ticket new` commands at `url`; the bodies are built first, off the clock. */
  load(url: string, rate: number, seconds: number, tag: string): Promise<LoadDone>;
  /** The cards the fake accepted in `channel`. */
  cards(channel: string): Promise<number>;
  stop(): void;
}> {
  const fake = startLoadProcess('./fake-slack-process.ts');
  const generator = startLoadProcess('./intake-slack-load.ts');
  const { apiUrl } = await fake.next<{ apiUrl: string }>('ready');
  return {
    apiUrl,
    async load(url, rate, seconds, tag) {
      const answer = fake.next<{ bodies: string[] }>('bodies');
      fake.child.send({ type: 'bodies', count: rate * seconds, tag });
      const { bodies } = await answer;
      const done = generator.next<LoadDone>('done');
      generator.child.send({ type: 'load', url, rate, bodies, secret: SIGNING_SECRET });
      return done;
    },
    async cards(channel) {
      const answer = fake.next<{ count: number }>('cards');
      fake.child.send({ type: 'cards', channel });
      return (await answer).count;
    },
    stop() {
      fake.child.send({ type: 'stop' });
      generator.child.send({ type: 'stop' });
    },
  };
}
