import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMetrics, type PoolStats } from '../../src/metrics.ts';
import { listen, stop } from '../../src/server/http-server.ts';
import { createScratchPostgres } from '../helpers/database.ts';
import { LOGIN, ME, REFRESH, SIGN_UP } from '../helpers/documents.ts';
import { expectData, expectError } from '../helpers/expect-graphql.ts';
import { postGraphQL, startService } from '../helpers/service-process.ts';
import { createTestApp, STRONG_PASSWORD, uniqueEmail, type TestApp } from '../helpers/test-app.ts';

// The Prometheus metrics: what moves when requests come in, read back from the
// exposition text, and where (and whether) they are served.

const BASE = 'http://tollgate.test';
const PRODUCTION = { NODE_ENV: 'production', BCRYPT_COST: '10', JWT_SECRET: randomBytes(32).toString('base64url') };
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

async function scrape(t: TestApp): Promise<Scrape> {
  const response = await t.app.fetch(`${BASE}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return new Scrape(await response.text());
}

const operation = (name: string, type: string, outcome: string) => ({ operation: name, type, outcome });

describe('the metrics of an app (on by default outside production)', () => {
  let t: TestApp;
  let before: Scrape;
  let after: Scrape;
  beforeAll(async () => {
    t = await createTestApp();
    before = await scrape(t);
    const email = uniqueEmail('metrics');
    const { signUp } = expectData(await t.graphql(SIGN_UP, { email, password: STRONG_PASSWORD }));
    expectError(await t.graphql(LOGIN, { email, password: 'not-the-right-password' }), 'UNAUTHENTICATED');
    expectData(await t.graphql(ME, {}, { token: signUp.accessToken }));
    expectError(await t.graphql('query Broken { me { id '), 'GRAPHQL_PARSE_FAILED');
    expectError(await t.graphql('query Invalid { nothingHere }'), 'GRAPHQL_VALIDATION_FAILED');
    expect((await t.graphql('{ me { id } }')).status).toBe(200);
    after = await scrape(t);
  });
  afterAll(() => t.close());

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
    expectData(await t.graphql(ME));
    expect((await scrape(t)).value(OPERATIONS, operation('Me', 'query', 'ok'))).toBe(2);
  });

  it('answers HEAD, and refuses other methods with 405', async () => {
    const head = await t.app.fetch(`${BASE}/metrics`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const post = await t.app.fetch(`${BASE}/metrics`, { method: 'POST', body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});

describe('audit events and outcomes under limits, on a socket', () => {
  let t: TestApp;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    t = await createTestApp({ RATE_LIMIT: 'on', RATE_LIMIT_LOGIN_IP: '2/15m', REFRESH_REUSE_GRACE: '0' });
    const { server, port } = await listen(t.app, 0, '127.0.0.1');
    url = `http://127.0.0.1:${port}/graphql`;
    close = async () => {
      await stop(server, 1000);
      await t.close();
    };
  });
  afterAll(() => close());

  it('counts refresh-token reuse and the limit reached, and each refused call by its code', async () => {
    const email = uniqueEmail('limits');
    const { refreshToken } = (await postGraphQL(url, SIGN_UP, { email, password: STRONG_PASSWORD })).body.data!.signUp;
    expect((await postGraphQL(url, REFRESH, { refreshToken })).body.errors).toBeUndefined();
    expect((await postGraphQL(url, REFRESH, { refreshToken })).body.errors?.[0]?.extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
    for (let i = 0; i < 2; i++) await postGraphQL(url, LOGIN, { email, password: 'not-the-right-password' });
    for (let i = 0; i < 2; i++)
      expect((await postGraphQL(url, LOGIN, { email, password: STRONG_PASSWORD })).status).toBe(429);

    const scraped = await scrape(t);
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
    const t = await createTestApp({ METRICS: 'off' });
    try {
      expect((await t.app.fetch(`${BASE}/metrics`)).status).toBe(404);
      expect(t.services.metrics).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('has no /metrics in production unless METRICS=on', async () => {
    const production = await createTestApp(PRODUCTION);
    const enabled = await createTestApp({ ...PRODUCTION, METRICS: 'on' });
    try {
      expect((await production.app.fetch(`${BASE}/metrics`)).status).toBe(404);
      expect((await enabled.app.fetch(`${BASE}/metrics`)).status).toBe(200);
    } finally {
      await production.close();
      await enabled.close();
    }
  });
});

describe('with METRICS_PORT, in the service process', () => {
  let dataDir: string;
  let scratch: Awaited<ReturnType<typeof createScratchPostgres>>;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'tollgate-metrics-'));
    scratch = await createScratchPostgres();
  });
  afterAll(async () => {
    await scratch?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  // A process of its own, migrating its database at start: slow on a busy machine.
  it('serves /metrics on that port only, and closes it at shutdown', { timeout: 120_000 }, async () => {
    const service = await startService({
      DATA_DIR: dataDir,
      METRICS_PORT: '0',
      ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    });
    let metricsUrl: string;
    try {
      const line = service.output.find((l) => l.includes('"serving metrics"'));
      metricsUrl = /"metricsUrl":"([^"]+)"/.exec(line ?? '')?.[1] ?? '';
      expect(metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      expect(new URL(metricsUrl).port).not.toBe(new URL(service.url).port);

      expect((await fetch(new URL('/metrics', service.url))).status).toBe(404);
      expect((await fetch(new URL('/graphql', metricsUrl))).status).toBe(404);

      const email = uniqueEmail('port');
      expect((await postGraphQL(service.url, SIGN_UP, { email, password: STRONG_PASSWORD })).status).toBe(200);
      const response = await fetch(metricsUrl);
      expect(response.status).toBe(200);
      const scraped = new Scrape(await response.text());
      expect(scraped.value(OPERATIONS, operation('SignUp', 'mutation', 'ok'))).toBe(1);
      expect(scraped.value(AUTH_EVENTS, { type: 'SIGN_UP' })).toBe(1);
      // The service's own database pool, read at the scrape.
      const total = scraped.value('tollgate_db_pool_connections')!;
      expect(total).toBeGreaterThanOrEqual(1);
      expect(scraped.value('tollgate_db_pool_idle_connections')).toBeLessThanOrEqual(total);
      expect(scraped.value('tollgate_db_pool_waiting_requests')).toBe(0);
    } finally {
      expect(await service.stop()).toBe(0);
    }
    await expect(fetch(metricsUrl)).rejects.toThrow();
  });
});
