import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { healthReport } from './core/operations.js';
import { METRICS_CONTENT_TYPE, metricsText } from './core/metrics.js';
import type { Core } from './core/work.js';
import type { ChatAdapter, Logger } from './ports.js';

export interface OpsServer {
  url: string;
  /** Graceful shutdown has begun: `/healthz` answers 503 (`"stopping": true`) from now on. */
  stopping(): void;
  close(): Promise<void>;
}

/**
 * The operations endpoints: `GET /healthz` (200 when the database answers, every platform is
 * connected and the process is not stopping, else 503; JSON either way) and `GET /metrics`
 * (Prometheus text).
 */
export async function startOpsServer(
  core: Core,
  adapters: readonly ChatAdapter[],
  port: number,
  logger: Logger,
  host = '0.0.0.0',
): Promise<OpsServer> {
  let stopping = false;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const answer = async () => {
      if (req.method !== 'GET') return res.writeHead(405, { allow: 'GET' }).end();
      if (path === '/healthz') {
        const health = await healthReport(core, adapters, { stopping });
        return res.writeHead(health.ok ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(health));
      }
      if (path === '/metrics') return res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(await metricsText(core));
      return res.writeHead(404).end();
    };
    answer().catch((err) => {
      logger.error('ops endpoint failed', { path, error: err instanceof Error ? err.message : String(err) });
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stopping: () => void (stopping = true),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // A probe's keep-alive connection must not hold the process open.
        server.closeIdleConnections();
      }),
  };
}
