import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock.ts';
import { runOneOffProcess } from '../one-off-process.ts';

/** Where the embedded database keeps its files inside DATA_DIR. */
export const embeddedDatabaseDir = (dataDir: string) => join(dataDir, 'pglite');

export interface EmbeddedPostgres {
  /** A `postgresql://` URL on loopback that speaks to the embedded database. */
  readonly url: string;
  close(): Promise<void>;
}

type WorkerMessage = { type: 'listening'; address: string } | { type: 'failed'; message: string };

const CLOSE_TIMEOUT_MS = 10_000;

/**
 * Starts PGlite (on disk under `dataDir`, or in memory when it is omitted) on a
 * thread of its own and serves it on a loopback port chosen by the system, so the
 * application and the migration engine reach it through the same `pg` driver as
 * a real server.
 */
export async function startEmbeddedPostgres(options: {
  dataDir?: string | undefined;
  /** A dump of a data directory (PGlite's `dumpDataDir`) to start from instead of an empty database. */
  template?: string | undefined;
  maxConnections: number;
  /** Called if the database thread ends while the service still needs it. */
  onUnexpectedExit?: (reason: string) => void;
  /** Called once the database thread has begun to boot: the caller's thread is free until it answers. */
  whileBooting?: () => void;
  /** Told when a database that does not exist yet is being created (seconds of a first start), and when it is. */
  onCreation?: (step: { phase: 'creating' } | { phase: 'created'; elapsedMs: number }) => void;
}): Promise<EmbeddedPostgres> {
  const unlock = options.dataDir ? await lockDataDir(options.dataDir) : async () => {};
  if (options.dataDir && !options.template && !existsSync(join(options.dataDir, 'PG_VERSION'))) {
    options.onCreation?.({ phase: 'creating' });
    const started = performance.now();
    await runOneOffProcess(new URL('./embedded-database-creation.mjs', import.meta.url), {
      args: [options.dataDir],
    }).catch(async (error: Error) => {
      await unlock();
      throw new Error(`the embedded database could not be created: ${error.message}`);
    });
    options.onCreation?.({ phase: 'created', elapsedMs: performance.now() - started });
  }
  const worker = new Worker(new URL('./embedded-postgres-worker.mjs', import.meta.url), {
    workerData: { dataDir: options.dataDir, maxConnections: options.maxConnections, template: options.template },
  });
  options.whileBooting?.();
  const exited = once(worker, 'exit');
  let closing = false;
  worker.once('error', (error) => {
    if (!closing) options.onUnexpectedExit?.(error.message);
  });
  worker.once('exit', (code) => {
    if (!closing) options.onUnexpectedExit?.(`the embedded database thread exited with code ${code}`);
  });

  const started = await firstMessage(worker);
  if (started.type !== 'listening') {
    closing = true;
    await worker.terminate();
    await unlock();
    throw new Error(`the embedded database could not start: ${started.message}`);
  }

  return {
    url: `postgresql://postgres@${started.address}/postgres`,
    async close() {
      if (closing) return;
      closing = true;
      worker.postMessage({ type: 'close' });
      const timer = setTimeout(() => void worker.terminate(), CLOSE_TIMEOUT_MS);
      try {
        await exited;
      } finally {
        clearTimeout(timer);
        await unlock();
      }
    },
  };
}

/** The worker's first message; a crash before it becomes a `failed` message. */
function firstMessage(worker: Worker): Promise<WorkerMessage> {
  return new Promise((resolve) => {
    worker.once('message', (message: WorkerMessage) => resolve(message));
    worker.once('error', (error) => resolve({ type: 'failed', message: error.message }));
    worker.once('exit', (code) => resolve({ type: 'failed', message: `thread exited with code ${code}` }));
  });
}
