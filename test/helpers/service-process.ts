import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { queryText } from './documents.ts';
import type { TypedArgs } from './test-app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const NODE_ARGS = [
  '--experimental-wasm-modules',
  '--disable-warning=ExperimentalWarning',
  '--import',
  'tsx',
  'src/main.ts',
];

export interface RunningService {
  url: string;
  child: ChildProcess;
  /** Every line printed so far (stdout and stderr). */
  output: string[];
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const baseEnv = (env: Record<string, string>) => {
  const { DATABASE_URL: _unused, JWT_SECRET: _unset, NODE_ENV: _node, ...inherited } = process.env;
  return { ...inherited, HOST: '127.0.0.1', PORT: '0', BCRYPT_COST: '4', LOG_LEVEL: 'info', ...env };
};

/** Runs `npm start`'s command with `env` and waits until it listens. */
export async function startService(env: Record<string, string>): Promise<RunningService> {
  const child = spawn(process.execPath, NODE_ARGS, { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const url = await new Promise<string>((resolve, reject) => {
    for (const stream of [child.stdout!, child.stderr!]) {
      createInterface({ input: stream }).on('line', (line) => {
        output.push(line);
        const match = /"url":"(http:\/\/[^"]+)"/.exec(line);
        if (match?.[1] && line.includes('"listening"')) resolve(match[1]);
      });
    }
    void exited.then((code) =>
      reject(new Error(`the service exited with ${code} before listening:\n${output.join('\n')}`)),
    );
  });
  return {
    url,
    child,
    output,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs the service expecting it to refuse to start; resolves with its exit code and output. */
export async function runUntilExit(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string; stdout: string }> {
  const child = spawn(process.execPath, NODE_ARGS, { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = await once(child, 'exit');
  return { code: code as number | null, stderr, stdout };
}

export interface PostResult<TData> {
  status: number;
  body: { data?: TData | null; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/** A GraphQL request over the network, as a script or a browser would send it. */
export function postGraphQL<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  ...args: TypedArgs<TVariables, [token: string]>
): Promise<PostResult<TData>>;
export function postGraphQL<TData = Record<string, unknown>>(
  url: string,
  query: string,
  variables?: Record<string, unknown>,
  token?: string,
): Promise<PostResult<TData>>;
export async function postGraphQL(
  url: string,
  document: TypedDocumentNode | string,
  variables: unknown = {},
  token?: string,
): Promise<PostResult<unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: queryText(document), variables }),
  });
  return { status: response.status, body: (await response.json()) as PostResult<unknown>['body'] };
}
