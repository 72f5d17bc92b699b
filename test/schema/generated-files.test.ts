import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import config from '../../codegen.ts';
import { ROOT, runProgram } from '../fixtures/index.ts';

// Everything `npm run codegen` writes is committed: schema.graphql and the typed
// documents. This test runs the same generation in memory and compares it with
// the files on disk.

const HINT = 'run `npm run codegen` and commit the result';

interface Output {
  /** Relative to the repository root, as codegen.ts names it. */
  filename: string;
  content: string;
}

const readIfPresent = (path: string) =>
  readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });

/**
 * What is stale under `root`, sorted: outputs whose file is missing or differs,
 * and files in an output directory that codegen does not write.
 */
async function staleFiles(root: string, outputs: Output[], directories: string[]): Promise<string[]> {
  const stale: string[] = [];
  for (const { filename, content } of outputs) {
    // Codegen writes no file for empty content.
    if ((await readIfPresent(join(root, filename))) !== (content === '' ? undefined : content)) stale.push(filename);
  }
  const generated = new Set(outputs.map((output) => join(output.filename)));
  for (const directory of directories) {
    const entries = await readdir(join(root, directory)).catch(() => []);
    for (const entry of entries) {
      const filename = join(directory, entry);
      if (!generated.has(filename)) stale.push(filename);
    }
  }
  return stale.sort();
}

/** The files codegen.ts generates now, without writing them: a process of its own loads the schema as `npm run codegen` does. */
async function generateInMemory(): Promise<Output[]> {
  const run = await runProgram(
    process.execPath,
    ['--import', 'tsx', 'test/fixtures/setup/codegen-outputs.ts'],
    process.env,
  );
  if (run.code !== 0) throw new Error(`codegen failed:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Output[];
}

const outputDirectories = Object.keys(config.generates).filter((target) => target.endsWith('/'));

describe('the generated files', () => {
  // Loading the schema's modules and every document takes seconds on a busy machine.
  it(`match what codegen.ts generates now (${HINT})`, { timeout: 60_000 }, async () => {
    const outputs = await generateInMemory();
    expect(outputs.map((output) => output.filename)).toContain('schema.graphql');
    expect(outputs.map((output) => dirname(output.filename))).toContain('test/generated');
    const stale = await staleFiles(ROOT, outputs, outputDirectories);
    expect(stale, `stale: ${stale.join(', ')}; ${HINT}`).toEqual([]);
  });

  it('are reported stale when one differs, is missing or is left over', async () => {
    const root = await mkdtemp(join(tmpdir(), 'tollgate-codegen-'));
    try {
      await mkdir(join(root, 'generated'));
      const files = {
        'schema.graphql': 'type Query { a: Int }\n',
        'generated/gql.ts': 'export {};\n',
        'generated/left-over.ts': '',
      };
      for (const [filename, content] of Object.entries(files)) await writeFile(join(root, filename), content);
      const outputs: Output[] = [
        { filename: 'schema.graphql', content: files['schema.graphql'] },
        { filename: 'generated/gql.ts', content: files['generated/gql.ts'] },
        { filename: 'generated/graphql.ts', content: 'export {};\n' },
      ];
      expect(await staleFiles(root, outputs, ['generated/'])).toEqual([
        'generated/graphql.ts',
        'generated/left-over.ts',
      ]);
      outputs[0] = { filename: 'schema.graphql', content: 'type Query { a: Int b: Int }\n' };
      expect(await staleFiles(root, outputs, [])).toEqual(['generated/graphql.ts', 'schema.graphql']);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
