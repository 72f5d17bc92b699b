import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectNoErrors,
  LOGIN,
  ME,
  postgresOnlySkipReason,
  REFRESH,
  SIGN_UP,
  sendGraphQL,
  serviceData,
  STRONG_PASSWORD,
  startService,
  startTcpProxy,
  uniqueEmail,
  type NetworkResponse,
  type RunningService,
  type ServiceData,
  type TcpProxy,
} from '../fixtures/index.ts';

// The service reaches PostgreSQL through a TCP proxy that the test cuts: once as
// a server that went down (connections reset, new ones refused), once as a
// network gone silent (connections open, no byte answered). `/ready` must
// notice within seconds, `/health` must not, requests must fail cleanly and
// promptly, and all of it must come back when the database does.

const skipReason = postgresOnlySkipReason(['TEST_DATABASE_URL']);

const CONNECT_TIMEOUT_SECONDS = 2;
const STATEMENT_TIMEOUT_SECONDS = 3;
/** How long `/ready` may take to turn, either way. */
const READY_BOUND_MS = 10_000;
/** How long a request may take during the outage. */
const REQUEST_BOUND_MS = 10_000;
const POLL_EVERY_MS = 250;
/** How long the database stays down once /ready has noticed: longer than every timeout of the pool. */
const HOLD_MS = (CONNECT_TIMEOUT_SECONDS + STATEMENT_TIMEOUT_SECONDS + 2) * 1000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Answer = number | 'no answer';

interface Poll {
  ready: Answer;
  health: Answer;
  /** Since the cut (or the restore) when the answer came. */
  atMs: number;
}

/** What must never reach a client: SQL, driver and socket errors, library names, file paths, stacks. */
const LEAKS: readonly RegExp[] = [
  /\bSELECT\b|\bFROM\b|\bINSERT\b|\bUPDATE\b|"Session"|"User"/,
  /ECONN\w+|ETIMEDOUT|EPIPE|EHOSTUNREACH/,
  /timeout expired|read timeout|Connection terminated|connection lost|terminating connection/i,
  /prisma|pg-pool|node-postgres|\bpostgres/i,
  /node_modules|\/work\/|\.[cm]?[jt]s:\d+|\n\s+at /,
  /\b127\.0\.0\.1\b|localhost/,
  /stacktrace|originalError/i,
];

describe.skipIf(skipReason !== undefined)(
  `the service through a database outage${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let data: ServiceData;
    let proxy: TcpProxy;
    let service: RunningService | undefined;
    let accessToken: string;
    let refreshToken: string;
    let email: string;

    beforeAll(async () => {
      data = await serviceData();
      if (!data.env.DATABASE_URL) throw new Error('the postgres project gave no scratch database');
      const direct = new URL(data.env.DATABASE_URL);
      proxy = await startTcpProxy({ host: direct.hostname, port: Number(direct.port || 5432) });
      const proxied = new URL(direct);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);

      service = await startService({
        ...data.env,
        DATABASE_URL: proxied.toString(),
        JWT_SECRET: randomBytes(32).toString('hex'),
        DATABASE_CONNECT_TIMEOUT: String(CONNECT_TIMEOUT_SECONDS),
        DATABASE_STATEMENT_TIMEOUT: String(STATEMENT_TIMEOUT_SECONDS),
        // Every wave of the outage sends a login from this one address, for one email.
        RATE_LIMIT_LOGIN_IP: '1000/15m',
        RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: '2/15m',
      });
      email = uniqueEmail('outage');
      ({ accessToken, refreshToken } = expectNoErrors(
        await sendGraphQL(service.url, SIGN_UP, { email, password: STRONG_PASSWORD }),
      ).signUp);
    }, 180_000);

    afterAll(async () => {
      // A test that failed mid-outage leaves the proxy cut; the service closes its pool through it.
      if (proxy && proxy.state !== 'open') await proxy.restore();
      const code = await service?.stop();
      await proxy?.close();
      await data?.remove();
      if (service) expect(code).toBe(0);
    }, 60_000);

    it('turns /ready to 503 when the database is refused, fails requests cleanly, and recovers', async () => {
      await throughOutage('refused', () => proxy.refuse());
    }, 120_000);

    it('turns /ready to 503 when the database goes silent, fails requests cleanly, and recovers', async () => {
      await throughOutage('silent', () => proxy.stall());
    }, 120_000);

    async function throughOutage(kind: string, cut: () => Promise<void> | void) {
      const running = service!;
      // Up to now the database answered: /ready says so and `me` works.
      const before = await pollReady(200, performance.now());
      expect(before.polls.at(-1)?.ready, `/ready before the ${kind} outage: ${describePolls(before.polls)}`).toBe(200);
      // Several requests at once, so that the pool holds open connections for the cut to catch.
      const warm = await Promise.all(Array.from({ length: 8 }, () => me(accessToken)));
      for (const response of warm) expect(expectNoErrors(response).me?.email).toBe(email);
      console.log(`${kind} outage: pool before the cut ${await poolGauges()}`);
      const linesBefore = running.output.length;

      const cutAt = performance.now();
      await cut();
      const down = await pollReady(503, cutAt);
      console.log(`${kind} outage: /ready answered 503 after ${Math.round(down.ms)} ms (${describePolls(down.polls)})`);
      expect(down.polls.at(-1)?.ready, describePolls(down.polls)).toBe(503);
      expect(down.ms).toBeLessThanOrEqual(READY_BOUND_MS);

      // Held down until every timeout of the pool has fired at least once: /ready stays 503, /health 200,
      // and requests that need the database fail promptly and say nothing of why.
      const waves: Array<{ ready: Answer; slowestMs: number }> = [];
      const holdUntil = performance.now() + HOLD_MS;
      while (performance.now() < holdUntil) {
        const [ready, health, ...responses] = await Promise.all([
          probe('/ready'),
          probe('/health'),
          me(accessToken),
          // The right password every time: a login the database failed is no failed login.
          sendGraphQL(running.url, LOGIN, { email, password: STRONG_PASSWORD }, { timeoutMs: REQUEST_BOUND_MS + 5000 }),
          sendGraphQL(running.url, REFRESH, { refreshToken }, { timeoutMs: REQUEST_BOUND_MS + 5000 }),
        ]);
        if (waves.length === 0) {
          for (const response of responses) {
            console.log(
              `${kind} outage: HTTP ${response.status} in ${Math.round(response.elapsedMs)} ms: ${response.text}`,
            );
          }
        }
        waves.push({ ready, slowestMs: Math.max(...responses.map((response) => response.elapsedMs)) });
        expect(ready).toBe(503);
        expect(health).toBe(200);
        for (const response of responses) expectCleanFailure(response);
        await sleep(POLL_EVERY_MS);
      }
      console.log(
        `${kind} outage: ${waves.length} waves of me/login/refresh, slowest answers ${waves.map((wave) => Math.round(wave.slowestMs)).join(', ')} ms; pool ${await poolGauges()}`,
      );
      // A request that needs no database is answered as ever.
      expect(expectNoErrors(await me(undefined)).me).toBeNull();
      expect(running.child.exitCode).toBeNull();

      const restoredAt = performance.now();
      await proxy.restore();
      const up = await pollReady(200, restoredAt);
      console.log(
        `${kind} outage: /ready answered 200 ${Math.round(up.ms)} ms after the restore (${describePolls(up.polls)})`,
      );
      expect(up.polls.at(-1)?.ready, describePolls(up.polls)).toBe(200);
      expect(up.ms).toBeLessThanOrEqual(READY_BOUND_MS);

      // The very first request after /ready turned 200, with the token from before the outage.
      expect(expectNoErrors(await me(accessToken)).me?.email).toBe(email);
      // Logins the outage failed were given back: the account is not locked out.
      expect(
        expectNoErrors(await sendGraphQL(running.url, LOGIN, { email, password: STRONG_PASSWORD })).login.user.email,
      ).toBe(email);

      const logged = running.output.slice(linesBefore);
      console.log(`${kind} outage: pool after the first request ${await poolGauges()}`);
      console.log(`${kind} outage: the service logged\n${countLines(logged.map(summariseLogLine))}`);
      expect(logged.filter((line) => /"level":"fatal"/.test(line))).toEqual([]);
    }

    function me(token: string | undefined) {
      return sendGraphQL(service!.url, ME, {}, { ...(token ? { token } : {}), timeoutMs: REQUEST_BOUND_MS + 5000 });
    }

    async function probe(path: string): Promise<Answer> {
      try {
        const response = await fetch(new URL(path, service!.url), { signal: AbortSignal.timeout(READY_BOUND_MS) });
        await response.arrayBuffer();
        return response.status;
      } catch {
        return 'no answer';
      }
    }

    /** Polls /ready (and /health beside it) every 250 ms until it answers `wanted` or READY_BOUND_MS has passed. */
    async function pollReady(wanted: number, since: number): Promise<{ ms: number; polls: Poll[] }> {
      const polls: Poll[] = [];
      for (;;) {
        const [ready, health] = await Promise.all([probe('/ready'), probe('/health')]);
        const atMs = performance.now() - since;
        polls.push({ ready, health, atMs });
        expect(health, `/health at ${Math.round(atMs)} ms`).toBe(200);
        if (ready === wanted || atMs > READY_BOUND_MS) return { ms: atMs, polls };
        await sleep(POLL_EVERY_MS);
      }
    }

    /** The pool's gauges from /metrics, for the record. */
    async function poolGauges(): Promise<string> {
      const response = await fetch(new URL('/metrics', service!.url)).catch(() => undefined);
      if (!response?.ok) return 'n/a';
      const text = await response.text();
      return text
        .split('\n')
        .filter((line) => /^\w*db_pool_\w+ /.test(line))
        .join(', ');
    }
  },
);

/** An error a client can act on and nothing more: INTERNAL_SERVER_ERROR, a generic message, no detail. */
function expectCleanFailure(response: NetworkResponse<unknown>) {
  expect(response.elapsedMs).toBeLessThanOrEqual(REQUEST_BOUND_MS);
  expect(response.body.errors, response.text).toHaveLength(1);
  const [error] = response.body.errors!;
  expect(error!.extensions?.code, response.text).toBe('INTERNAL_SERVER_ERROR');
  for (const leak of LEAKS) expect(response.text, `${leak} in ${response.text}`).not.toMatch(leak);
}

function describePolls(polls: readonly Poll[]): string {
  return polls.map((poll) => `${Math.round(poll.atMs)} ms: ${poll.ready}`).join(', ');
}

/** A log line cut to its level, message and the last line of its error's message, to read in the test output. */
function summariseLogLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: string; msg?: string; err?: { message?: string; type?: string } };
    const cause = parsed.err?.message
      ?.trim()
      .split('\n')
      .at(-1)
      ?.replace(/127\.0\.0\.1:\d+/, '127.0.0.1:<proxy>');
    return `${parsed.level} ${parsed.msg}${parsed.err ? ` (${parsed.err.type ?? ''}: ${cause ?? ''})` : ''}`;
  } catch {
    return line;
  }
}

function countLines(lines: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(line, (counts.get(line) ?? 0) + 1);
  return [...counts].map(([line, count]) => `  ${count} × ${line}`).join('\n');
}
