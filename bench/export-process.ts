/**
 * The export side of bench/export.ts, in a fresh process so its peak RSS is the export's alone:
 * stream every ticket of the database named on the command line to a sink that takes each chunk
 * a tick later (a pipe, not a black hole: the exporter meets backpressure), then report.
 */
import { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { exportTickets } from '../src/capabilities/transcripts/records-cli.js';
import { openDatabase } from '../src/store/connect.js';

const db = openDatabase(process.argv[2]!);
let peak = process.memoryUsage.rss();
let writes = 0;
const sink = new Writable({
  highWaterMark: 64 * 1024,
  write(_chunk, _enc, done) {
    if (++writes % 1000 === 0) peak = Math.max(peak, process.memoryUsage.rss());
    setImmediate(done);
  },
});
const t0 = performance.now();
const tickets = await exportTickets(db, { format: 'jsonl' }, sink);
const seconds = (performance.now() - t0) / 1000;
peak = Math.max(peak, process.memoryUsage.rss());
await db.destroy();
process.send!({ type: 'done', tickets, seconds, peakRssMb: peak / 1024 / 1024 });
