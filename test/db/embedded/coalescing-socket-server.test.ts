import { once } from 'node:events';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';
import type { PGlite } from '@electric-sql/pglite';
import { afterEach, describe, expect, it } from 'vitest';
import { CoalescingSocketServer, coalesceWrites } from '../../../src/db/embedded/coalescing-socket-server.mjs';

/** Counts what the stream hands the system: one `_write` per lone chunk, one `_writev` per batch. */
function observeWrites(socket: Socket) {
  const seen = { single: 0, batches: [] as number[] };
  const writable = socket as unknown as {
    _write: (...args: unknown[]) => void;
    _writev: (chunks: unknown[], ...rest: unknown[]) => void;
  };
  const write = writable._write.bind(socket);
  const writev = writable._writev.bind(socket);
  writable._write = (...args) => {
    seen.single += 1;
    write(...args);
  };
  writable._writev = (chunks, ...rest) => {
    seen.batches.push(chunks.length);
    writev(chunks, ...rest);
  };
  return seen;
}

/** Reads from `socket` until `bytes` bytes arrived (asked for before they are sent). */
function receive(socket: Socket, bytes: number): Promise<string> {
  return new Promise((resolve) => {
    let received = '';
    const onData = (chunk: Buffer) => {
      received += String(chunk);
      if (received.length < bytes) return;
      socket.off('data', onData);
      resolve(received);
    };
    socket.on('data', onData);
  });
}

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function listen(server: Server | CoalescingSocketServer): Promise<number> {
  if (server instanceof CoalescingSocketServer) {
    await server.start();
    closers.push(() => server.stop());
    return Number(server.getServerConn().split(':').pop());
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(() => server.close());
  return (server.address() as AddressInfo).port;
}

async function connect(port: number): Promise<Socket> {
  const client = createConnection(port, '127.0.0.1');
  await once(client, 'connect');
  closers.push(() => client.destroy());
  return client;
}

/** Both ends of a loopback connection: the end a server accepted, and the client. */
async function socketPair(): Promise<{ accepted: Socket; client: Socket }> {
  const server = createServer();
  const accepted = once(server, 'connection') as Promise<[Socket]>;
  const client = await connect(await listen(server));
  const [socket] = await accepted;
  closers.push(() => socket.destroy());
  return { accepted: socket, client };
}

describe('the embedded database socket', () => {
  it('sends the writes of one tick in one system call, and those of the next in another', async () => {
    const { accepted, client } = await socketPair();
    coalesceWrites(accepted);
    const seen = observeWrites(accepted);

    accepted.write('one ');
    accepted.write('two ');
    accepted.write('three ');
    expect(await receive(client, 14)).toBe('one two three ');
    accepted.write('four ');
    accepted.write('five');
    expect(await receive(client, 9)).toBe('four five');

    expect(seen).toEqual({ single: 0, batches: [3, 2] });
  });

  it("writes PGlite's answer to a query, message by message from the database, in one system call", async () => {
    const messages = ['2', 'T', 'D', 'Z'].map((tag) => new TextEncoder().encode(`${tag}....`));
    // Just enough of PGlite for the socket server: one query, answered in four messages.
    const db = {
      waitReady: Promise.resolve(),
      isInTransaction: async () => false,
      exec: async () => [],
      runExclusive: <T>(run: () => Promise<T>) => run(),
      execProtocolRawStream: async (_message: Uint8Array, { onRawData }: { onRawData: (data: Uint8Array) => void }) => {
        for (const message of messages) onRawData(message);
      },
    } as unknown as PGlite;
    const server = new CoalescingSocketServer({ db, host: '127.0.0.1', port: 0 });
    // The method the socket server hands each new connection to (private in its types).
    const connections = server as unknown as { handleConnection(socket: Socket): Promise<void> };
    const handleConnection = connections.handleConnection.bind(server);
    const seen: ReturnType<typeof observeWrites>[] = [];
    connections.handleConnection = (socket) => {
      seen.push(observeWrites(socket));
      return handleConnection(socket);
    };
    const port = await listen(server);
    const client = await connect(port);

    client.write(Buffer.from([0x51, 0, 0, 0, 13, ...new TextEncoder().encode('SELECT 1'), 0]));
    expect(await receive(client, 20)).toBe('2....T....D....Z....');
    expect(seen).toEqual([{ single: 0, batches: [4] }]);
  });
});
