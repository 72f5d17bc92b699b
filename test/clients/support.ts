import { expect } from 'vitest';
import type { AskForCode } from '../../examples/second-factor.ts';
import { TokenStore } from '../../examples/token-store.ts';
import {
  createTestApp,
  enableTotp,
  payloadOf,
  type ProgramRun,
  runExample,
  STRONG_PASSWORD,
  TestClock,
  type TestApp,
} from '../fixtures/index.ts';

// What the client tests share: the service listening on a real port, a way to
// let its access tokens expire, and a fetch that records what went over the wire.

/** Longer than any test takes, so no token expires on its own: tests move the clock past it. */
const ACCESS_TOKEN_TTL_SECONDS = 60;

/**
 * For the example programs, which wait in real time for their token to expire
 * (they read `expiresIn`): short, so that they wait little.
 */
const EXAMPLE_ACCESS_TOKEN_TTL_SECONDS = 1;

/** Wrong logins for one email before RATE_LIMITED. */
export const LOGIN_FAILURES_ALLOWED = 2;

const CLIENT_ENV = {
  ACCESS_TOKEN_TTL: String(ACCESS_TOKEN_TTL_SECONDS),
  RATE_LIMIT: 'on',
  // Low, so that a test reaches RATE_LIMITED in a few wrong logins; no other test fails a login.
  RATE_LIMIT_LOGIN_FAILURES_EMAIL_IP: `${LOGIN_FAILURES_ALLOWED}/1h`,
};

export interface ClientApp {
  t: TestApp;
  /** The GraphQL endpoint on 127.0.0.1 that the clients call. */
  url: string;
}

/** The service, rate limits on, listening on a free port. */
export async function startClientApp(): Promise<ClientApp> {
  const t = await createTestApp(CLIENT_ENV);
  return { t, url: await t.listen() };
}

/**
 * Runs an example program as its README says against the same service with
 * EXAMPLE_ACCESS_TOKEN_TTL_SECONDS tokens, on the database of `shared`. The
 * service's clock stands still but for one step: when the example says it is
 * waiting for its token to expire, the clock moves past that token's lifetime.
 * So the example's first token expires while it waits, and the pair it gets
 * by refreshing cannot expire on a slow machine before its next request (a
 * token of 1 s stamped late in a second would live for a fraction of one).
 */
export async function runExampleProgram(shared: TestApp, file: string): Promise<ProgramRun> {
  const clock = TestClock.stopped();
  const t = await createTestApp(
    { ...CLIENT_ENV, ACCESS_TOKEN_TTL: String(EXAMPLE_ACCESS_TOKEN_TTL_SECONDS) },
    { sharing: shared, clock },
  );
  try {
    return await runExample(file, { TOLLGATE_URL: await t.listen() }, (line) => {
      if (line.startsWith('waiting ')) clock.advance(EXAMPLE_ACCESS_TOKEN_TTL_SECONDS);
    });
  } finally {
    await t.close();
  }
}

/** Moves the service's clock past the lifetime of every access token issued so far: it refuses them as TOKEN_EXPIRED. */
export function expireAccessTokens(t: TestApp): void {
  t.clock.advance(ACCESS_TOKEN_TTL_SECONDS + 1);
}

export interface SentRequest {
  operationName: string;
  method: string;
  /** The bearer token the request carried, if any. */
  token: string | undefined;
}

/** A fetch that records each GraphQL request it sends, GET (operation in the URL) or POST (in the body). */
export function recordingFetch() {
  const sent: SentRequest[] = [];
  const recording: typeof fetch = async (input, init) => {
    const method = (init?.method ?? 'GET').toUpperCase();
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as { operationName?: string }) : {};
    const operationName = body.operationName ?? url.searchParams.get('operationName') ?? '(none)';
    const token = new Headers(init?.headers).get('authorization')?.replace(/^Bearer /, '');
    sent.push({ operationName, method, token });
    return fetch(input, init);
  };
  return {
    fetch: recording,
    sent,
    names: () => sent.map((request) => request.operationName),
    count: (operationName: string) => sent.filter((request) => request.operationName === operationName).length,
  };
}

/** What both example clients offer for a login: a client on a token store, and `logIn` with the second-factor step. */
export interface ExampleClient<Client> {
  createClient(options: { url: string; tokens: TokenStore; fetch?: typeof fetch }): Client;
  logIn(
    client: Client,
    tokens: TokenStore,
    credentials: { email: string; password: string },
    askForCode: AskForCode,
  ): Promise<{ accessToken: string }>;
}

/**
 * An example client logs an account with an authenticator app in: it asks for
 * a code, retries after a wrong one, and keeps the pair it gets.
 */
export async function expectSecondFactorLogin<Client>(
  service: ClientApp,
  example: ExampleClient<Client>,
  account: { email: string; accessToken: string },
): Promise<void> {
  const app = await enableTotp(service.t, { ...account, password: STRONG_PASSWORD });
  const wire = recordingFetch();
  const tokens = new TokenStore();
  const client = example.createClient({ url: service.url, tokens, fetch: wire.fetch });
  const asked: Array<{ methods: readonly string[]; attempt: number }> = [];
  const credentials = { email: account.email, password: STRONG_PASSWORD };
  const pair = await example.logIn(client, tokens, credentials, async (methods, attempt) => {
    asked.push({ methods, attempt });
    return attempt === 1 ? '000000' : app.code();
  });
  expect(asked).toEqual([
    { methods: ['TOTP', 'RECOVERY_CODE'], attempt: 1 },
    { methods: ['TOTP', 'RECOVERY_CODE'], attempt: 2 },
  ]);
  expect(wire.names()).toEqual(['Login', 'VerifySecondFactor', 'VerifySecondFactor']);
  expect(tokens.accessToken).toBe(pair.accessToken);
  expect(payloadOf(pair.accessToken).amr).toEqual(['pwd', 'otp']);
}
