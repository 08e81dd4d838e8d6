import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Card, ChatAdapter, Inbound, Person, Place, Reply } from '../../src/ports.js';
import { parseConsoleLine } from './parse-line.js';

export interface ConsoleAdapterOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  now: () => number;
  /** Run after each line, before the next is read (the composition root drains the outbox here). */
  afterLine?: () => Promise<void>;
  /** Called once at end of input, after the last line was handled. */
  onEnd?: () => void;
  /** Show a `> ` prompt (interactive terminals). */
  prompt?: boolean;
  /** The console's peer-support channel (config `peer.channels.console`): `Q3 text` lines are written there. */
  peerChannel?: string;
}

export const CONSOLE_SPACE = 'local';
const HERE: Place = { platform: 'console', space: CONSOLE_SPACE, channel: 'console' };

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');

interface PeerMessage {
  author: Person;
  text: string;
  question: number;
  place: Place;
}

/** What the console knows of peer threads while it turns a line into an event. */
interface PeerThreads {
  lineNo: number;
  messages: Map<string, PeerMessage>;
  channel: string | undefined;
  out: (text: string) => Promise<void>;
}

type ParsedLine = Exclude<ReturnType<typeof parseConsoleLine>, { kind: 'blank' } | { kind: 'invalid' }>;

/**
 * The event a typed line stands for: a command, a message in a ticket's or a peer question's thread,
 * or `/mark m7` (a peer message marked as the solution); else the line saying what to type instead.
 */
async function eventOfLine(parsed: ParsedLine, base: Omit<Inbound, 'kind'> & { place: Place }, peer: PeerThreads): Promise<Inbound | string> {
  if (parsed.kind === 'command' && parsed.name === 'mark') {
    // `/mark m7`: "Mark as solution" on a message written in a peer question's thread.
    const ref = parsed.text.trim().replace(/^m/i, '');
    const said = peer.messages.get(`m${ref}`);
    if (!said) return `There is no message m${ref || '?'} in a question's thread. Messages written with "Q<N> text" get a number (m7) to mark.`;
    const about = { id: `m${ref}`, author: said.author, text: said.text };
    return { ...base, place: said.place, kind: 'action', action: 'peer.solution', value: String(said.question), about };
  }
  if (parsed.kind === 'command') return { ...base, kind: 'command', name: parsed.name, text: parsed.text };
  if (parsed.ticket !== undefined) return { ...base, kind: 'message', text: parsed.text, ticket: parsed.ticket };
  if (parsed.question !== undefined && peer.channel !== undefined) {
    const id = `m${peer.lineNo}`;
    const place: Place = { ...HERE, channel: peer.channel };
    peer.messages.set(id, { author: base.from, text: parsed.text, question: parsed.question, place });
    await peer.out(`→ #${peer.channel} › Q${parsed.question}: ${parsed.user} (message ${id}):\n${indent(parsed.text)}`);
    return { ...base, place, kind: 'message', text: parsed.text, question: parsed.question, id };
  }
  return `To write in a ticket's conversation, start with its number: ${parsed.user}: #1 <text>${peer.channel !== undefined ? `; in a peer question's thread: ${parsed.user}: Q1 <text>` : ''}. /help lists the commands.`;
}

/**
 * A chat in the terminal: every input line is `<user>: <text>`; every message the bot sends is
 * printed with its destination (channel, thread, or DM) and its plain-text rendering.
 */
export function createConsoleAdapter(options: ConsoleAdapterOptions): ChatAdapter {
  const session = randomUUID().slice(0, 8);
  const titles = new Map<string, string>();
  let seq = 0;
  /** Messages written in peer threads, by the number shown for them (m7), so `/mark m7` can name one. */
  const peerMessages = new Map<string, PeerMessage>();
  let lineNo = 0;
  let stopped = false;
  // Resolves once the text is handed to the OS, so a message counts as delivered only when it is.
  const out = (text: string) =>
    new Promise<void>((resolve, reject) => {
      options.output.write(text.endsWith('\n') ? text : `${text}\n`, (err) => (err ? reject(err) : resolve()));
    });

  const where = (place: Place): string => {
    const base = place.channel.startsWith('dm:') ? `DM to ${place.channel.slice(3)}` : `#${place.channel}`;
    if (place.thread === undefined) return base;
    // Message ids carry their card's title, so a thread is named even after a restart.
    return `${base} › thread "${titles.get(place.thread) ?? place.thread.slice(place.thread.indexOf(':') + 1)}"`;
  };

  async function handle(deliver: (e: Inbound) => Promise<Reply | void>, raw: string): Promise<void> {
    lineNo++;
    const parsed = parseConsoleLine(raw);
    if (parsed.kind === 'blank') return;
    if (parsed.kind === 'invalid') return out(`! ${parsed.reason}`);
    const from: Person = { platform: 'console', space: CONSOLE_SPACE, id: parsed.user, name: parsed.user };
    const base = { key: `console:${session}:${lineNo}`, at: options.now(), from, place: HERE };
    const event = await eventOfLine(parsed, base, { lineNo, messages: peerMessages, channel: options.peerChannel, out });
    if (typeof event === 'string') return out(`! ${event}`);
    const reply = await deliver(event);
    if (reply) await out(`← to ${parsed.user} (only them):\n${indent(reply.text)}`);
  }

  let reader: ReturnType<typeof createInterface> | undefined;
  /** The line being handled (and its deliveries), which stopping lets finish. */
  let current: Promise<void> = Promise.resolve();
  /** Stop reading at once: the line under way finishes; no further line is read, however many are piped. */
  const stopReading = async () => {
    stopped = true;
    reader?.close();
    await current;
  };

  return {
    platform: 'console',
    async start(deliver) {
      const rl = (reader = createInterface({ input: options.input, terminal: false }));
      const ask = () => options.prompt && !stopped && options.output.write('> ');
      void (async () => {
        ask();
        for await (const line of rl) {
          if (stopped) break;
          current = (async () => {
            try {
              await handle(deliver, line);
              await options.afterLine?.();
            } catch (err) {
              await out(`! ${err instanceof Error ? err.message : String(err)}`);
            }
          })();
          await current;
          // Piped lines are read and handled in microtasks only: yield a turn of the event loop between
          // them, so a signal (SIGTERM) is heard after this line rather than after the whole input.
          await new Promise((resolve) => setImmediate(resolve));
          ask();
        }
        options.onEnd?.();
      })();
    },
    stopReceiving: stopReading,
    stop: stopReading,
    async post(place, card: Card) {
      const messageId = `${session}.${++seq}:${card.title.slice(0, 80)}`;
      titles.set(messageId, card.title);
      await out(`→ ${where(place)}:\n${indent(card.fallback)}`);
      return { messageId, place };
    },
    async edit(place, messageId, card: Card) {
      titles.set(messageId, card.title);
      await out(`✎ ${where(place)} (updated):\n${indent(card.fallback)}`);
    },
    async upload(place, file, card: Card) {
      // A terminal has nowhere to put a file: say it was attached; nothing is written to disk.
      const size = Buffer.byteLength(file.content, 'utf8');
      await out(`→ ${where(place)}:\n${indent(card.fallback)}\n  📎 ${file.name} (${size.toLocaleString('en-US')} bytes) attached`);
    },
    async openDirect(person) {
      return { platform: 'console', space: person.space, channel: `dm:${person.id}` };
    },
  };
}
