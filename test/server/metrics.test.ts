import { afterAll, beforeAll, describe, expect } from 'vitest';
import { createMetrics, type PoolStats } from '../../src/metrics.ts';
import {
  createTestApp,
  expectError,
  expectNoErrors,
  LOGIN,
  ME,
  PRODUCTION,
  REFRESH,
  SIGN_UP,
  STRONG_PASSWORD,
  sendGraphQL,
  signUp,
  type TestApp,
  uniqueEmail,
} from '../fixtures/index.ts';
import { test as it } from '../fixtures/suite.ts';

// The Prometheus metrics: what moves when requests come in, read back from the
// exposition text, and where (and whether) they are served.

const OPERATIONS = 'tollgate_graphql_operations_total';
const DURATIONS = 'tollgate_graphql_operation_duration_seconds';
const AUTH_EVENTS = 'tollgate_auth_events_total';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped, label values unescaped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][A-Za-z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    const raw = match[3]!;
    samples.push({
      name: match[1]!,
      labels,
      value: raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw),
    });
  }
  return samples;
}

class Scrape {
  readonly samples: Sample[];
  constructor(readonly text: string) {
    this.samples = parseExposition(text);
  }

  /** The value of the one sample with exactly these labels; undefined when there is none. */
  value(name: string, labels: Record<string, string> = {}): number | undefined {
    const wanted = Object.entries(labels);
    const found = this.samples.filter(
      (s) =>
        s.name === name &&
        Object.keys(s.labels).length === wanted.length &&
        wanted.every(([k, v]) => s.labels[k] === v),
    );
    expect(found.length, `${name} ${JSON.stringify(labels)}`).toBeLessThanOrEqual(1);
    return found[0]?.value;
  }

  /** Every distinct value of `label` among the samples of `name`. */
  labelValues(name: string, label: string): string[] {
    return [...new Set(this.samples.filter((s) => s.name === name).map((s) => s.labels[label]!))].sort();
  }
}

async function scrape(app: TestApp): Promise<Scrape> {
  const response = await app.fetch('/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(await response.text());
}

const operation = (name: string, type: string, outcome: string) => ({ operation: name, type, outcome });

// Each app has a registry of its own: the apps with other settings share this
// one's database and hashing thread, never its counters.
let t: TestApp;
it.beforeAll(({ app }) => {
  t = app;
});

/** An app with these settings on the first app's data. */
const appWith = (env: Record<string, string>) => createTestApp(env, { sharing: t });

describe('the metrics of an app (on by default outside production)', () => {
  let before: Scrape;
  let after: Scrape;
  beforeAll(async () => {
    before = await scrape(t);
    const account = await signUp(t, { prefix: 'metrics' });
    expectError(
      await t.graphql(LOGIN, { email: account.email, password: 'not-the-right-password' }),
      'UNAUTHENTICATED',
    );
    expectNoErrors(await t.graphql(ME, {}, { token: account.accessToken }));
    expectError(await t.graphql('query Broken { me { id '), 'GRAPHQL_PARSE_FAILED');
    expectError(await t.graphql('query Invalid { nothingHere }'), 'GRAPHQL_VALIDATION_FAILED');
    expect((await t.graphql('{ me { id } }')).status).toBe(200);
    after = await scrape(t);
  });

  it('counts each operation by name, type and outcome', () => {
    expect(before.value(OPERATIONS, operation('SignUp', 'mutation', 'ok'))).toBeUndefined();
    expect(after.value(OPERATIONS, operation('SignUp', 'mutation', 'ok'))).toBe(1);
    expect(after.value(OPERATIONS, operation('Login', 'mutation', 'UNAUTHENTICATED'))).toBe(1);
    expect(after.value(OPERATIONS, operation('Login', 'mutation', 'ok'))).toBeUndefined();
    expect(after.value(OPERATIONS, operation('Me', 'query', 'ok'))).toBe(1);
    expect(after.value(OPERATIONS, operation('anonymous', 'query', 'ok'))).toBe(1);
  });

  it('counts a document that did not parse or validate under no name, with the reason as outcome', () => {
    expect(after.value(OPERATIONS, operation('unknown', 'unknown', 'GRAPHQL_PARSE_FAILED'))).toBe(1);
    expect(after.value(OPERATIONS, operation('unknown', 'unknown', 'GRAPHQL_VALIDATION_FAILED'))).toBe(1);
    // Their names (Broken, Invalid) never become label values.
    expect(after.labelValues(OPERATIONS, 'operation')).toEqual(['Login', 'Me', 'SignUp', 'anonymous', 'unknown']);
  });

  it('times each operation in a histogram with the same labels', () => {
    const me = operation('Me', 'query', 'ok');
    expect(after.value(`${DURATIONS}_count`, me)).toBe(1);
    expect(after.value(`${DURATIONS}_bucket`, { ...me, le: '+Inf' })).toBe(1);
    expect(after.value(`${DURATIONS}_bucket`, { ...me, le: '0.001' })).toBeDefined();
    expect(after.value(`${DURATIONS}_bucket`, { ...me, le: '2.5' })).toBe(1);
    const seconds = after.value(`${DURATIONS}_sum`, me)!;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThan(5);
  });

  it('counts audit events by type, every type present from the start', () => {
    expect(before.value(AUTH_EVENTS, { type: 'SIGN_UP' })).toBe(0);
    expect(after.value(AUTH_EVENTS, { type: 'SIGN_UP' })).toBe(1);
    expect(after.value(AUTH_EVENTS, { type: 'LOGIN_FAILED' })).toBe(1);
    expect(after.value(AUTH_EVENTS, { type: 'LOGIN_SUCCEEDED' })).toBe(0);
    expect(after.value(AUTH_EVENTS, { type: 'REFRESH_TOKEN_REUSE' })).toBe(0);
    expect(after.value(AUTH_EVENTS, { type: 'RATE_LIMITED' })).toBe(0);
  });

  it('exports the process metrics under the tollgate_ prefix', () => {
    expect(after.value('tollgate_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(after.value('tollgate_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(after.text).toContain('# TYPE tollgate_nodejs_gc_duration_seconds histogram');
    expect(after.samples.every((s) => s.name.startsWith('tollgate_'))).toBe(true);
  });

  it('keeps at most 100 operation names; later ones count as "other"', async () => {
    const names = Array.from({ length: 101 }, (_, i) => `Probe${i}`);
    for (const name of names) expect((await t.graphql(`query ${name} { __typename }`)).status).toBe(200);
    const scraped = await scrape(t);
    // Login, Me and SignUp came first: 97 probes fit, four do not.
    expect(scraped.value(OPERATIONS, operation('Probe96', 'query', 'ok'))).toBe(1);
    expect(scraped.value(OPERATIONS, operation('Probe97', 'query', 'ok'))).toBeUndefined();
    expect(scraped.value(OPERATIONS, operation('other', 'query', 'ok'))).toBe(4);
    // A name already kept keeps counting under its own label.
    expectNoErrors(await t.graphql(ME));
    expect((await scrape(t)).value(OPERATIONS, operation('Me', 'query', 'ok'))).toBe(2);
  });

  it('answers HEAD, and refuses other methods with 405', async () => {
    const head = await t.fetch('/metrics', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await t.fetch('/metrics', { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('audit events and outcomes under limits, on a socket', () => {
  let limited: TestApp;
  let url: string;
  beforeAll(async () => {
    limited = await appWith({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_IP: '2/15m', REFRESH_REUSE_GRACE: '0' });
    url = await limited.listen();
  });
  afterAll(() => limited?.close());

  it('counts refresh-token reuse and the limit reached, and each refused call by its code', async () => {
    const email = uniqueEmail('limits');
    const { refreshToken } = expectNoErrors(
      await sendGraphQL(url, SIGN_UP, { email, password: STRONG_PASSWORD }),
    ).signUp;
    expect((await sendGraphQL(url, REFRESH, { refreshToken })).body.errors).toBeUndefined();
    expect((await sendGraphQL(url, REFRESH, { refreshToken })).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    for (let i = 0; i < 2; i++) await sendGraphQL(url, LOGIN, { email, password: 'not-the-right-password' });
    for (let i = 0; i < 2; i++)
      expect((await sendGraphQL(url, LOGIN, { email, password: STRONG_PASSWORD })).status).toBe(429);

    const scraped = await scrape(limited);
    expect(scraped.value(AUTH_EVENTS, { type: 'REFRESH_TOKEN_REUSE' })).toBe(1);
    expect(scraped.value(AUTH_EVENTS, { type: 'LOGIN_FAILED' })).toBe(2);
    // The audit trail, hence this counter, records the first refusal of each window.
    expect(scraped.value(AUTH_EVENTS, { type: 'RATE_LIMITED' })).toBe(1);
    expect(scraped.value(OPERATIONS, operation('Login', 'mutation', 'RATE_LIMITED'))).toBe(2);
    expect(scraped.value(OPERATIONS, operation('Refresh', 'mutation', 'UNAUTHENTICATED'))).toBe(1);
    // A registry of its own: the other app's sign-up is not counted here.
    expect(scraped.value(OPERATIONS, operation('SignUp', 'mutation', 'ok'))).toBe(1);
  });
});

describe('the database pool gauges', () => {
  it('read the pool at each scrape, and only then', async () => {
    let reads = 0;
    let stats: PoolStats | undefined = { total: 4, idle: 3, waiting: 0 };
    const { registry } = createMetrics({
      poolStats: () => {
        reads++;
        return stats;
      },
    });
    expect(reads).toBe(0);
    const first = new Scrape(await registry.metrics());
    const readsByFirst = reads;
    expect(readsByFirst).toBeGreaterThan(0);
    expect(first.value('tollgate_db_pool_connections')).toBe(4);
    expect(first.value('tollgate_db_pool_idle_connections')).toBe(3);
    expect(first.value('tollgate_db_pool_waiting_requests')).toBe(0);
    stats = { total: 10, idle: 0, waiting: 7 };
    const second = new Scrape(await registry.metrics());
    expect(second.value('tollgate_db_pool_connections')).toBe(10);
    expect(second.value('tollgate_db_pool_waiting_requests')).toBe(7);
    expect(reads).toBeGreaterThan(readsByFirst);
  });

  it('are absent without a pool to read', async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).not.toContain('tollgate_db_pool');
  });
});

describe('where the metrics are not served', () => {
  it('has no /metrics with METRICS=off', async () => {
    const off = await appWith({ METRICS: 'off' });
    try {
      expect((await off.fetch('/metrics')).status).toBe(404);
      expect(off.services.metrics).toBeUndefined();
    } finally {
      await off.close();
    }
  });

  it('has no /metrics in production unless METRICS=on', async () => {
    const production = await appWith(PRODUCTION);
    const enabled = await appWith({ ...PRODUCTION, METRICS: 'on' });
    try {
      expect((await production.fetch('/metrics')).status).toBe(404);
      expect((await enabled.fetch('/metrics')).status).toBe(200);
    } finally {
      await production.close();
      await enabled.close();
    }
  });
});

describe('with METRICS_PORT, on a listening app', () => {
  it('serves /metrics on that port only, and closes it at shutdown', async () => {
    const served = await appWith({ METRICS_PORT: '0' });
    let metricsUrl: string;
    try {
      const listening = await served.tollgate.listen();
      metricsUrl = listening.metricsUrl ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(listening.url).port);

      expect((await fetch(new URL('/metrics', listening.url))).status).toBe(404);
      expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);

      const email = uniqueEmail('port');
      expect((await sendGraphQL(listening.url, SIGN_UP, { email, password: STRONG_PASSWORD })).status).toBe(200);
      // Housekeeping's first run and the sign-up's mail use the pool too: the
      // scrape below reads it once they are done.
      await served.settle();
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      const scraped = new Scrape(await response.text());
      expect(scraped.value(OPERATIONS, operation('SignUp', 'mutation', 'ok'))).toBe(1);
      expect(scraped.value(AUTH_EVENTS, { type: 'SIGN_UP' })).toBe(1);
      // The app's database pool, read at the scrape.
      const total = scraped.value('tollgate_db_pool_connections')!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(scraped.value('tollgate_db_pool_idle_connections')).toBeLessThanOrEqual(total);
      expect(scraped.value('tollgate_db_pool_waiting_requests')).toBe(0);
    } finally {
      await served.close();
    }
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });
});
