import { existsSync } from 'node:fs';
import { join } from 'node:path';

/** The files of settings read from the working directory, in this order: the first to set a variable wins. */
export const ENV_FILES = ['.env.local', '.env'] as const;

/**
 * Reads `.env.local`, then `.env`, from `dir` into the environment, where they
 * exist, with Node's own loader: a variable the environment sets already keeps
 * its value, and `.env.local` (a machine's own, out of git) wins over `.env`.
 * Returns the names of the files read.
 */
export function loadEnvFiles(dir = process.cwd()): string[] {
  const read: string[] = [];
  for (const name of ENV_FILES) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    process.loadEnvFile(path);
    read.push(name);
  }
  return read;
}
