import { once } from 'node:events';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { createServer, type AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { IncomingMessage, request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import {
  expectNoErrors,
  LOGIN,
  ME,
  mailingTo,
  payloadOf,
  queryText,
  REQUEST_PASSWORD_RESET,
  SERVICE_CWD,
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
      if (embedded) {
        // The seconds of creating the embedded database are said, before and after.
        const creating = first.output.findIndex((line) => line.includes('creating the embedded database in'));
        const created = first.output.findIndex((line) => /created the embedded database in \d+\.\d s/.test(line));
        expect(creating).toBeGreaterThanOrEqual(0);
        expect(created).toBeGreaterThan(creating);
      }
      payload = expectNoErrors(await sendGraphQL(first.url, SIGN_UP, { email, password: STRONG_PASSWORD })).signUp;
      expect(payload.user.email).toBe(email);
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startService(fresh.env);
    try {
      expect(appliedMigrations(second.output)).toBe(false);
      expect(second.output.some((line) => line.includes('creating the embedded database'))).toBe(false);
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
        expect(second.stderr.trim().split('\n')).toEqual([
          expect.stringMatching(
            new RegExp(`^tollgate: DATA_DIR: the embedded database in .* is in use by process ${service.child.pid}; `),
          ),
        ]);
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
      cwd: SERVICE_CWD,
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

describe('.env files', SLOW, () => {
  it('reads .env.local, then .env, from its working directory; the environment wins over both', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tollgate-dotenv-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await writeFile(
      join(dir, '.env'),
      "# a team's settings\nAPP_NAME=Dotenv\nJWT_ISSUER=from-dotenv\nTOTP_ISSUER=from-dotenv\n",
    );
    await writeFile(join(dir, '.env.local'), 'APP_NAME="Dotenv Local"\n');
    const service = await startService({ ...env, JWT_ISSUER: 'from-environment' }, { cwd: dir });
    try {
      expect(service.output.some((line) => line.includes('settings read from .env.local and .env'))).toBe(true);
      const email = uniqueEmail('dotenv');
      const { signUp } = expectNoErrors(await sendGraphQL(service.url, SIGN_UP, { email, password: STRONG_PASSWORD }));
      expect(payloadOf(signUp.accessToken).iss).toBe('from-environment');
      // .env.local's name, in the subject of the mail the sign-up sent.
      await service.line(`mail for ${email}: Confirm your email address for Dotenv Local`);
    } finally {
      await service.stop();
    }
  });
});

describe('at a terminal', SLOW, () => {
  // `script` (util-linux) runs the service on a pseudo-terminal, as `npm start` in a terminal does.
  it.runIf(existsSync('/usr/bin/script'))(
    'prints one readable line an event, the mail line as the README quotes it, and no JSON',
    async () => {
      const command = [process.execPath, ...SERVICE_ARGS].map((part) => `'${part}'`).join(' ');
      const terminal = spawn('script', ['-qfec', command, '/dev/null'], {
        cwd: SERVICE_CWD,
        env: serviceEnv({ ...env, LOG_LEVEL: 'info' }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      onTestFinished(() => {
        terminal.kill('SIGKILL');
      });
      const lines: string[] = [];
      const waiting = new Set<() => void>();
      createInterface({ input: terminal.stdout }).on('line', (line) => {
        // Without the terminal's colours.
        lines.push(stripVTControlCharacters(line).replace(/\r$/, ''));
        for (const wake of waiting) wake();
      });
      const line = (pattern: RegExp) =>
        new Promise<string>((resolve) => {
          const look = () => {
            const found = lines.find((seen) => pattern.test(seen));
            if (found === undefined) return;
            waiting.delete(look);
            resolve(found);
          };
          waiting.add(look);
          look();
        });
      const listening = await line(/INFO: listening/);
      const url = /"url":"([^"]+)"/.exec(listening)?.[1] ?? '';
      const email = uniqueEmail('terminal');
      expectNoErrors(await sendGraphQL(url, SIGN_UP, { email, password: STRONG_PASSWORD }));
      expectNoErrors(await sendGraphQL(url, REQUEST_PASSWORD_RESET, { email }));
      const mail = await line(new RegExp(`mail for ${email.replace(/[.+]/g, '\\$&')}: Reset your Tollgate password`));
      expect(mail).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: mail for /);
      expect(mail).toMatch(/\/account\/reset-password\?token=[\w-]+, code \d{4} \d{4}\)/);
      expect(lines.filter((seen) => seen.startsWith('{"level"'))).toEqual([]);
    },
  );
});

describe('refusing to start', SLOW, () => {
  it('says in one line which database it cannot reach, and why; the stack only at LOG_LEVEL=debug', async () => {
    // Nothing listens on port 1: the connection is refused at once.
    const closed = { ...env, DATABASE_URL: 'postgresql://someone:s3cret@127.0.0.1:1/app' };
    const { code, stderr, stdout } = await runUntilExit(closed);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'tollgate: DATABASE_URL: cannot connect to 127.0.0.1:1 (connection refused): is the server running there?',
    ]);
    expect(`${stdout}${stderr}`).not.toContain('s3cret');
    expect(`${stdout}${stderr}`).not.toMatch(/\n\s+at /);
    const debug = await runUntilExit({ ...closed, LOG_LEVEL: 'debug' });
    expect(debug.stdout).toMatch(/ECONNREFUSED/);
    expect(debug.stdout).toContain('"stack"');
  });

  it('says in one line that its port is taken', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => {
      taken.close();
    });
    const port = (taken.address() as AddressInfo).port;
    const { code, stderr } = await runUntilExit({ ...env, PORT: String(port) });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      `tollgate: PORT: ${port} is in use on 127.0.0.1: another process listens there; stop it, or choose another PORT`,
    ]);
  });

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
