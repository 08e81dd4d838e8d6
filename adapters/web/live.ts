/**
 * Server-Sent Events: each open dashboard hears, after every commit, the numbers of the changed
 * tickets it may see (agents and leads: any; a requester: their own), and refreshes itself.
 */
import type { ServerResponse } from 'node:http';
import { ticketFromRow } from '../../src/capabilities/tickets/ticket-model.js';
import type { Core } from '../../src/core/work.js';
import { ticketsByNumbers } from '../../src/store/web.js';
import type { Viewer } from './viewer.js';

interface Listener {
  res: ServerResponse;
  viewer: Viewer;
}

export class LiveHub {
  private readonly listeners = new Set<Listener>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly core: Core) {
    // A comment line now and then keeps proxies from closing an idle stream.
    this.heartbeat = setInterval(() => this.listeners.forEach((l) => l.res.write(': keep-alive\n\n')), 25_000);
    this.heartbeat.unref();
  }

  get size(): number {
    return this.listeners.size;
  }

  open(res: ServerResponse, viewer: Viewer): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 3000\n\n');
    const l = { res, viewer };
    this.listeners.add(l);
    res.on('close', () => this.listeners.delete(l));
  }

  /** Tell every open dashboard which of `tickets` it may see changed. */
  async changed(tickets: readonly number[]): Promise<void> {
    if (this.listeners.size === 0) return;
    const requesters = [...this.listeners].filter((l) => !l.viewer.staff);
    const rows = requesters.length > 0 ? await ticketsByNumbers(this.core.db, tickets) : [];
    for (const l of this.listeners) {
      const seen = l.viewer.staff
        ? [...tickets]
        : rows
            .map(ticketFromRow)
            .filter((t) => this.core.directory.samePerson(t.requester, l.viewer.actor.person))
            .map((t) => t.number);
      if (seen.length > 0) l.res.write(`event: tickets\ndata: ${JSON.stringify(seen)}\n\n`);
    }
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const l of this.listeners) l.res.end();
    this.listeners.clear();
  }
}
