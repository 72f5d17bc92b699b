import { randomBytes, randomInt } from 'node:crypto';
import type { ResultOf } from '@graphql-typed-document-node/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  accountOf,
  createTestApp,
  expectError,
  expectNoErrors,
  type GraphQLResponse,
  LOGIN,
  queryText,
  REFRESH,
  removeRateLimitKeys,
  SIGN_UP,
  STRONG_PASSWORD,
  sendGraphQL,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';

// The limits of the contract ("Limits"), counted per client IP and per email,
// through HTTP on a real port: in-process requests have no socket, so every one
// of them would be the same client. Small limits keep the tests fast; every
// test makes its own accounts and uses client IPs of its own, so that tests
// sharing an app do not share counters. The apps share one database and hashing
// thread: only their settings and their counters differ. With TEST_REDIS_URL
// set, two instances sharing Redis are tested too (keys are random per run, so
// runs do not meet).

const REDIS_URL = process.env.TEST_REDIS_URL;

/** Small limits: failures per email and IP, per email, attempts per IP, signUps per IP, refreshes per IP. */
const LIMITS = {
  RATE_LIMIT: 'on',
  RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: '3/15m',
  RATE_LIMIT_LOGIN_FAILURES_EMAIL: '5/1h',
  RATE_LIMIT_LOGIN_IP: '8/15m',
  RATE_LIMIT_SIGNUP_IP: '3/1h',
  RATE_LIMIT_REFRESH_IP: '4/15m',
  // Out of the way here; the spraying tests below have an app of their own.
  RATE_LIMIT_LOGIN_FAILURES_IP: '50/15m',
};
/** The spraying limit of the apps that test it: below the attempts per IP, above the failures per email and IP. */
const FAILURES_PER_IP = 5;
const SPRAYING = { ...LIMITS, TRUST_PROXY: 'loopback', RATE_LIMIT_LOGIN_FAILURES_IP: `${FAILURES_PER_IP}/15m` };
const FAILURES_PER_EMAIL_AND_IP = 3;
const FAILURES_PER_EMAIL = 5;
const LOGINS_PER_IP = 8;
const SIGN_UPS_PER_IP = 3;
const REFRESHES_PER_IP = 4;

// ---------------------------------------------------------------------------
// Helpers

// Client IPs: consecutive addresses in 10.0.0.0/8 from a random start, so no two
// tests of a run share one, and two runs against one Redis almost surely do not.
let ipCounter = randomInt(0, 1 << 23);
const usedIps: string[] = [];
function newIp(): string {
  const n = ++ipCounter;
  const ip = `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  usedIps.push(ip);
  return ip;
}

const RUN = randomBytes(3).toString('hex');
const newEmail = (prefix: string) => uniqueEmail(`${prefix}-${RUN}`);

/** Every password this file sends, to look for in the log. */
const sentPasswords: string[] = [STRONG_PASSWORD];
function wrongPassword(): string {
  const password = `wrong-${randomBytes(8).toString('hex')}`;
  sentPasswords.push(password);
  return password;
}

/** An app served on a port of 127.0.0.1: in-process requests have no client address. */
interface Served {
  t: TestApp;
  url: string;
}

/** Serves an app with these settings, on `dataOf`'s database and hashing thread when given. */
async function serve(env: Record<string, string>, dataOf?: Served): Promise<Served> {
  const t = await createTestApp(env, dataOf ? { sharing: dataOf.t } : {});
  return { t, url: await t.listen() };
}

/** Sent as X-Forwarded-For when given. */
const from = (ip: string | undefined) => (ip === undefined ? {} : { forwardedFor: ip });

/** POSTs a batch (a JSON array of operations), which `sendGraphQL` does not send. */
async function postBatch(
  s: Served,
  batch: Array<{ query: string; variables: Record<string, unknown> }>,
  ip: string,
): Promise<{ status: number; headers: Headers; json: unknown }> {
  const response = await fetch(s.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify(batch),
  });
  return { status: response.status, headers: response.headers, json: await response.json() };
}

const login = (s: Served, email: string, password: string, ip?: string) =>
  sendGraphQL(s.url, LOGIN, { email, password }, from(ip));
const signUp = (s: Served, email: string, ip?: string) =>
  sendGraphQL(s.url, SIGN_UP, { email, password: STRONG_PASSWORD }, from(ip));
const refresh = (s: Served, refreshToken: string, ip?: string) =>
  sendGraphQL(s.url, REFRESH, { refreshToken }, from(ip));

/** A new account, signed up from an address of its own (so the signUp limit is never in the way). */
async function newAccount(s: Served, prefix = 'limits'): Promise<Account> {
  const { signUp: payload } = expectNoErrors(await signUp(s, newEmail(prefix), newIp()));
  return accountOf(payload, STRONG_PASSWORD);
}

/** A login answered normally: HTTP 200 and a session for this email. */
function expectSignedIn(response: GraphQLResponse<ResultOf<typeof LOGIN>>, email: string) {
  const { login: payload } = expectNoErrors(response);
  expect(payload.user.email).toBe(email);
}

/** A wrong password answered normally: HTTP 200 and UNAUTHENTICATED, not RATE_LIMITED. */
function expectWrongPassword(response: GraphQLResponse<unknown>) {
  expectError(response, 'UNAUTHENTICATED');
  expect(response.status).toBe(200);
}

/** A limited call: HTTP 429, RATE_LIMITED, Retry-After in whole seconds (at least 1) matching extensions.retryAfter. */
function expectRateLimited(response: GraphQLResponse<unknown>) {
  const error = expectError(response, 'RATE_LIMITED');
  expect(response.status).toBe(429);
  const header = response.headers.get('retry-after');
  expect(header).toMatch(/^\d+$/);
  const seconds = Number(header);
  expect(seconds).toBeGreaterThanOrEqual(1);
  expect(error.extensions?.retryAfter).toBe(seconds);
  expect(response.body.data ?? null).toBeNull();
}

/** `count` failed logins for this email from this IP, each answered UNAUTHENTICATED. */
async function failLogins(s: Served, email: string, ip: string, count: number) {
  for (let i = 0; i < count; i++) expectWrongPassword(await login(s, email, wrongPassword(), ip));
}

/** What a response amounts to: 'OK' or its first error's code. */
const outcomeOf = (body: { errors?: Array<{ extensions?: Record<string, unknown> }> }) =>
  body.errors ? String(body.errors[0]?.extensions?.code) : 'OK';

const loginFields = (email: string, count: number) =>
  Array.from(
    { length: count },
    (_, i) => `a${i}: login(email: "${email}", password: "${wrongPassword()}") { accessToken }`,
  ).join('\n');

// ---------------------------------------------------------------------------

// Behind a trusted proxy: the first app, whose database the others share, so closed last.
let s: Served;
beforeAll(async () => {
  s = await serve({ ...LIMITS, TRUST_PROXY: 'loopback', GRAPHQL_BATCH_LIMIT: '10', LOG_LEVEL: 'trace' });
});
afterAll(() => s?.t.close());

describe('with rate limits on behind a trusted proxy (TRUST_PROXY=loopback: X-Forwarded-For names the client)', () => {
  describe('failed logins for one email from one IP', () => {
    it('answers the attempt after 3 failures with 429, RATE_LIMITED and Retry-After, even with the right password', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, ip));
    });

    it('does not slow another email from the same IP', async () => {
      const { email } = await newAccount(s);
      const other = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, ip));
      expectSignedIn(await login(s, other.email, STRONG_PASSWORD, ip), other.email);
      expectWrongPassword(await login(s, other.email, wrongPassword(), ip));
    });

    it('does not slow the same email from another IP', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, ip));
      expectSignedIn(await login(s, email, STRONG_PASSWORD, newIp()), email);
    });

    it('are cleared by a successful login: 2 failures, a success, 2 more failures are all answered normally', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP - 1);
      expectSignedIn(await login(s, email, STRONG_PASSWORD, ip), email);
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP - 1);
      expectSignedIn(await login(s, email, STRONG_PASSWORD, ip), email);
    });

    it('are not cleared by a successful login from another IP', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      expectSignedIn(await login(s, email, STRONG_PASSWORD, newIp()), email);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, ip));
    });
  });

  describe('failed logins for one email from all IPs', () => {
    /** 5 failures for `email` spread over three IPs (2, 2, 1): each under its own limit of 3. */
    async function failFromSeveralIps(email: string): Promise<string[]> {
      const ips = [newIp(), newIp(), newIp()];
      await failLogins(s, email, ips[0]!, 2);
      await failLogins(s, email, ips[1]!, 2);
      await failLogins(s, email, ips[2]!, FAILURES_PER_EMAIL - 4);
      return ips;
    }

    it('lock the email for everyone after 5, even when no single IP reached its own limit', async () => {
      const { email } = await newAccount(s);
      await failFromSeveralIps(email);
      expectRateLimited(await login(s, email, wrongPassword(), newIp()));
    });

    it("answer the owner's right password RATE_LIMITED too, from an IP that never failed", async () => {
      const { email } = await newAccount(s);
      await failFromSeveralIps(email);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, newIp()));
    });

    it('do not slow other emails, from the same IPs or others', async () => {
      const { email } = await newAccount(s);
      const other = await newAccount(s);
      const ips = await failFromSeveralIps(email);
      for (const ip of [...ips, newIp()]) expectSignedIn(await login(s, other.email, STRONG_PASSWORD, ip), other.email);
    });
  });

  describe('login attempts from one IP', () => {
    it('refuse the 9th login from one IP with 429, whatever the emails and whether the earlier ones succeeded', async () => {
      const account = await newAccount(s);
      const ip = newIp();
      for (let i = 0; i < LOGINS_PER_IP / 2; i++) {
        expectSignedIn(await login(s, account.email, STRONG_PASSWORD, ip), account.email);
        expectWrongPassword(await login(s, newEmail('nobody'), wrongPassword(), ip));
      }
      expectRateLimited(await login(s, account.email, STRONG_PASSWORD, ip));
      expectRateLimited(await login(s, newEmail('nobody'), wrongPassword(), ip));
    });

    it('do not slow another IP', async () => {
      const account = await newAccount(s);
      const ip = newIp();
      for (let i = 0; i < LOGINS_PER_IP; i++)
        expectWrongPassword(await login(s, newEmail('nobody'), wrongPassword(), ip));
      expectRateLimited(await login(s, account.email, STRONG_PASSWORD, ip));
      expectSignedIn(await login(s, account.email, STRONG_PASSWORD, newIp()), account.email);
    });
  });

  describe('signUp from one IP', () => {
    it('allows 3 sign-ups and answers the 4th with 429, RATE_LIMITED and Retry-After', async () => {
      const ip = newIp();
      for (let i = 0; i < SIGN_UPS_PER_IP; i++) expectNoErrors(await signUp(s, newEmail('signup'), ip));
      expectRateLimited(await signUp(s, newEmail('signup'), ip));
    });

    it('creates no account for a refused sign-up, and the same email signs up from another IP', async () => {
      const ip = newIp();
      for (let i = 0; i < SIGN_UPS_PER_IP; i++) expectNoErrors(await signUp(s, newEmail('signup'), ip));
      const email = newEmail('signup');
      expectRateLimited(await signUp(s, email, ip));
      expect(await s.t.services.prisma.user.count({ where: { email } })).toBe(0);
      const { signUp: payload } = expectNoErrors(await signUp(s, email, newIp()));
      expect(payload.user.email).toBe(email);
    });
  });

  describe('refresh from one IP', () => {
    it('allows 4 refreshes and answers the 5th with 429, RATE_LIMITED and Retry-After', async () => {
      let { refreshToken } = await newAccount(s);
      const ip = newIp();
      for (let i = 0; i < REFRESHES_PER_IP; i++)
        refreshToken = expectNoErrors(await refresh(s, refreshToken, ip)).refresh.refreshToken;
      expectRateLimited(await refresh(s, refreshToken, ip));
    });

    it('leaves the refused refresh token usable from another IP: the limit is checked before the token is touched', async () => {
      let { refreshToken } = await newAccount(s);
      const ip = newIp();
      for (let i = 0; i < REFRESHES_PER_IP; i++)
        refreshToken = expectNoErrors(await refresh(s, refreshToken, ip)).refresh.refreshToken;
      expectRateLimited(await refresh(s, refreshToken, ip));
      expectNoErrors(await refresh(s, refreshToken, newIp()));
    });
  });

  describe('aliases and batches', () => {
    it('count a document of 5 aliased failing logins as one failure: the first refusal stops the other mutations', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      const response = await sendGraphQL(s.url, `mutation { ${loginFields(email, 5)} }`, {}, { forwardedFor: ip });
      expect(response.status).toBe(200);
      const error = expectError(response, 'UNAUTHENTICATED');
      expect(error.path).toEqual(['a0']);
      expect(response.body.data ?? null).toBeNull();
      // Had five failures been counted, the limit of 3 would refuse this.
      expectSignedIn(await login(s, email, STRONG_PASSWORD, ip), email);
    });

    it('cannot take 5 aliased logins past the limit: after 3 failures the document is answered 429 RATE_LIMITED', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      const response = await sendGraphQL(s.url, `mutation { ${loginFields(email, 5)} }`, {}, { forwardedFor: ip });
      expectRateLimited(response);
      expect(response.body.errors?.[0]?.path).toEqual(['a0']);
    });

    it('hold a batch of 5 failing logins for one email to the limit: at most 3 are checked, the rest are RATE_LIMITED', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      const batch = Array.from({ length: 5 }, () => ({
        query: queryText(LOGIN),
        variables: { email, password: wrongPassword() },
      }));
      const { json } = await postBatch(s, batch, ip);
      expect(Array.isArray(json)).toBe(true);
      const outcomes = (json as Array<GraphQLResponse['body']>).map(outcomeOf);
      expect(outcomes.filter((o) => o === 'UNAUTHENTICATED')).toHaveLength(FAILURES_PER_EMAIL_AND_IP);
      expect(outcomes.filter((o) => o === 'RATE_LIMITED')).toHaveLength(5 - FAILURES_PER_EMAIL_AND_IP);
    });

    it('hold concurrent failing logins for one email to the limit: of 6 sent at once, at most 3 are checked', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      const responses = await Promise.all(Array.from({ length: 6 }, () => login(s, email, wrongPassword(), ip)));
      const outcomes = responses.map((r) => `${r.status} ${outcomeOf(r.body)}`);
      expect(outcomes.filter((o) => o === '200 UNAUTHENTICATED')).toHaveLength(FAILURES_PER_EMAIL_AND_IP);
      expect(outcomes.filter((o) => o === '429 RATE_LIMITED')).toHaveLength(6 - FAILURES_PER_EMAIL_AND_IP);
    });

    it('answer a batch whose every operation is limited with 429 and Retry-After', async () => {
      const { email } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      const batch = Array.from({ length: 2 }, () => ({
        query: queryText(LOGIN),
        variables: { email, password: STRONG_PASSWORD },
      }));
      const { status, headers, json } = await postBatch(s, batch, ip);
      expect((json as Array<GraphQLResponse['body']>).map(outcomeOf)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
      expect({ status, retryAfter: headers.get('retry-after') }).toEqual({
        status: 429,
        retryAfter: expect.stringMatching(/^[1-9]\d*$/),
      });
    });
  });

  describe('the log', () => {
    it('holds none of the passwords sent in these attempts, and neither does the audit trail', async () => {
      const { email, refreshToken } = await newAccount(s);
      const ip = newIp();
      await failLogins(s, email, ip, FAILURES_PER_EMAIL_AND_IP);
      expectRateLimited(await login(s, email, STRONG_PASSWORD, ip));
      // A refresh token presented again after its grace is logged: the log searched below is not empty.
      const refreshIp = newIp();
      expectNoErrors(await refresh(s, refreshToken, refreshIp));
      s.t.clock.advance(s.t.config.tokens.refreshReuseGraceSeconds + 1);
      expectError(await refresh(s, refreshToken, refreshIp), 'UNAUTHENTICATED');
      expect(s.t.logs.length).toBeGreaterThan(0);
      const log = s.t.logText();
      await s.t.settle();
      const audit = JSON.stringify(await s.t.services.prisma.authEvent.findMany());
      expect(audit).toContain('RATE_LIMITED');
      for (const password of sentPasswords) {
        expect(log).not.toContain(password);
        expect(audit).not.toContain(password);
      }
    });
  });
});

describe('failed logins from one IP, whatever the email (password spraying)', () => {
  let spraying: Served;
  beforeAll(async () => {
    spraying = await serve(SPRAYING, s);
  });
  afterAll(() => spraying?.t.close());

  /** One failed login for each of `count` accounts, from `ip`. */
  async function spray(count: number, ip: string) {
    for (let i = 0; i < count; i++) {
      const { email } = await newAccount(spraying, 'sprayed');
      expectWrongPassword(await login(spraying, email, wrongPassword(), ip));
    }
  }

  it(`answer the attempt after ${FAILURES_PER_IP} failures against ${FAILURES_PER_IP} accounts with 429, even with a right password`, async () => {
    const ip = newIp();
    await spray(FAILURES_PER_IP, ip);
    const owner = await newAccount(spraying, 'owner');
    expectRateLimited(await login(spraying, owner.email, STRONG_PASSWORD, ip));
    expectRateLimited(await login(spraying, newEmail('nobody'), wrongPassword(), ip));
  });

  it('do not slow another IP, nor the sprayed accounts from it', async () => {
    const ip = newIp();
    await spray(FAILURES_PER_IP, ip);
    const owner = await newAccount(spraying, 'owner');
    expectRateLimited(await login(spraying, owner.email, STRONG_PASSWORD, ip));
    expectSignedIn(await login(spraying, owner.email, STRONG_PASSWORD, newIp()), owner.email);
  });

  it('are given back one at a time by successes, never wiped out by one account that works', async () => {
    const ip = newIp();
    const mine = await newAccount(spraying, 'mine');
    await spray(FAILURES_PER_IP - 1, ip);
    // A success gives back its own charge only: the failures before it still count.
    expectSignedIn(await login(spraying, mine.email, STRONG_PASSWORD, ip), mine.email);
    expectSignedIn(await login(spraying, mine.email, STRONG_PASSWORD, ip), mine.email);
    await spray(1, ip);
    expectRateLimited(await login(spraying, mine.email, STRONG_PASSWORD, ip));
  });

  it('write RATE_LIMITED to the audit trail, naming the limit and the address', async () => {
    const ip = newIp();
    await spray(FAILURES_PER_IP, ip);
    expectRateLimited(await login(spraying, newEmail('nobody'), wrongPassword(), ip));
    await spraying.t.settle();
    const events = await spraying.t.services.prisma.authEvent.findMany({ where: { type: 'RATE_LIMITED', ip } });
    expect(events.map((event) => event.detail)).toEqual([{ limit: 'login-failures-ip' }]);
  });
});

describe('without TRUST_PROXY', () => {
  let direct: Served;
  beforeAll(async () => {
    direct = await serve(LIMITS, s);
  });
  afterAll(() => direct?.t.close());

  it('ignores X-Forwarded-For: logins from 127.0.0.1 claiming 9 different addresses share the one per-IP limit', async () => {
    for (let i = 0; i < LOGINS_PER_IP; i++) {
      expectWrongPassword(await login(direct, newEmail('nobody'), wrongPassword(), newIp()));
    }
    expectRateLimited(await login(direct, newEmail('nobody'), wrongPassword(), newIp()));
  });
});

describe('with TRUST_PROXY=1 (one proxy hop)', () => {
  let oneHop: Served;
  beforeAll(async () => {
    oneHop = await serve({ ...LIMITS, TRUST_PROXY: '1' }, s);
  });
  afterAll(() => oneHop?.t.close());

  it('takes the last X-Forwarded-For entry as the client: forged entries before it do not escape the per-IP limit', async () => {
    const client = newIp();
    for (let i = 0; i < LOGINS_PER_IP; i++) {
      expectWrongPassword(await login(oneHop, newEmail('nobody'), wrongPassword(), `${newIp()}, ${client}`));
    }
    expectRateLimited(await login(oneHop, newEmail('nobody'), wrongPassword(), `${newIp()}, ${client}`));
    expectRateLimited(await login(oneHop, newEmail('nobody'), wrongPassword(), client));
  });

  it('counts another last entry as another client, whatever comes before it', async () => {
    const client = newIp();
    for (let i = 0; i < LOGINS_PER_IP; i++)
      expectWrongPassword(await login(oneHop, newEmail('nobody'), wrongPassword(), client));
    expectRateLimited(await login(oneHop, newEmail('nobody'), wrongPassword(), client));
    expectWrongPassword(await login(oneHop, newEmail('nobody'), wrongPassword(), `${client}, ${newIp()}`));
  });
});

describe('with RATE_LIMIT=off', () => {
  let unlimited: Served;
  beforeAll(async () => {
    unlimited = await serve({ ...LIMITS, RATE_LIMIT: 'off' }, s);
  });
  afterAll(() => unlimited?.t.close());

  it('answers 12 failed logins for one email from one address UNAUTHENTICATED, never RATE_LIMITED, and the right password still works', async () => {
    const email = newEmail('off');
    expectNoErrors(await signUp(unlimited, email));
    for (let i = 0; i < 12; i++) expectWrongPassword(await login(unlimited, email, wrongPassword()));
    expectSignedIn(await login(unlimited, email, STRONG_PASSWORD), email);
  });

  it('lets 5 sign-ups and 6 refreshes through from one address', async () => {
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++)
      tokens.push(expectNoErrors(await signUp(unlimited, newEmail('off'))).signUp.refreshToken);
    let refreshToken = tokens[0]!;
    for (let i = 0; i < 6; i++)
      refreshToken = expectNoErrors(await refresh(unlimited, refreshToken)).refresh.refreshToken;
  });
});

describe.skipIf(!REDIS_URL)('two instances sharing REDIS_URL (TEST_REDIS_URL)', () => {
  let a: Served;
  let b: Served;
  beforeAll(async () => {
    const env = { ...LIMITS, TRUST_PROXY: 'loopback', REDIS_URL: REDIS_URL! };
    [a, b] = await Promise.all([serve(env, s), serve(env, s)]);
  });
  afterAll(async () => {
    await Promise.all([a?.t.close(), b?.t.close()]);
    await removeKeysOfThisRun();
  });

  /** An account both instances know: they share the database, as instances do; Redis shares the counters. */
  async function accountOnBoth(): Promise<string> {
    const email = newEmail('shared');
    expectNoErrors(await signUp(a, email, newIp()));
    return email;
  }

  it('add up failed logins made on either: 2 on one and 1 on the other, then the next is RATE_LIMITED on both', async () => {
    const email = await accountOnBoth();
    const ip = newIp();
    await failLogins(a, email, ip, 2);
    await failLogins(b, email, ip, FAILURES_PER_EMAIL_AND_IP - 2);
    expectRateLimited(await login(a, email, STRONG_PASSWORD, ip));
    expectRateLimited(await login(b, email, STRONG_PASSWORD, ip));
  });

  it('share the per-IP login limit: 4 logins on each, then the 9th is refused on either', async () => {
    const ip = newIp();
    for (let i = 0; i < LOGINS_PER_IP / 2; i++) {
      expectWrongPassword(await login(a, newEmail('nobody'), wrongPassword(), ip));
      expectWrongPassword(await login(b, newEmail('nobody'), wrongPassword(), ip));
    }
    expectRateLimited(await login(a, newEmail('nobody'), wrongPassword(), ip));
    expectRateLimited(await login(b, newEmail('nobody'), wrongPassword(), ip));
  });

  it('add up failed logins against many accounts made on either (password spraying)', async () => {
    const env = { ...SPRAYING, REDIS_URL: REDIS_URL! };
    const [c, d] = await Promise.all([serve(env, s), serve(env, s)]);
    try {
      const ip = newIp();
      for (let i = 0; i < FAILURES_PER_IP; i++) {
        expectWrongPassword(await login(i % 2 === 0 ? c : d, newEmail('nobody'), wrongPassword(), ip));
      }
      expectRateLimited(await login(c, newEmail('nobody'), wrongPassword(), ip));
      expectRateLimited(await login(d, newEmail('nobody'), wrongPassword(), ip));
    } finally {
      await Promise.all([c.t.close(), d.t.close()]);
    }
  });

  it('share the clearing: a success on one instance clears the failures counted on the other', async () => {
    const email = await accountOnBoth();
    const ip = newIp();
    await failLogins(a, email, ip, FAILURES_PER_EMAIL_AND_IP - 1);
    expectSignedIn(await login(b, email, STRONG_PASSWORD, ip), email);
    await failLogins(a, email, ip, FAILURES_PER_EMAIL_AND_IP - 1);
    expectSignedIn(await login(a, email, STRONG_PASSWORD, ip), email);
  });

  /** Deletes the `tollgate:` keys this run made (its emails carry RUN; its IPs are listed). */
  async function removeKeysOfThisRun() {
    const ips = new Set(usedIps);
    await removeRateLimitKeys(REDIS_URL!, (key) => key.includes(RUN) || ips.has(key.slice(key.lastIndexOf(':') + 1)));
  }
});
