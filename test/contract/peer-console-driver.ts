import { PassThrough, Writable } from 'node:stream';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { createDesk, type Desk } from '../../src/core/desk.js';
import { loadConfig } from '../../src/config/config.js';
import { createMemoryLogger } from '../../src/logger.js';
import { FakeClock } from '../../src/ports.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { Recording } from '../fakes/recording.js';
import { testDatabase } from '../support/database.js';
import { NO_BUTTON, PEER_CONTRACT_YAML, within, type PeerDriver } from './peer-driver.js';

const ASKER = 'requester';
const HELPER = 'olga';
const DEADLINE_MS = 5_000;

/**
 * The console as `npm start` runs it: the real console adapter reading `<user>: <text>` lines and
 * printing everything it posts, in front of the real core. `/ask` posts the question in `#peer`,
 * `Q1 text` writes in its thread (the adapter numbers the line: "message m2"), and `/mark m2` is
 * the console's "Mark as solution". The console has no buttons: an offer's "Open the ticket anyway"
 * is the command printed beside it.
 *
 * A line is done when the adapter shows its prompt again: it does that after the line was handled
 * and the outbox drained (or after it printed why the line failed), so nothing here waits on time.
 */
export async function startConsolePeerDriver(): Promise<PeerDriver> {
  const config = loadConfig({ text: PEER_CONTRACT_YAML, env: {} });
  const db = await testDatabase();
  await migrateToLatest(db);
  const clock = new FakeClock(Date.parse('2024-06-03T09:00:00Z'));
  const input = new PassThrough();
  /** Every chunk the adapter printed, in order; `> ` is its prompt. */
  const printed: string[] = [];
  const prompts = new Recording<number>();
  const output = new Writable({
    write(chunk: Buffer, _enc, done) {
      const text = chunk.toString();
      printed.push(text);
      if (text === '> ') prompts.add(prompts.all.length + 1);
      done();
    },
  });
  const peerChannel = config.peer.channels.console?.[0];
  if (peerChannel === undefined) throw new Error('the contract config has no console peer channel');
  // As `npm start` wires it: the outbox is drained after each line, before the next prompt.
  const ref: { desk?: Desk } = {};
  const adapter = createConsoleAdapter({
    input,
    output,
    now: () => clock.now(),
    prompt: true,
    peerChannel,
    afterLine: async () => ref.desk?.dispatcher.drain(),
  });
  const desk = (ref.desk = createDesk({ db, config, clock, logger: createMemoryLogger(), adapters: [adapter], dispatcher: { random: () => 0.5 } }));
  await desk.start();
  const seen = () => `The console printed:\n${printed.join('')}`;
  await within(
    DEADLINE_MS,
    'the first prompt',
    prompts.waitFor('the first prompt', (n) => n === 1),
    seen,
  );

  let lines = 0;
  /** `user` types `text`; returns what was printed while it was handled, chunk by chunk. */
  async function type(user: string, text: string): Promise<string[]> {
    const from = printed.length;
    const prompt = ++lines + 1;
    input.write(`${user}: ${text}\n`);
    await within(
      DEADLINE_MS,
      `the line "${user}: ${text}"`,
      prompts.waitFor(`the prompt after line ${lines}`, (n) => n === prompt),
      seen,
    );
    return printed.slice(from).filter((c) => c !== '> ');
  }
  const dedent = (lines_: string[]) =>
    lines_
      .map((l) => l.replace(/^ {2}/, ''))
      .join('\n')
      .trimEnd();
  /** What tierdesk answered `user` (only them), or the `!` line that refused the input. */
  const answerTo = (user: string, chunks: string[]): string | undefined => {
    for (const c of chunks) {
      const [head = '', ...rest] = c.split('\n');
      if (head === `← to ${user} (only them):`) return dedent(rest);
      if (head.startsWith('! ')) return head.slice(2);
    }
    return undefined;
  };
  const say = async (user: string, text: string) => answerTo(user, await type(user, text));
  const onlyTo = (user: string, chunks: string[]) => chunks.some((c) => c.startsWith(`← to ${user} (only them):`));

  /** The helper's answers, by question: the number the console printed for them (m7). */
  const answers = new Map<number, string>();
  /** The question cards' titles (`Q1: …`): the console names a thread after its parent's title. */
  const titles = new Map<number, string>();

  return {
    platform: 'console',
    gesture: 'menu',
    askerName: ASKER,
    helperName: HELPER,
    async ask(question) {
      const chunks = await type(ASKER, `/ask ${question}`);
      const answer = answerTo(ASKER, chunks);
      const number = Number(/^Question Q(\d+) posted/.exec(answer ?? '')?.[1]);
      if (!Number.isInteger(number)) throw new Error(`no question posted: ${answer}`);
      const card = chunks.find((c) => c.startsWith(`→ #${peerChannel}:\n  Q${number}: `));
      if (card) titles.set(number, card.split('\n')[1]!.trim());
      return { number, answer };
    },
    async answer(n, text) {
      const chunks = await type(HELPER, `Q${n} ${text}`);
      const id = chunks.map((c) => new RegExp(`^→ #${peerChannel} › Q${n}: ${HELPER} \\(message (m\\d+)\\):`).exec(c)?.[1]).find(Boolean);
      if (!id) throw new Error(`the console printed no message number for the answer: ${chunks.join('')}`);
      answers.set(n, id);
      return answerTo(HELPER, chunks);
    },
    async markSolution(n) {
      const id = answers.get(n);
      if (!id) throw new Error(`Q${n} has no answer to mark`);
      return say(ASKER, `/mark ${id}`);
    },
    helpers: (period) => say(ASKER, `/helpers ${period}`),
    kbSearch: (words) => say(ASKER, `/kb search ${words}`),
    async newTicket(title) {
      const chunks = await type(ASKER, `/ticket new ${title}`);
      const text = answerTo(ASKER, chunks) ?? '';
      // The console prints a card's buttons as their command twins: `Actions: [Label] /command  [Label] /command`.
      const actions = text.split('\n').find((l) => l.startsWith('Actions: ')) ?? '';
      const buttons = [...actions.matchAll(/\[([^\]]+)\] (\/[^[]*?)(?=\s{2}\[|$)/g)];
      return {
        text,
        onlyToAsker: onlyTo(ASKER, chunks),
        buttons: buttons.map((b) => b[1]!),
        async openAnyway() {
          const command = buttons.find((b) => b[1] === 'Open the ticket anyway')?.[2];
          if (!command) return NO_BUTTON;
          return say(ASKER, command);
        },
      };
    },
    threadSaw(n) {
      const title = titles.get(n);
      const heads = [
        `→ #${peerChannel} › Q${n}: `,
        ...(title ? [`→ #${peerChannel} › thread "${title}"`, `✎ #${peerChannel} › thread "${title}"`] : []),
      ];
      return printed.filter((c) => heads.some((h) => c.startsWith(h))).map((c) => dedent(c.split('\n').slice(1)));
    },
    whereIs: (n) => ({ question: `the thread of Q${n} in #${peerChannel}`, answer: undefined }),
    labels: () => [], // the console has no labels: its threads are lines of text
    db,
    async close() {
      input.end();
      await desk.stop();
      prompts.close(seen);
      await db.destroy();
    },
  };
}
