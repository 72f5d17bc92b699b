import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { createScratchPostgres } from '../helpers/database.ts';
import { startService } from '../helpers/service-process.ts';

// What the client tests share: a real service with short-lived access tokens, a
// fetch that records what went over the wire, and running the example programs.

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Short enough to wait for; long enough that a token outlives the request right after it. */
export const ACCESS_TOKEN_TTL_SECONDS = 3;

/** Wrong logins for one email before RATE_LIMITED. */
export const LOGIN_FAILURES_ALLOWED = 2;

/** Starting the process (tsx, migrations) can be slow on a busy machine. */
export const SERVICE_START_TIMEOUT = 120_000;

export interface ClientService {
  url: string;
  stop(): Promise<void>;
}

/** `npm start`'s process on a free port, with a fresh data directory (and database). */
export async function startClientService(): Promise<ClientService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-clients-'));
  const scratch = await createScratchPostgres();
  const service = await startService({
    DATA_DIR: dataDir,
    ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS),
    // Low, so that a test reaches RATE_LIMITED in a few wrong logins; no other test fails a login.
    RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: `${LOGIN_FAILURES_ALLOWED}/1h`,
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
  });
  return {
    url: service.url,
    async stop() {
      await service.stop();
      await scratch?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Sleeps until the server refuses `accessToken` as expired (its `exp` is whole seconds). */
export async function waitUntilExpired(accessToken: string): Promise<void> {
  const payload = accessToken.split('.')[1] ?? '';
  const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString()) as { exp: number };
  await sleep(Math.max(0, exp * 1000 - Date.now()) + 100);
}

export interface SentRequest {
  operationName: string;
  /** The bearer token the request carried, if any. */
  token: string | undefined;
}

/** A fetch that records each GraphQL request it sends. */
export function recordingFetch() {
  const sent: SentRequest[] = [];
  const recording: typeof fetch = async (input, init) => {
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { operationName?: string }) : {};
    const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');
    sent.push({ operationName: body.operationName ?? '(none)', token });
    return fetch(input, init);
  };
  return {
    fetch: recording,
    sent,
    names: () => sent.map((request) => request.operationName),
    count: (operationName: string) => sent.filter((request) => request.operationName === operationName).length,
  };
}

export interface ProgramRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a program from the repository root with `env` added, and waits for it to exit. */
export function runProgram(command: string, args: string[], env: Record<string, string>): Promise<ProgramRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs an example's entry point as its README says: `node --import tsx <file>`. */
export const runExample = (file: string, env: Record<string, string>) =>
  runProgram(process.execPath, ['--import', 'tsx', file], env);

let accounts = 0;
/** A fresh address for each account a test makes. */
export const freshEmail = (client: string) => `${client}-${++accounts}-${Date.now().toString(36)}@example.com`;

export const PASSWORD = 'violet-harbour-lantern-42';
