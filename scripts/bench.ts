// npm run bench
// Starts the service as `npm start` would (RATE_LIMIT=off, a scratch DATA_DIR, or
// DATABASE_URL when set) and measures it with autocannon over loopback:
//   1. the bcrypt ceiling: cores ÷ one hash at BCRYPT_COST, timed here, and the
//      same with every core hashing at once;
//   2. `me` at full speed: requests/s, p50, p99 at 16 connections;
//   3. `me` latency at a steady 100 requests/s (from a process of its own,
//      scripts/bench-probe.ts), alone and during a login storm, and the storm's
//      logins/s against the ceiling, with where the machine's CPU went meanwhile
//      (scripts/bench-cpu.ts), and logins/s in a storm alone, with no probe;
//   4. sign-ups/s against the same ceiling (each a new account);
//   5. login with an unknown email against a wrong password (equal timing);
//   6. requestPasswordReset for a registered email against an unknown one (equal
//      timing; the mail goes to an SMTP server started here, which discards it);
//   7. the service's memory: RSS just after start, after the load, and its peak;
//      and its CPU time per `me` (user + system seconds ÷ requests), summed over
//      its processes when WORKERS starts several (`WORKERS=2 npm run bench`).
// Any other setting (HASH_THREAD_NICE, HASH_THREADS, BCRYPT_COST, …) passes through.
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { execFileSync, spawn } from 'node:child_process';
import autocannon from 'autocannon';
import bcrypt from 'bcryptjs';
import { SMTPServer } from 'smtp-server';
import { Worker } from 'node:worker_threads';
import { cpuShares, cpuSnapshot, statFields, ticks } from './bench-cpu.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const COST = Number(process.env.BCRYPT_COST ?? 12);
const PASSWORD = 'violet-harbour-lantern-42';

// A mail server that takes every message and keeps none.
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, _session, callback) {
    stream.resume();
    stream.on('end', () => callback());
  },
});
await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
const smtpPort = (smtp.server.address() as { port: number }).port;

// The compiled service, as `npm start` runs it.
execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
const dataDir = await mkdtemp(join(tmpdir(), 'tollgate-bench-'));
const child = spawn(
  process.execPath,
  ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=4', 'dist/main.js'],
  {
    env: {
      ...process.env,
      EMAIL_TRANSPORT: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      NODE_ENV: 'production',
      JWT_SECRET: 'bench-secret-of-at-least-thirty-two-bytes',
      RATE_LIMIT: 'off',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      BCRYPT_COST: String(COST),
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
    if (match?.[1]) resolve(match[1]);
  });
  child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
});

/** The pids of the service: its process, and its workers when WORKERS starts several (Linux /proc). */
async function servicePids(): Promise<number[]> {
  const children = await readFile(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').catch(() => '');
  return [child.pid!, ...children.split(' ').filter(Boolean).map(Number)];
}

/**
 * The service's resident memory now and at its peak, in MiB, and its CPU seconds
 * so far, summed over its processes (Linux /proc).
 */
async function processStats() {
  let rssMiB = 0;
  let peakMiB = 0;
  let cpuSeconds = 0;
  for (const pid of await servicePids()) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024;
    const stat = await statFields(`/proc/${pid}/stat`);
    rssMiB += kib('VmRSS');
    peakMiB += kib('VmHWM');
    // Fields 14 and 15 of /proc/<pid>/stat (utime, stime), in clock ticks: 100 a second on Linux.
    cpuSeconds += ticks(stat, 11, 12) / 100;
  }
  return { rssMiB, peakMiB, cpuSeconds };
}

// Memory just after start: the service listening, nothing asked yet but readiness.
await new Promise((resolve) => setTimeout(resolve, 1000));
const atStart = await processStats();

async function graphql<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: unknown };
  if (!body.data) throw new Error(`request failed: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const SIGN_UP =
  'mutation($email: String!, $password: String!) { signUp(email: $email, password: $password) { accessToken } }';
const LOGIN =
  'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }';
const ME = '{ me { id email } }';

// A storm queues 32 logins behind a few hashing threads: allow for that wait rather
// than abandon requests whose hashing the service still does.
const TIMEOUT_S = 60;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ timeout: TIMEOUT_S, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

const post = (body: unknown, token?: string) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: JSON.stringify(body),
});

/** The median time of one bcrypt comparison while `threads` threads each run `rounds` of them at once. */
async function hashTimeOnEveryCore(hash: string, threads: number, rounds = 5): Promise<number> {
  const source = `
    const { parentPort, workerData } = require('node:worker_threads');
    const bcrypt = require(${JSON.stringify(createRequire(import.meta.url).resolve('bcryptjs'))});
    bcrypt.compareSync(workerData.password, workerData.hash); // warm-up
    parentPort.postMessage('ready');
    parentPort.once('message', () => {
      const times = [];
      for (let i = 0; i < workerData.rounds; i++) {
        const start = performance.now();
        bcrypt.compareSync(workerData.password, workerData.hash);
        times.push(performance.now() - start);
      }
      parentPort.postMessage(times);
    });`;
  const workers = Array.from(
    { length: threads },
    () => new Worker(source, { eval: true, workerData: { password: PASSWORD, hash, rounds } }),
  );
  try {
    await Promise.all(workers.map((worker) => once(worker, 'message')));
    const results = workers.map((worker) => once(worker, 'message') as Promise<[number[]]>);
    for (const worker of workers) worker.postMessage('go');
    return median((await Promise.all(results)).flatMap(([times]) => times));
  } finally {
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}

interface ProbeResult {
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const ms = (value: number) => `${value.toFixed(1)} ms`;

try {
  const email = `bench-${Date.now()}@example.com`;
  const { signUp } = await graphql<{ signUp: { accessToken: string } }>(SIGN_UP, { email, password: PASSWORD });
  const token = signUp.accessToken;

  // 1. The ceiling: what the cores can hash, timed with the same library.
  const sample = bcrypt.hashSync(PASSWORD, COST);
  const hashTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    bcrypt.compareSync(PASSWORD, sample);
    hashTimes.push(performance.now() - start);
  }
  const hashMs = median(hashTimes);
  const cores = availableParallelism();
  const ceiling = (cores * 1000) / hashMs;
  // The same comparison on every core at once: cores that share a host are slower
  // together than one alone, and a storm keeps them all hashing.
  const togetherMs = await hashTimeOnEveryCore(sample, cores);
  const togetherCeiling = (cores * 1000) / togetherMs;

  // 2. `me` at full speed.
  await run({ url, connections: 16, duration: 2, ...post({ query: ME }, token) }); // warm-up
  const cpuBefore = (await processStats()).cpuSeconds;
  const full = await run({ url, connections: 16, duration: DURATION_S, ...post({ query: ME }, token) });
  const cpuPerMeUs = (((await processStats()).cpuSeconds - cpuBefore) * 1e6) / Math.max(full.requests.total, 1);

  // 3. `me` latency at a steady rate, alone and during a storm of correct logins.
  const probe = async (): Promise<ProbeResult> => {
    const prober = spawn(
      process.execPath,
      [...process.execArgv, 'scripts/bench-probe.ts', url, token, `${DURATION_S}`],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let output = '';
    prober.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const [code] = await once(prober, 'exit');
    if (code !== 0) throw new Error(`the me probe exited with ${code}`);
    return JSON.parse(output) as ProbeResult;
  };
  const idle = await probe();

  // Logins queued behind a storm are still hashing when autocannon stops: one more
  // login, queued behind them, returns once they are done.
  const drain = () => graphql(LOGIN, { email, password: PASSWORD });
  const loginStorm = () =>
    run({
      url,
      connections: 32,
      duration: DURATION_S,
      ...post({ query: LOGIN, variables: { email, password: PASSWORD } }),
    });
  // The storm alone first: what logins get of the machine with nothing else asking.
  const stormAlone = await loginStorm();
  await drain();

  const cpuBeforeStorm = await cpuSnapshot(await servicePids());
  const [storm, meInStorm] = await Promise.all([loginStorm(), probe()]);
  const stormCpu = cpuShares(cpuBeforeStorm, await cpuSnapshot(await servicePids()));

  await drain();

  // 4. Sign-ups, each with a fresh email: a hash each, like a login.
  let signUps = 0;
  const signUpStorm = await run({
    url,
    connections: 32,
    duration: DURATION_S,
    requests: [
      {
        ...post({}),
        setupRequest: (request) => ({
          ...request,
          body: JSON.stringify({
            query: SIGN_UP,
            variables: { email: `bench-${Date.now()}-${++signUps}@example.com`, password: PASSWORD },
          }),
        }),
      },
    ],
  });

  await drain();

  // 5. Unknown email against wrong password, one at a time.
  const timeLogin = async (loginEmail: string) => {
    const start = performance.now();
    await fetch(url, { ...post({ query: LOGIN, variables: { email: loginEmail, password: 'not-the-password-1' } }) });
    return performance.now() - start;
  };
  const unknown: number[] = [];
  const wrong: number[] = [];
  for (let i = 0; i < 30; i++) {
    unknown.push(await timeLogin(`nobody-${i}@example.com`));
    wrong.push(await timeLogin(email));
  }

  // 6. requestPasswordReset: a registered email against an unknown one, one at a time.
  const RESET = 'mutation($email: String!) { requestPasswordReset(email: $email) }';
  const timeReset = async (resetEmail: string) => {
    const start = performance.now();
    await fetch(url, { ...post({ query: RESET, variables: { email: resetEmail } }) });
    return performance.now() - start;
  };
  const resetRegistered: number[] = [];
  const resetUnknown: number[] = [];
  // Each answered on a quiet service: the lookup, token and mail of a registered
  // address run after its answer, and would otherwise slow the request after it.
  const quiet = () => new Promise((resolve) => setTimeout(resolve, 30));
  // Taken in turns, each first every other time, so that neither always follows the other.
  const timeRegistered = async () => resetRegistered.push(await timeReset(email));
  const timeUnknown = async (i: number) => resetUnknown.push(await timeReset(`nobody-${i}@example.com`));
  for (let i = 0; i < 100; i++) {
    await (i % 2 ? timeRegistered() : timeUnknown(i));
    await quiet();
    await (i % 2 ? timeUnknown(i) : timeRegistered());
    await quiet();
  }

  // 7. Memory after the load.
  const afterLoad = await processStats();

  const loginsPerSecond = storm.requests.total / storm.duration;
  const loginsAlonePerSecond = stormAlone.requests.total / stormAlone.duration;
  const signUpsPerSecond = signUpStorm.requests.total / signUpStorm.duration;
  const unknownMs = median(unknown);
  const wrongMs = median(wrong);
  const loads = [full, idle, stormAlone, storm, meInStorm, signUpStorm];
  const rows = [
    ['database', process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'],
    ['service processes', `${(await servicePids()).length} (WORKERS=${process.env.WORKERS ?? 1})`],
    ['bcrypt cost / one hash / cores', `${COST} / ${ms(hashMs)} / ${cores}`],
    ['hash ceiling (cores ÷ one hash)', `${ceiling.toFixed(1)} logins/s`],
    ['one hash with every core hashing / that ceiling', `${ms(togetherMs)} / ${togetherCeiling.toFixed(1)} logins/s`],
    [
      'me at full speed: req/s, p50, p99 (16 conn.)',
      `${full.requests.average.toFixed(0)} req/s, ${ms(full.latency.p50)}, ${ms(full.latency.p99)}`,
    ],
    ['service CPU per me', `${cpuPerMeUs.toFixed(0)} µs`],
    ['me at 100 req/s, alone: p50, p99', `${ms(idle.p50)}, ${ms(idle.p99)}`],
    ['me at 100 req/s, during the storm: p50, p99', `${ms(meInStorm.p50)}, ${ms(meInStorm.p99)}`],
    ['storm p99 ÷ idle p99', `${(meInStorm.p99 / Math.max(idle.p99, 1)).toFixed(2)}× (goal ≤ 2)`],
    [
      'logins/s in a storm alone, no probe (32 conn.)',
      `${loginsAlonePerSecond.toFixed(1)} = ${((100 * loginsAlonePerSecond) / ceiling).toFixed(0)}% of the ceiling`,
    ],
    [
      'logins/s in the storm (32 conn.)',
      `${loginsPerSecond.toFixed(1)} = ${((100 * loginsPerSecond) / ceiling).toFixed(0)}% of the ceiling (goal ≥ 90%), ` +
        `${((100 * loginsPerSecond) / togetherCeiling).toFixed(0)}% of every core's`,
    ],
    [
      "the machine's CPU in the storm: hashing threads / rest of the service / PostgreSQL / probe / load generator / unused or taken by the host / other",
      [
        stormCpu.hashing,
        stormCpu.serviceOther,
        stormCpu.postgres,
        stormCpu.probe,
        stormCpu.loadGenerator,
        stormCpu.unused,
        stormCpu.other,
      ]
        .map((value) => `${value.toFixed(0)}%`)
        .join(' / '),
    ],
    [
      'sign-ups/s (32 conn.)',
      `${signUpsPerSecond.toFixed(1)} = ${((100 * signUpsPerSecond) / ceiling).toFixed(0)}% of the ceiling`,
    ],
    [
      'login p50: unknown email / wrong password',
      `${ms(unknownMs)} / ${ms(wrongMs)} (${((100 * Math.abs(unknownMs - wrongMs)) / wrongMs).toFixed(1)}% apart; goal ≤ 10%)`,
    ],
    [
      'requestPasswordReset p50: registered / unknown email',
      `${ms(median(resetRegistered))} / ${ms(median(resetUnknown))} (${(
        (100 * Math.abs(median(resetRegistered) - median(resetUnknown))) / median(resetUnknown)
      ).toFixed(1)}% apart; goal ≤ 10%)`,
    ],
    ['RSS just after start', `${atStart.rssMiB.toFixed(0)} MiB`],
    ['RSS after load (peak)', `${afterLoad.rssMiB.toFixed(0)} MiB (${afterLoad.peakMiB.toFixed(0)} MiB)`],
    ['errors / non-2xx', `${loads.reduce((n, r) => n + r.errors, 0)} / ${loads.reduce((n, r) => n + r.non2xx, 0)}`],
  ];
  console.log(`\nTollgate benchmark, ${new Date().toISOString()}, ${DURATION_S} s per load\n`);
  console.log('| measure | result |\n| --- | --- |');
  for (const [label, value] of rows) console.log(`| ${label} | ${value} |`);
} finally {
  child.kill('SIGTERM');
  await once(child, 'exit');
  await rm(dataDir, { recursive: true, force: true });
  smtp.close();
}
