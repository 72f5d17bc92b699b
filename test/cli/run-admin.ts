import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** `npm run admin`'s command, without npm in between. */
const ADMIN_ARGS = [
  '--experimental-wasm-modules',
  '--disable-warning=ExperimentalWarning',
  '--import',
  'tsx',
  'scripts/admin.ts',
];

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the admin command line with `args` and the settings in `env` (over the
 * runner's environment, less any database, secret or log settings of its own),
 * writing `stdin` to its standard input, which is then closed (no TTY).
 */
export async function runAdmin(args: string[], env: Record<string, string>, stdin = ''): Promise<AdminRun> {
  const { DATABASE_URL: _url, JWT_SECRET: _secret, NODE_ENV: _env, LOG_LEVEL: _level, ...inherited } = process.env;
  const child = spawn(process.execPath, [...ADMIN_ARGS, ...args], {
    cwd: ROOT,
    env: { ...inherited, BCRYPT_COST: '4', HASH_THREADS: '1', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The command may exit before reading its input; that is not a failure here.
  child.stdin.on('error', () => {});
  child.stdin.end(stdin);
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stdout, stderr };
}
