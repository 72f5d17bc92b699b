// Runs PGlite and its socket server on a thread of their own: the database's
// work (WebAssembly and file I/O, a good part of each login) then never holds up
// the service's event loop.
import { mkdir, readFile } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { CoalescingSocketServer } from './coalescing-socket-server.mjs';
import { PGLITE_START_PARAMS as startParams } from './embedded-postgres-settings.mjs';

const { dataDir, maxConnections, template } = workerData;

async function start() {
  if (dataDir) await mkdir(dataDir, { recursive: true });
  // A template (a dump of a data directory) starts the database as it was dumped, with no initdb.
  const loadDataDir = template ? new Blob([await readFile(template)]) : undefined;
  const db = await PGlite.create(dataDir, { startParams, loadDataDir });
  const server = new CoalescingSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections });
  try {
    await server.start();
  } catch (error) {
    await db.close();
    throw error;
  }
  return { db, server };
}

try {
  const { db, server } = await start();
  parentPort.once('message', async () => {
    await server.stop();
    await db.close();
    parentPort.close();
  });
  parentPort.postMessage({ type: 'listening', address: server.getServerConn() });
} catch (error) {
  parentPort.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  parentPort.close();
}
