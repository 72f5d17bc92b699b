import { createServer, type Server } from 'node:http';
import { listenOn } from '../http-server.ts';
import { METRICS_PATH, type MetricsSource, scrape } from './scrape.ts';

/**
 * Serves `GET /metrics` and nothing else on a port of its own (METRICS_PORT),
 * so the metrics can stay off the public port. Resolves with the port bound.
 */
export function listenMetrics(
  registry: MetricsSource,
  port: number,
  host: string,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = req.url?.split('?', 1)[0];
    if (path !== METRICS_PATH) {
      res.writeHead(404).end();
      return;
    }
    scrape(registry, req.method).then(
      ({ status, headers, body }) => res.writeHead(status, headers).end(body ?? undefined),
      () => res.writeHead(500).end(),
    );
  });
  return listenOn(server, port, host);
}
