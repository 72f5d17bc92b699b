import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect } from 'vitest';
import { requestIdFrom } from '../../src/server/http/request-id.ts';
import {
  claimsFor,
  createTestApp,
  expectNoErrors,
  forge,
  LOGIN,
  ME,
  REFRESH,
  STRONG_PASSWORD,
  signUp,
  uniqueEmail,
  type TestApp,
} from '../fixtures/index.ts';
import { testWithApp } from '../fixtures/suite.ts';

// Every response names its request, and every log line written while handling
// it carries the same id.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A raw POST to /graphql, for bodies a GraphQL request cannot carry. */
const post = (t: TestApp, body: string, headers: Record<string, string> = {}) =>
  t.fetch('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

// The apps of other settings below share this one's database and hashing thread.
const it = testWithApp({ MAX_BODY_BYTES: '1024' });
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

/** An app of other settings on the first app's database. */
const sharing = (env: Record<string, string>) => createTestApp(env, { sharing: t });

describe('x-request-id', () => {
  it('is given to every response, a new one each time', async () => {
    const first = await t.graphql(ME);
    const second = await t.graphql(ME);
    expect(first.headers.get('x-request-id')).toMatch(UUID);
    expect(second.headers.get('x-request-id')).toMatch(UUID);
    expect(first.headers.get('x-request-id')).not.toBe(second.headers.get('x-request-id'));
  });

  it('keeps a sane incoming id', async () => {
    for (const id of ['abc-123', 'trace.4f2a_9', 'x'.repeat(128)]) {
      const response = await t.graphql(ME, {}, { headers: { 'x-request-id': id } });
      expect(response.headers.get('x-request-id')).toBe(id);
    }
  });

  it('replaces a hostile or oversized one', async () => {
    for (const id of [
      'x'.repeat(129),
      'a'.repeat(500),
      'id with spaces',
      'tab\there',
      '"quoted"',
      'a;b',
      'ünïcode',
      '../etc',
    ]) {
      const response = await t.graphql(ME, {}, { headers: { 'x-request-id': id } });
      expect(response.headers.get('x-request-id'), id).toMatch(UUID);
    }
    // What a forged log line would need; HTTP itself refuses it in a header, and so does the check.
    expect(requestIdFrom('abc\n{"level":"fatal"}')).toMatch(UUID);
    expect(requestIdFrom('abc\r\ndef')).toMatch(UUID);
    expect(requestIdFrom('')).toMatch(UUID);
  });

  it('is on the answers given before any GraphQL runs: 413, 400, health, readiness', async () => {
    const tooLarge = await post(t, JSON.stringify({ query: '{ me { id } }', variables: { pad: 'x'.repeat(2048) } }), {
      'x-request-id': 'big-1',
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers.get('x-request-id')).toBe('big-1');

    const malformed = await post(t, '{"query": ', { 'x-request-id': 'bad-1' });
    expect(malformed.status).toBe(400);
    expect(malformed.headers.get('x-request-id')).toBe('bad-1');

    for (const path of ['/health', '/ready']) {
      const response = await t.fetch(path, {
        headers: { 'x-request-id': `probe${path.replace('/', '-')}` },
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-request-id')).toBe(`probe${path.replace('/', '-')}`);
    }
  });
});

describe('on a 429', () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await sharing({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_IP: '1/15m' });
  });
  afterAll(() => limited.close());

  it('is there too', async () => {
    const send = (id: string) =>
      limited.graphql(
        LOGIN,
        { email: uniqueEmail('limited'), password: STRONG_PASSWORD },
        { headers: { 'x-request-id': id } },
      );
    await send('first');
    const refused = await send('limited-2');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-request-id')).toBe('limited-2');
  });
});

describe('in the log of a request that warns', () => {
  let strict: TestApp;
  beforeAll(async () => {
    strict = await sharing({ REFRESH_REUSE_GRACE: '0' });
  });
  afterAll(() => strict.close());

  it('is on the line the service logic writes (refresh-token reuse)', async () => {
    const { refreshToken } = await signUp(strict, { prefix: 'reuse' });
    expectNoErrors(await strict.graphql(REFRESH, { refreshToken }));
    const reused = await strict.graphql(REFRESH, { refreshToken }, { headers: { 'x-request-id': 'reuse-1' } });
    expect(reused.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const lines = strict.logs.filter((line) => line.event === 'refresh_token_reuse');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', requestId: 'reuse-1' });
  });
});

describe('in the log', () => {
  let gone: TestApp;
  beforeAll(async () => {
    // A database of its own: with it gone, the next request fails in its resolver.
    gone = await createTestApp({}, { hasher: t.services.hasher });
    await gone.close();
  });

  it('is on the error line of a failing request', async () => {
    const response = await gone.graphql(
      LOGIN,
      { email: uniqueEmail('failing'), password: STRONG_PASSWORD },
      { headers: { 'x-request-id': 'failing-1' } },
    );
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.headers.get('x-request-id')).toBe('failing-1');
    const errors = gone.logs.filter((line) => line.level === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // Logged once, by the request's logger: Yoga does not log it a second time without the id.
    expect(
      errors.every((line) => line.requestId === 'failing-1'),
      JSON.stringify(errors),
    ).toBe(true);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ msg: 'unexpected error', err: { stack: expect.any(String) } });
  });

  it('is on the error line when authentication itself fails', async () => {
    // Well signed, so its session is looked up, in the database that is gone.
    const token = forge(claimsFor({ userId: randomUUID(), sessionId: randomUUID() }));
    const response = await gone.graphql(ME, {}, { token, headers: { 'x-request-id': 'failing-2' } });
    expect(response.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(response.headers.get('x-request-id')).toBe('failing-2');
    const errors = gone.logs.filter((line) => line.level === 'error' && line.requestId !== 'failing-1');
    expect(errors.map((line) => line.requestId)).toEqual(['failing-2']);
  });
});
