import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { type AddressInfo, createConnection, createServer, type Server, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { CoalescingSocketServer, coalesceWrites } from '../../../src/db/embedded/coalescing-socket-server.mjs';
import { PGLITE_START_PARAMS } from '../../../src/db/embedded/embedded-postgres-settings.mjs';

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
  // Last opened, first closed: the client, then the server, then the database.
  for (const close of closers.splice(0).reverse()) await close();
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

  it("writes each of PGlite's answers in one system call, however many messages it holds", async () => {
    // Started as the service starts it: from the migrated template, with the service's settings.
    const loadDataDir = new Blob([await readFile(inject('pgliteTemplate'))]);
    const db = await PGlite.create({ startParams: PGLITE_START_PARAMS, loadDataDir });
    closers.push(() => db.close());
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
    const client = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${port}/postgres` });
    await client.connect();
    closers.push(() => client.end());
    const before = structuredClone(seen[0]);

    // A prepared statement's answer: (ParseComplete,) BindComplete, RowDescription, DataRow, CommandComplete, ReadyForQuery.
    const { rows } = await client.query({ name: 'two', text: 'SELECT $1::int + 1 AS two', values: [1] });
    expect(rows).toEqual([{ two: 2 }]);
    const { rows: again } = await client.query({ name: 'two', text: 'SELECT $1::int + 1 AS two', values: [2] });
    expect(again).toEqual([{ two: 3 }]);

    expect(seen).toHaveLength(1);
    expect(seen[0]!.single).toBe(before!.single);
    const answers = seen[0]!.batches.slice(before!.batches.length);
    expect(answers).toHaveLength(2);
    for (const messages of answers) expect(messages).toBeGreaterThanOrEqual(4);
  });
});
