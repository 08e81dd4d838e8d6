import type { Card, ChatAdapter, Inbound, OutboundFile, Person, Place, Reply, ThreadLabel } from '../../src/ports.js';

export interface Recorded {
  id: string;
  place: Place;
  card: Card;
  /** Every version of the card, oldest first. */
  versions: Card[];
}

/**
 * A chat platform that records what the bot sends, like Hubot's dummy adapter. It can be told to
 * fail the next calls, to exercise the dispatcher's retries.
 */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'console' as const;
  readonly messages: Recorded[] = [];
  /** Errors to throw from the next post/edit calls, in order. */
  readonly failures: Error[] = [];
  /** Errors to throw from the next post/edit calls to one channel, in order (deliveries run side by side). */
  readonly failuresIn = new Map<string, Error[]>();

  private nextFailure(place: Place): Error | undefined {
    return this.failuresIn.get(place.channel)?.shift() ?? this.failures.shift();
  }
  private seq = 0;

  async start(_deliver: (event: Inbound) => Promise<Reply | void>): Promise<void> {}
  async stop(): Promise<void> {}

  async post(place: Place, card: Card) {
    const failure = this.nextFailure(place);
    if (failure) throw failure;
    const id = `m${++this.seq}`;
    this.messages.push({ id, place, card, versions: [card] });
    return { messageId: id, place };
  }

  async edit(place: Place, messageId: string, card: Card) {
    const failure = this.nextFailure(place);
    if (failure) throw failure;
    const m = this.messages.find((x) => x.id === messageId);
    if (!m) throw new Error(`edit of unknown message ${messageId}`);
    m.card = card;
    m.versions.push(card);
  }

  /** Labels put on peer threads, in order: the thread (root message id) and the label. */
  readonly labels: Array<{ thread: string; label: ThreadLabel }> = [];
  /** Platform groups granted, in order. */
  readonly grants: Array<{ person: string; group: string }> = [];

  async labelThread(place: Place, label: ThreadLabel): Promise<void> {
    this.labels.push({ thread: place.thread ?? '', label });
  }

  async grantGroup(person: Person, group: string): Promise<void> {
    this.grants.push({ person: person.id, group });
  }

  /** Files uploaded, in order (their cards are recorded as messages too). */
  readonly files: Array<{ place: Place; file: OutboundFile; card: Card }> = [];

  async upload(place: Place, file: OutboundFile, card: Card): Promise<void> {
    const failure = this.nextFailure(place);
    if (failure) throw failure;
    this.files.push({ place, file, card });
    this.messages.push({ id: `m${++this.seq}`, place, card, versions: [card] });
  }

  async openDirect(person: { id: string; space: string }): Promise<Place> {
    return { platform: 'console', space: person.space, channel: `dm:${person.id}` };
  }
}
