import { randomBytes } from 'node:crypto';
import { chmod, link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A random secret made once and kept in DATA_DIR, readable by the owner only,
 * for what production must be given: the JWT signing secret (`jwt-secret`) and
 * the key that encrypts secrets at rest (`data-encryption-key`). Kept, so that
 * tokens and stored secrets survive a restart.
 */
export async function loadDevelopmentSecret(dataDir: string, name = 'jwt-secret'): Promise<string> {
  const path = join(dataDir, name);
  await mkdir(dataDir, { recursive: true });
  // Written whole under another name, then linked into place: a process starting
  // at the same moment (a worker beside this one) finds no file or a whole one.
  const draft = `${path}.${randomBytes(6).toString('hex')}`;
  await writeFile(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(draft, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await unlink(draft);
  }
  if (((await stat(path)).mode & 0o077) !== 0) await chmod(path, 0o600);
  const secret = (await readFile(path, 'utf8')).trim();
  if (secret.length < 32) throw new Error(`${path} holds no usable secret; delete it to have a new one made`);
  return secret;
}
