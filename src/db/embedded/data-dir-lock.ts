import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export class DataDirInUseError extends Error {
  override name = 'DataDirInUseError';
}

/**
 * Claims the embedded database's directory for this process. PGlite takes no lock
 * of its own: two processes opening the same files would overwrite each other's
 * writes without a word. The lock file holds the owner's pid; one left by a
 * process that no longer runs (killed, crashed) is taken over.
 * Resolves with the function that releases it.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = `${dir}.lock`;
  await mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
    // The same pid is this process after a restart in a fresh pid namespace (a container's pid 1).
    if (holder > 0 && holder !== process.pid && (await isRunning(holder))) {
      throw new DataDirInUseError(
        `the embedded database in ${dir} is in use by process ${holder}; it serves one process at a time`,
      );
    }
    await rm(path, { force: true });
  }
}

/**
 * Whether `pid` is a live process. A process killed whose parent has not reaped
 * it yet (a zombie: its parent gone too, or a supervisor restarting at once)
 * still answers `kill(pid, 0)`, but holds no file open: Linux's /proc tells it
 * apart by its state.
 */
async function isRunning(pid: number): Promise<boolean> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  // "pid (command) state …": the command may hold spaces and parentheses, so the state follows the last ')'.
  const state = stat?.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}
