/** Requests acknowledged as queued under load (migration 2026-12-08-51; queries in src/store/inbound-queue.ts). */
export interface InboundQueueTable {
  /** The inbound event's idempotency key: a platform's retry of a queued request is kept once. */
  key: string;
  platform: string;
  /** The Inbound event as JSON, without its raw payload. */
  event: string;
  /** The adapter's own note of where the late answer goes (a response_url, an interaction token). */
  answer_to: string;
  queued_at: number;
  /** Not run before then: after its acknowledgement has gone out, or while a run of it is leased. */
  next_at: number;
}
