import { availableParallelism } from 'node:os';
import { settingsSlice } from '../slice.ts';
import { integer, optional } from '../env-values.ts';

export interface PasswordSettings {
  readonly cost: number;
  /** bcrypt worker threads (default: one per core). */
  readonly threads: number | undefined;
  /** How much lower the hashing threads' priority is than the event loop's (0 to 19). */
  readonly niceIncrement: number;
}

const MIN_PRODUCTION_BCRYPT_COST = 10;

/** How passwords are hashed, and on how many threads (a share of the cores per worker). */
export const passwordSettings = settingsSlice(
  {
    BCRYPT_COST: optional(integer(4, 31)).default(12),
    HASH_THREADS: optional(integer(1, 64)),
    HASH_THREAD_NICE: optional(integer(0, 19)).default(10),
  },
  (e, { production, errors, workers }: { production: boolean; errors: string[]; workers: number }) => {
    if (production && e.BCRYPT_COST < MIN_PRODUCTION_BCRYPT_COST) {
      errors.push(`BCRYPT_COST: must be at least ${MIN_PRODUCTION_BCRYPT_COST} in production (got ${e.BCRYPT_COST})`);
    }
    const passwords: PasswordSettings = {
      cost: e.BCRYPT_COST,
      // Several workers share the cores: each hashes on its share of them.
      threads: e.HASH_THREADS ?? (workers > 1 ? Math.max(1, Math.ceil(availableParallelism() / workers)) : undefined),
      niceIncrement: e.HASH_THREAD_NICE,
    };
    return { passwords };
  },
);
