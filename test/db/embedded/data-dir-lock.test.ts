import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirInUseError, lockDataDir } from '../../../src/db/embedded/data-dir-lock.ts';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'tollgate-lock-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** Another live process, as the holder of a lock. */
async function otherProcess() {
  const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await once(child, 'spawn');
  return child;
}

describe('the embedded database directory lock', () => {
  it('is taken, refused to a second process while its holder runs, and free once released', async () => {
    const dir = join(root, 'pglite');
    const holder = await otherProcess();
    try {
      await writeFile(`${dir}.lock`, `${holder.pid}\n`);
      await expect(lockDataDir(dir)).rejects.toThrow(DataDirInUseError);
      await expect(lockDataDir(dir)).rejects.toThrow(`in use by process ${holder.pid}`);
    } finally {
      holder.kill();
      await once(holder, 'exit');
    }
    // The holder is gone (killed, so it never released): the lock is taken over.
    const release = await lockDataDir(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await release();
    await expect(readFile(`${dir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  });

  it('takes over a lock file that names no process', async () => {
    const dir = join(root, 'pglite');
    await writeFile(`${dir}.lock`, 'garbage');
    const release = await lockDataDir(dir);
    expect(await readFile(`${dir}.lock`, 'utf8')).toBe(`${process.pid}\n`);
    await release();
    await expect(readFile(`${dir}.lock`, 'utf8')).rejects.toThrow(/ENOENT/);
  });
});
