import { availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import { Piscina } from 'piscina';

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /**
   * Compares against `hash`, or against a dummy hash of the same cost when there is
   * none, so an unknown email costs as much time as a wrong password.
   */
  verify(password: string, hash: string | null): Promise<boolean>;
  close(): Promise<void>;
}

export interface HasherOptions {
  cost: number;
  /** Worker threads; default: one per core. */
  threads?: number;
  /**
   * How much lower the workers' scheduling priority is than the event loop's
   * (Linux nice). With as many hashing threads as cores, the event loop would
   * otherwise wait its turn behind them, and `me` would slow down in a login storm.
   */
  niceIncrement?: number;
}

type Task = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };

/** bcrypt in a pool of worker threads, so a storm of logins cannot stall the event loop. */
export function createPasswordHasher(options: HasherOptions): PasswordHasher {
  const threads = options.threads ?? availableParallelism();
  const pool = new Piscina<Task, string | boolean>({
    filename: new URL('./hash-worker.mjs', import.meta.url).href,
    // Started by the first hashes, not at start: ~10 MiB each (an isolate with
    // bcryptjs) that a service nobody signs in to never needs.
    minThreads: 0,
    maxThreads: threads,
    niceIncrement: options.niceIncrement ?? 10,
    idleTimeout: Number.POSITIVE_INFINITY,
    // First come, first hashed. By default piscina moves a queued task that finds
    // no free thread to the back of the queue, every time a thread frees up: in a
    // storm of 32 logins on two threads some waited twice as long as the rest,
    // and a login sent last overtook a dozen queued before it.
    stricterFIFO: true,
  });
  const hash = async (password: string) => (await pool.run({ op: 'hash', password, cost: options.cost })) as string;
  let dummyHash: Promise<string> | undefined;
  const getDummyHash = () => (dummyHash ??= hash(randomBytes(32).toString('base64')));

  return {
    hash,
    async verify(password, storedHash) {
      const matches = (await pool.run({
        op: 'compare',
        password,
        hash: storedHash ?? (await getDummyHash()),
      })) as boolean;
      return storedHash !== null && matches;
    },
    close: () => pool.close(),
  };
}
