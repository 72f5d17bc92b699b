import { createServer, type Server } from 'node:http';
import type { App } from './app.ts';

/** Serves `app` on `port`/`host`; resolves with the port actually bound. */
export function listen(app: App, port: number, host: string): Promise<{ server: Server; port: number }> {
  return listenOn(createServer(app), port, host);
}

/** Binds `server` to `port`/`host` (0: any free port); resolves with the port bound. */
export async function listenOn(server: Server, port: number, host: string): Promise<{ server: Server; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : port };
}

/**
 * Stops accepting connections, lets requests in flight finish (up to
 * `graceMs`), then closes whatever is left.
 */
export async function stop(server: Server, graceMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), graceMs);
  try {
    await closed;
  } finally {
    clearTimeout(timer);
  }
}
