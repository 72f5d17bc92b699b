import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The layers, read from the source: auth/ knows nothing of GraphQL or HTTP,
// schema/ nothing of the server, and one file builds the service. The sign-in
// methods are modules: the kernel (auth/) loops over the list in methods.ts and
// imports none, no method imports another, and only a method's graphql.ts
// reaches into schema/.

const SRC = fileURLToPath(new URL('../src', import.meta.url));

async function sourceFiles(): Promise<string[]> {
  const entries = await readdir(SRC, { recursive: true });
  return entries
    .filter((entry) => /\.(ts|mjs)$/.test(entry) && !entry.startsWith('generated'))
    .map((entry) => join(SRC, entry));
}

/** What each file imports from src/, as paths relative to src/. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(file, 'utf8');
  const statics = text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?(?:from\s+)?['"](\.[^'"]+)['"]/g);
  const dynamics = text.matchAll(/\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/g);
  const specifiers = [...statics, ...dynamics].map((m) => m[1] ?? '');
  return specifiers.map((specifier) => relative(SRC, resolve(dirname(file), specifier)));
}

async function importGraph(): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await sourceFiles()) graph.set(relative(SRC, file), await importsOf(file));
  return graph;
}

const LAYER_RULES: Array<{ from: RegExp; mayNotImport: RegExp; why: string }> = [
  {
    from: /^auth\//,
    mayNotImport: /^(schema|server|cli)\/|^tollgate\.ts$/,
    why: 'auth/ holds no GraphQL or HTTP',
  },
  {
    from: /^auth\//,
    mayNotImport: /^methods(\/|\.ts$)/,
    why: 'the kernel names no sign-in method: it is handed the list',
  },
  {
    from: /^methods\/(?!.*\/graphql\.ts$)/,
    mayNotImport: /^(schema|server|cli)\/|^tollgate\.ts$/,
    why: 'within a method only its graphql.ts knows the schema',
  },
  {
    from: /^methods\//,
    mayNotImport: /^methods\.ts$/,
    why: 'a method is in the list; it does not read it',
  },
  {
    from: /^schema\//,
    mayNotImport: /^methods(\/|\.ts$)|^schema\.ts$/,
    why: "the schema's own fields name no method; schema.ts has each method register its own",
  },
  { from: /^schema\//, mayNotImport: /^(server|cli)\/|^tollgate\.ts$/, why: 'schema/ holds no server' },
  { from: /^db\//, mayNotImport: /^(auth|schema|server|cli)\/|^tollgate\.ts$/, why: 'db/ knows no domain' },
  { from: /^server\//, mayNotImport: /^cli\/|^tollgate\.ts$/, why: 'the server is built, it does not build' },
  {
    from: /^(crypto|mail|config)\//,
    mayNotImport: /^(auth|methods|schema|server|cli)\/|^tollgate\.ts$/,
    why: 'crypto/, mail/ and config/ are leaves that every room may use',
  },
];

describe('the layers of src/', () => {
  it('import only downwards', async () => {
    const graph = await importGraph();
    expect(graph.size).toBeGreaterThan(40);
    const broken: string[] = [];
    for (const [file, imports] of graph) {
      for (const rule of LAYER_RULES) {
        if (!rule.from.test(file)) continue;
        for (const target of imports)
          if (rule.mayNotImport.test(target)) broken.push(`${file} → ${target} (${rule.why})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('keep each sign-in method to itself: no method imports another', async () => {
    const graph = await importGraph();
    const methodOf = (path: string) => /^methods\/([^/]+)\//.exec(path)?.[1];
    const methods = new Set([...graph.keys()].map(methodOf).filter(Boolean));
    expect(methods.size).toBeGreaterThanOrEqual(3);
    const broken: string[] = [];
    for (const [file, imports] of graph) {
      const own = methodOf(file);
      if (!own) continue;
      for (const target of imports) {
        const other = methodOf(target);
        if (other && other !== own) broken.push(`${file} → ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('are wired in one file: only tollgate.ts builds services, the app and the database', async () => {
    const builders = ['createServices(', 'createApp(', 'openDatabase(', 'createPasswordHasher('];
    const callers: string[] = [];
    for (const file of await sourceFiles()) {
      const text = await readFile(file, 'utf8');
      for (const builder of builders) {
        const calls = text.split(builder).length - 1 - (text.includes(`function ${builder}`) ? 1 : 0);
        if (calls > 0) callers.push(`${relative(SRC, file)}: ${builder}`);
      }
    }
    expect(callers.sort()).toEqual(builders.map((builder) => `tollgate.ts: ${builder}`).sort());
  });

  it('main.ts and the admin command line start the service through tollgate.ts', async () => {
    const graph = await importGraph();
    expect(graph.get('main.ts')).toContain('tollgate.ts');
    expect(graph.get('cli/environment.ts')).toContain('tollgate.ts');
  });
});
