import { randomBytes, randomInt } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectError,
  expectNoErrors,
  LOGIN,
  LOGOUT,
  ME,
  postgresOnlySkipReason,
  REFRESH,
  removeRateLimitKeys,
  SIGN_UP,
  sendGraphQL,
  serviceData,
  STRONG_PASSWORD,
  startService,
  uniqueEmail,
  type NetworkResponse,
  type RunningService,
  type ServiceData,
} from '../fixtures/index.ts';

// Two service processes side by side, as behind a load balancer: one empty
// PostgreSQL database (both migrate it at once), one Redis for the rate-limit
// counters, one JWT_SECRET. Whatever one instance does, the other must see.

const REDIS_URL = process.env.TEST_REDIS_URL;
const skipReason = postgresOnlySkipReason(['TEST_DATABASE_URL', 'TEST_REDIS_URL']);

const MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));
const FAILURES_PER_EMAIL_AND_IP = 4;

// Redis is shared with other tests and other runs, and the service has no key
// prefix setting: every email carries RUN, and every request comes from one
// address of its own (in 198.18.0.0/15, which no other test uses), so no
// counter is shared and afterAll deletes exactly this run's keys.
const RUN = randomBytes(4).toString('hex');
const CLIENT_IP = `198.${18 + randomInt(0, 2)}.${randomInt(0, 256)}.${randomInt(1, 255)}`;
const newEmail = (prefix: string) => uniqueEmail(`${prefix}-${RUN}`);

/** Log lines at level error or fatal, and any line that is not a log line yet says error. */
function errorLines(output: readonly string[]): string[] {
  return output.filter((line) => {
    let level: unknown;
    try {
      level = (JSON.parse(line) as { level?: unknown }).level;
    } catch {
      return /error/i.test(line);
    }
    return level === 'error' || level === 'fatal' || (typeof level === 'number' && level >= 50);
  });
}

/** Polls `/ready` until it answers 200; resolves with how long that took and the statuses seen. */
async function untilReady(url: string, withinMs: number): Promise<{ ms: number; statuses: number[] }> {
  const started = performance.now();
  const statuses: number[] = [];
  for (;;) {
    const { status } = await fetch(new URL('/ready', url));
    statuses.push(status);
    const ms = performance.now() - started;
    if (status === 200 || ms > withinMs) return { ms, statuses };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.skipIf(skipReason !== undefined)(
  `two instances on one database and one Redis${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    let data: ServiceData;
    let databaseUrl: string;
    let a: RunningService;
    let b: RunningService;
    const started: RunningService[] = [];

    const send = <TData, TVariables>(
      service: RunningService,
      document: TypedDocumentNode<TData, TVariables>,
      variables: NoInfer<TVariables>,
      token?: string,
    ): Promise<NetworkResponse<TData>> =>
      sendGraphQL(service.url, document, variables, { forwardedFor: CLIENT_IP, ...(token ? { token } : {}) });

    const signUp = async (service: RunningService, prefix: string) => {
      const email = newEmail(prefix);
      return expectNoErrors(await send(service, SIGN_UP, { email, password: STRONG_PASSWORD })).signUp;
    };

    beforeAll(async () => {
      data = await serviceData({ fresh: true });
      if (!data.env.DATABASE_URL) throw new Error('the postgres project gave no scratch database');
      databaseUrl = data.env.DATABASE_URL;
      // An empty database: the first start of a deployment.
      expect(await migrationRows(), 'the scratch database must start with no migrations').toBeNull();

      const env = {
        ...data.env,
        REDIS_URL: REDIS_URL!,
        JWT_SECRET: randomBytes(32).toString('hex'),
        RATE_LIMIT: 'on',
        RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: `${FAILURES_PER_EMAIL_AND_IP}/1h`,
        TRUST_PROXY: 'loopback',
      };
      // At the same moment, so that both find the migrations pending.
      const results = await Promise.allSettled([startService(env), startService(env)]);
      for (const result of results) if (result.status === 'fulfilled') started.push(result.value);
      const failed = results.find((result) => result.status === 'rejected');
      if (failed) throw failed.reason;
      [a, b] = started as [RunningService, RunningService];
    }, 180_000);

    afterAll(async () => {
      await Promise.all(started.map((service) => service.stop()));
      await data?.remove();
      await removeKeysOfThisRun();
    }, 60_000);

    it('both start, and each migration is applied exactly once', async () => {
      const expected = (await readdir(MIGRATIONS_DIR, { withFileTypes: true }))
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort();
      expect(expected.length).toBeGreaterThan(0);

      const rows = await migrationRows();
      expect(rows?.map((row) => row.migration_name).sort()).toEqual(expected);
      for (const row of rows ?? []) {
        expect(row.finished_at, row.migration_name).not.toBeNull();
        expect(row.rolled_back_at, row.migration_name).toBeNull();
      }
      // One instance applied them all; the other, once it had the lock, found none pending.
      const appliers = [a, b].filter((service) => service.output.some((line) => line.includes('"applied migrations"')));
      expect(appliers).toHaveLength(1);

      for (const service of [a, b]) {
        // The first query of a fresh process may outlast /ready's own 2 s check on a busy machine.
        const ready = await untilReady(service.url, 15_000);
        console.log(
          `${service.url}: /ready answered ${ready.statuses.join(', ')} (200 after ${Math.round(ready.ms)} ms)`,
        );
        expect(ready.statuses.at(-1)).toBe(200);
        expect(errorLines(service.output)).toEqual([]);
      }
      expect(a.url).not.toBe(b.url);
    }, 60_000);

    it('accepts on one instance the access and refresh tokens the other issued', async () => {
      const issued = await signUp(a, 'across');
      const me = expectNoErrors(await send(b, ME, {}, issued.accessToken));
      expect(me.me).toMatchObject({ id: issued.user.id, email: issued.user.email });

      const refreshed = expectNoErrors(await send(b, REFRESH, { refreshToken: issued.refreshToken })).refresh;
      expect(refreshed.user.id).toBe(issued.user.id);
      expect(refreshed.refreshToken).not.toBe(issued.refreshToken);
      expect(expectNoErrors(await send(a, ME, {}, refreshed.accessToken)).me?.id).toBe(issued.user.id);
      expect(expectNoErrors(await send(b, ME, {}, refreshed.accessToken)).me?.id).toBe(issued.user.id);
    });

    it('refuses on one instance, at once, a session logged out on the other', async () => {
      const issued = await signUp(a, 'logout');
      expect(expectNoErrors(await send(b, ME, {}, issued.accessToken)).me?.id).toBe(issued.user.id);

      expect(expectNoErrors(await send(a, LOGOUT, {}, issued.accessToken)).logout).toBe(true);

      const refused = await send(b, ME, {}, issued.accessToken);
      expectError(refused, 'UNAUTHENTICATED', 'TOKEN_REVOKED');
      expect(refused.body.data?.me ?? null).toBeNull();
      expectError(await send(b, REFRESH, { refreshToken: issued.refreshToken }), 'UNAUTHENTICATED');
    });

    it('adds up failed logins made on either: alternating A, B, A, B, the 5th is RATE_LIMITED on both', async () => {
      const { user } = await signUp(a, 'limits');
      const instances = [a, b, a, b];
      for (const [attempt, service] of instances.entries()) {
        const response = await send(service, LOGIN, {
          email: user.email,
          password: `wrong-${randomBytes(6).toString('hex')}`,
        });
        expect(response.status, `attempt ${attempt + 1}`).toBe(200);
        expectError(response, 'UNAUTHENTICATED');
      }
      // Counted per instance, each would have seen two failures and let these through.
      expectRateLimited(
        await send(a, LOGIN, { email: user.email, password: `wrong-${randomBytes(6).toString('hex')}` }),
      );
      // Refused before the password is checked: the right one does not get through either.
      expectRateLimited(await send(b, LOGIN, { email: user.email, password: STRONG_PASSWORD }));
    });

    it('stops both on SIGTERM with exit code 0, with no error logged', async () => {
      const codes = await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
      expect(codes).toEqual([0, 0]);
      for (const service of [a, b]) {
        expect(service.output.some((line) => line.includes('"msg":"stopped"'))).toBe(true);
        expect(errorLines(service.output)).toEqual([]);
      }
    });

    async function withDatabase<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        return await work(client);
      } finally {
        await client.end();
      }
    }

    /** Drops every table, type and the migration history: what a new database holds. */
    /** The rows of `_prisma_migrations`, or null when the table does not exist. */
    async function migrationRows(): Promise<Array<{
      migration_name: string;
      finished_at: Date | null;
      rolled_back_at: Date | null;
    }> | null> {
      return withDatabase(async (client) => {
        const { rows: exists } = await client.query<{ table: string | null }>(
          `SELECT to_regclass('_prisma_migrations')::text AS "table"`,
        );
        if (!exists[0]?.table) return null;
        const { rows } = await client.query<{
          migration_name: string;
          finished_at: Date | null;
          rolled_back_at: Date | null;
        }>('SELECT migration_name, finished_at, rolled_back_at FROM _prisma_migrations');
        return rows;
      });
    }
  },
);

/** A limited call: HTTP 429, RATE_LIMITED, and Retry-After in whole seconds matching extensions.retryAfter. */
function expectRateLimited(response: NetworkResponse<unknown>) {
  const error = expectError(response, 'RATE_LIMITED');
  expect(response.status).toBe(429);
  const header = response.headers.get('retry-after');
  expect(header).toMatch(/^\d+$/);
  expect(Number(header)).toBeGreaterThanOrEqual(1);
  expect(error.extensions?.retryAfter).toBe(Number(header));
}

/** Deletes the rate-limit keys this run made: its emails carry RUN, its requests came from CLIENT_IP. */
async function removeKeysOfThisRun() {
  if (!REDIS_URL) return;
  await removeRateLimitKeys(
    REDIS_URL,
    (key) => key.includes(RUN) || key.endsWith(`:${CLIENT_IP}`) || key.endsWith(`|${CLIENT_IP}`),
  );
}
