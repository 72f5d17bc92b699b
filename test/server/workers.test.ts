import { randomBytes, randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  postgresOnlySkipReason,
  removeRateLimitKeys,
  type RunningService,
  runUntilExit,
  SIGN_UP,
  STRONG_PASSWORD,
  type ServiceData,
  sendGraphQL,
  serviceData,
  startService,
  uniqueEmail,
} from '../fixtures/index.ts';

// WORKERS=2 on PostgreSQL: one command, two processes sharing the port behind
// a primary that serves their metrics together, replaces one that dies, and
// stops both on SIGTERM. The rate limits hold across them through Redis.

const REDIS_URL = process.env.TEST_REDIS_URL;
const skipReason = postgresOnlySkipReason(['TEST_DATABASE_URL', 'TEST_REDIS_URL']);

const RUN = randomBytes(4).toString('hex');
// An address of this file's own (198.18.0.0/15, as the instances test does), so no counter is shared.
const CLIENT_IP = `198.${18 + randomInt(0, 2)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const FAILURES_PER_EMAIL_AND_IP = 4;

/** The pids of a process's children (Linux). */
async function childrenOf(pid: number | undefined): Promise<number[]> {
  const text = await readFile(`/proc/${pid}/task/${pid}/children`, 'utf8').catch(() => '');
  return text.split(' ').filter(Boolean).map(Number);
}

async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, withinMs = 30_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() - started > withinMs) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.skipIf(skipReason !== undefined)(
  `WORKERS=2${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  { timeout: 120_000 },
  () => {
    let data: ServiceData;
    let service: RunningService;
    let env: Record<string, string>;

    beforeAll(async () => {
      data = await serviceData();
      env = {
        ...data.env,
        WORKERS: '2',
        REDIS_URL: REDIS_URL!,
        JWT_SECRET: randomBytes(32).toString('hex'),
        RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: `${FAILURES_PER_EMAIL_AND_IP}/1h`,
        TRUST_PROXY: 'loopback',
        METRICS: 'on',
        METRICS_PORT: '0',
      };
      service = await startService(env);
    }, 120_000);

    afterAll(async () => {
      await service?.stop();
      await data?.remove();
      await removeRateLimitKeys(REDIS_URL!, (key) => key.includes(RUN) || key.includes(CLIENT_IP));
    }, 60_000);

    const logIn = (email: string, password: string) =>
      sendGraphQL(service.url, LOGIN, { email, password }, { forwardedFor: CLIENT_IP });

    it('serves from two processes under one primary, which serves their metrics summed', async () => {
      const workers = await until(
        () => childrenOf(service.child.pid),
        (pids) => pids.length === 2,
      );
      expect(workers).toHaveLength(2);
      const email = uniqueEmail(`workers-${RUN}`);
      const { signUp } = expectNoErrors(await sendGraphQL(service.url, SIGN_UP, { email, password: STRONG_PASSWORD }));
      for (let i = 0; i < 20; i++)
        expectNoErrors(await sendGraphQL(service.url, ME, {}, { token: signUp.accessToken }));

      const metricsUrl = /"metricsUrl":"([^"]+)"/.exec(service.output.join('\n'))?.[1];
      expect(metricsUrl).toBeDefined();
      const text = await (await fetch(metricsUrl!)).text();
      const me = /tollgate_graphql_operations_total\{operation="Me",type="query",outcome="ok"\} (\d+)/.exec(text);
      // Both workers answered some of the 20, and the primary adds up what each counted.
      expect(Number(me?.[1])).toBe(20);
      expect(text).toMatch(/process_resident_memory_bytes \d+/);
    });

    it('holds a rate limit across the workers', async () => {
      const email = uniqueEmail(`limited-${RUN}`);
      expectNoErrors(await sendGraphQL(service.url, SIGN_UP, { email, password: STRONG_PASSWORD }));
      for (let i = 0; i < FAILURES_PER_EMAIL_AND_IP; i++) {
        expectError(await logIn(email, 'not the password at all'), 'UNAUTHENTICATED');
      }
      expectError(await logIn(email, STRONG_PASSWORD), 'RATE_LIMITED');
    });

    it('replaces a worker that dies, and keeps answering', async () => {
      const [victim] = await childrenOf(service.child.pid);
      process.kill(victim!, 'SIGKILL');
      const workers = await until(
        () => childrenOf(service.child.pid),
        (pids) => pids.length === 2 && !pids.includes(victim!),
      );
      expect(workers).toHaveLength(2);
      expect(workers).not.toContain(victim);
      expect(service.output.some((line) => line.includes('a worker stopped: starting another'))).toBe(true);
      const listening = () => service.output.filter((line) => line.includes('"msg":"listening"')).length;
      expect(
        await until(
          async () => listening(),
          (count) => count === 3,
        ),
      ).toBe(3);
      const { status } = await fetch(new URL('/health', service.url));
      expect(status).toBe(200);
    });

    it('stops every worker on SIGTERM, then itself, with code 0', async () => {
      const workers = await childrenOf(service.child.pid);
      expect(await service.stop('SIGTERM')).toBe(0);
      for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
      const stops = service.output.filter((line) => line.includes('"msg":"stopped"'));
      // Two workers, and the primary last.
      expect(stops).toHaveLength(3);
      expect(stops.at(-1)).not.toContain('"worker"');
    });

    it('refuses to start without Redis while the rate limits are on, saying why in one line', async () => {
      const { REDIS_URL: _redis, ...withoutRedis } = env;
      const run = await runUntilExit(withoutRedis);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^tollgate: WORKERS: several workers need REDIS_URL/m);
    });
  },
);
