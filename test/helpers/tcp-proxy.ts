import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on 127.0.0.1 in front of a server, which a test can cut the way a
 * network fails:
 *
 * - `refuse()`: every open connection is reset and the port stops listening,
 *   so new connections are refused (the server went down).
 * - `stall()`: connections stay open and new ones are accepted, but no byte
 *   goes either way (a silent network: nothing fails, nothing answers). Bytes
 *   are left unread rather than dropped, as TCP would keep them.
 * - `restore()`: relays again on the same port; stalled bytes flow on.
 */
export interface TcpProxy {
  readonly port: number;
  readonly state: 'open' | 'refusing' | 'stalled';
  refuse(): Promise<void>;
  stall(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | undefined;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  let state: TcpProxy['state'] = 'open';

  const connectUpstream = (pair: Pair) => {
    const upstream = createConnection(target);
    pair.upstream = upstream;
    upstream.on('error', () => pair.client.destroy());
    upstream.on('close', () => pair.client.destroy());
    pair.client.pipe(upstream);
    upstream.pipe(pair.client);
  };

  const server: Server = createServer({ pauseOnConnect: true }, (client) => {
    const pair: Pair = { client, upstream: undefined };
    pairs.add(pair);
    client.on('error', () => pair.upstream?.destroy());
    client.on('close', () => {
      pair.upstream?.destroy();
      pairs.delete(pair);
    });
    // Accepted while stalled: held, unread, until restore() connects it.
    if (state === 'open') connectUpstream(pair);
  });

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');
  const { port } = address;

  const stopListening = () =>
    new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));

  return {
    port,
    get state() {
      return state;
    },
    async refuse() {
      state = 'refusing';
      const closed = stopListening();
      for (const { client, upstream } of pairs) {
        client.resetAndDestroy();
        upstream?.destroy();
      }
      await closed;
    },
    stall() {
      state = 'stalled';
      for (const { client, upstream } of pairs) {
        client.unpipe();
        upstream?.unpipe();
        client.pause();
        upstream?.pause();
      }
    },
    async restore() {
      const was = state;
      state = 'open';
      if (was === 'refusing') await listen(port);
      if (was === 'stalled') {
        for (const pair of pairs) {
          if (pair.upstream) {
            pair.client.pipe(pair.upstream);
            pair.upstream.pipe(pair.client);
          } else {
            connectUpstream(pair);
          }
        }
      }
    },
    async close() {
      state = 'refusing';
      const closed = stopListening();
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream?.destroy();
      }
      await closed;
    },
  };
}
