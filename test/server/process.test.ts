import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { IncomingMessage, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  expectNoErrors,
  LOGIN,
  ME,
  mailingTo,
  queryText,
  ROOT,
  runUntilExit,
  SERVICE_ARGS,
  serviceEnv,
  SIGN_UP,
  sendGraphQL,
  serviceData,
  STRONG_PASSWORD,
  startMailbox,
  startService,
  testDatabaseKind,
  tokenFrom,
  uniqueEmail,
  VERIFY_EMAIL,
  type AuthPayload,
  type ServiceData,
} from '../fixtures/index.ts';
import { embeddedDatabaseDir } from '../../src/db/embedded/embedded-postgres.ts';

// The service as `npm start` runs it: a real process on a real port. Its data is
// a copy of a migrated database, but for the first start, which begins empty.

let data: ServiceData;
let env: Record<string, string>;

beforeAll(async () => {
  data = await serviceData();
  ({ env } = data);
});
afterAll(() => data?.remove());

const embedded = testDatabaseKind === 'pglite';
/** Each test starts processes, which take seconds apiece on a busy machine. */
const SLOW = { timeout: 120_000 };
const appliedMigrations = (output: readonly string[]) => output.some((line) => line.includes('"applied migrations"'));

describe(`the service process (${testDatabaseKind})`, SLOW, () => {
  it('keeps accounts and sessions across a restart', async () => {
    // As on a fresh clone: the first start creates (and migrates) the embedded database.
    const fresh = await serviceData({ fresh: true });
    onTestFinished(() => fresh.remove());
    const email = uniqueEmail('restart');
    const first = await startService(fresh.env);
    let payload: AuthPayload;
    try {
      expect(appliedMigrations(first.output)).toBe(true);
      payload = expectNoErrors(await sendGraphQL(first.url, SIGN_UP, { email, password: STRONG_PASSWORD })).signUp;
      expect(payload.user.email).toBe(email);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startService(fresh.env);
    try {
      expect(appliedMigrations(second.output)).toBe(false);
      const login = await sendGraphQL(second.url, LOGIN, { email, password: STRONG_PASSWORD });
      expect(expectNoErrors(login).login.user.email).toBe(email);
      // The development secret and the session were kept, so the old token still works.
      const me = await sendGraphQL(second.url, ME, {}, { token: payload.accessToken });
      expect(expectNoErrors(me).me?.email).toBe(email);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });

  it('keeps the development secret in DATA_DIR readable by its owner only', async () => {
    const service = await startService(env);
    await service.stop();
    const { mode } = await stat(join(data.dataDir, 'jwt-secret'));
    expect(mode & 0o777).toBe(0o600);
  });

  it('answers /health and /ready once listening, and serves METRICS_PORT on a port of its own', async () => {
    const service = await startService({ ...env, METRICS_PORT: '0' });
    try {
      expect((await fetch(new URL('/health', service.url))).status).toBe(200);
      expect((await fetch(new URL('/ready', service.url))).status).toBe(200);
      const line = service.output.find((l) => l.includes('"serving metrics"')) ?? '';
      const metricsUrl = /"metricsUrl":"([^"]+)"/.exec(line)?.[1] ?? '';
      expect(new URL(metricsUrl).port).not.toBe(new URL(service.url).port);
      expect(await (await fetch(metricsUrl)).text()).toContain('tollgate_graphql_operations_total');
      expect((await fetch(new URL('/metrics', service.url))).status).toBe(404);
      if (embedded) {
        // The embedded database serves one process: a second one on its DATA_DIR stops at once.
        const second = await runUntilExit(env);
        expect(second.code).toBe(1);
        expect(second.stdout).toContain(`is in use by process ${service.child.pid}`);
        expect((await fetch(new URL('/ready', service.url))).status).toBe(200);
      }
    } finally {
      await service.stop();
    }
  });

  it('finishes a request in flight on SIGTERM, then refuses new ones and exits 0', async () => {
    // A sign-up at bcrypt cost 13 takes long enough to still be running when the signal lands.
    const service = await startService({ ...env, BCRYPT_COST: '13' });
    const inFlight = signUpOnceTaken(service.url, uniqueEmail('inflight'));
    await inFlight.taken;
    const exit = service.stop('SIGTERM');
    const answered = await inFlight.answered;
    expect(answered.status).toBe(200);
    expect(answered.body.data?.signUp.accessToken).toEqual(expect.any(String));
    expect(await exit).toBe(0);
    await expect(fetch(new URL('/health', service.url))).rejects.toThrow();
    expect(service.output.join('\n')).toMatch(/"msg":"stopped"/);
  });

  it('stops on SIGINT too, with exit code 0; on the embedded database, WORKERS=2 runs one process and says so', async () => {
    const service = await startService(embedded ? { ...env, WORKERS: '2' } : env);
    if (embedded) {
      expect(
        service.output.some((line) => line.includes('WORKERS: the embedded database belongs to one process')),
      ).toBe(true);
      expect(service.output.some((line) => line.includes('"started workers"'))).toBe(false);
    }
    expect(await service.stop('SIGINT')).toBe(0);
  });

  // On a database of its own (the embedded one, locked in DATA_DIR) a start sends
  // every kept message at once; on a shared one, only once the lease of the
  // instance that kept it has ended (mail-outbox.test.ts).
  it.runIf(embedded)('sends, once started again, the mail a killed process had not sent yet', async () => {
    const mailbox = await startMailbox();
    onTestFinished(() => mailbox.close());
    const mailEnv = mailingTo(mailbox, env);
    const email = uniqueEmail('killed');
    mailbox.refuse();
    const first = await startService(mailEnv);
    try {
      expectNoErrors(await sendGraphQL(first.url, SIGN_UP, { email, password: STRONG_PASSWORD }));
      await first.line('mail not sent yet: trying again');
    } finally {
      await first.stop('SIGKILL');
    }
    mailbox.accept();
    expect(mailbox.to(email)).toHaveLength(0);

    const second = await startService(mailEnv);
    try {
      const mail = await mailbox.next(email, /Confirm your email address/);
      const verified = await sendGraphQL(second.url, VERIFY_EMAIL, { token: tokenFrom(mail, '/verify-email') });
      expect(expectNoErrors(verified).verifyEmail).toBe(true);
      expect(mailbox.to(email)).toHaveLength(1);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  });
});

describe.runIf(embedded)('after a kill -9, with the process still a zombie', SLOW, () => {
  it('starts again at once on the same DATA_DIR', async () => {
    // The service as the child of a parent that never reaps it (a shell that becomes `sleep`, as
    // under a supervisor that restarts at once): killed, it stays a zombie, which kill(pid, 0) answers.
    const parent = spawn('sh', ['-c', `"${process.execPath}" ${SERVICE_ARGS.join(' ')} & exec sleep 600`], {
      cwd: ROOT,
      env: serviceEnv(env),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    onTestFinished(() => {
      parent.kill('SIGKILL');
    });
    const lines = createInterface({ input: parent.stdout });
    await new Promise<void>((resolve) => lines.on('line', (line) => line.includes('"listening"') && resolve()));
    const holder = Number.parseInt(await readFile(`${embeddedDatabaseDir(data.dataDir)}.lock`, 'utf8'), 10);
    process.kill(holder, 'SIGKILL');
    // The kernel makes it a zombie as it exits: its state in /proc says so.
    const state = async () => {
      const stat = await readFile(`/proc/${holder}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    };
    await expect.poll(state, { timeout: 30_000 }).toBe('Z');
    expect(() => process.kill(holder, 0)).not.toThrow();

    const again = await startService(env);
    expect(await again.stop()).toBe(0);
  });
});

/**
 * A sign-up sent with `Expect: 100-continue`: `taken` resolves once the
 * service has taken the request (it asked for the body, which is sent then), so
 * a signal after it lands with the request in flight, however busy the machine.
 */
function signUpOnceTaken(url: string, email: string) {
  const body = JSON.stringify({ query: queryText(SIGN_UP), variables: { email, password: STRONG_PASSWORD } });
  const request = httpRequest(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  const taken = once(request, 'continue').then(() => {
    request.end(body);
  });
  const answered = once(request, 'response').then(async ([response]) => {
    if (!(response instanceof IncomingMessage)) throw new Error('no response');
    let text = '';
    for await (const chunk of response) text += String(chunk);
    return { status: response.statusCode, body: JSON.parse(text) as { data?: { signUp: { accessToken: string } } } };
  });
  request.flushHeaders();
  return { taken, answered };
}

/** What production needs besides a secret: a way to send mail. */
const MAIL = { EMAIL_TRANSPORT: 'smtp', SMTP_URL: 'smtp://mail.example.com:587' };

describe('refusing to start', SLOW, () => {
  it('refuses production without JWT_SECRET, in one line naming it', async () => {
    const { code, stderr } = await runUntilExit({ ...env, ...MAIL, NODE_ENV: 'production', BCRYPT_COST: '12' });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(/^tollgate: JWT_SECRET: required in production/)]);
  });

  it('refuses a JWT_SECRET shorter than 32 bytes, without printing it', async () => {
    const { code, stderr } = await runUntilExit({
      ...env,
      ...MAIL,
      NODE_ENV: 'production',
      BCRYPT_COST: '12',
      JWT_SECRET: 'too-short-secret',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('tollgate: JWT_SECRET: must be at least 32 bytes (got 16)');
  });

  it('refuses a bcrypt cost below 10 in production', async () => {
    const { code, stderr } = await runUntilExit({
      ...env,
      ...MAIL,
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-bytes',
      BCRYPT_COST: '8',
    });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('tollgate: BCRYPT_COST: must be at least 10 in production (got 8)');
  });

  it('names the variable of any other bad setting', async () => {
    const { code, stderr } = await runUntilExit({ ...env, ACCESS_TOKEN_TTL: 'soon' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^tollgate: ACCESS_TOKEN_TTL: /);
  });
});
