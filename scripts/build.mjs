// npm run build: bundles each entry point of src/ with its own code and most of
// its dependencies into one plain JavaScript file in dist/, then marks the
// build's time in dist/.built. A process that starts opens 60 files of code
// instead of some 1 300: the service listens after 1.9 s rather than 2.5
// (BENCHMARKS.md).
// Types are checked by `npm run typecheck`, not here.
//
// Every output sits in dist/ itself, beside copies of the scripts that run on
// threads or processes of their own (src's .mjs files) and the pages' scripts
// (src's .js files): a module's `new URL('./x.mjs', import.meta.url)` finds them in dist/
// as it finds them beside its source.
//
// It builds into a folder of its own and moves it into place, so two builds at
// once (two test projects starting) never mix their files.
import { copyFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src');
const dist = join(root, 'dist');
const building = join(root, `dist.building-${process.pid}`);

const ENTRY_POINTS = {
  main: 'src/main.ts',
  admin: 'src/cli/admin.ts',
  migrate: 'src/cli/migrate.ts',
};

// Left in node_modules and loaded from there: packages that start threads or
// read files of their own by path (piscina, pino's transports, PGlite, the
// schema engine's WebAssembly), and those loaded only on first use, which a
// bundle would make every process parse (GraphiQL's 9 MB, the password
// dictionary, passkeys, mail, Redis, Prisma's query compiler).
const EXTERNAL = [
  'piscina',
  'pino',
  '@electric-sql/*',
  '@prisma/schema-engine-wasm',
  '@prisma/client/runtime/query_compiler*',
  '@graphql-yoga/render-graphiql',
  '@graphql-yoga/render-graphiql/*',
  '@zxcvbn-ts/language-common',
  '@simplewebauthn/server',
  'nodemailer',
  'ioredis',
];

/** Scripts run as they are: worker threads, child processes, the pages' own scripts (GraphiQL's token keeper, the account pages'). */
function copiedAsTheyAre(directory) {
  return readdirSync(directory, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && (entry.name.endsWith('.mjs') || entry.name.endsWith('.js')))
    .map((entry) => join(entry.parentPath, entry.name));
}

try {
  await build({
    absWorkingDir: root,
    entryPoints: ENTRY_POINTS,
    outdir: building,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20.19',
    external: EXTERNAL,
    // CommonJS dependencies inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module';\nconst require = __createRequire(import.meta.url);",
    },
    // Not `keepNames`: it renames every function and class made at run time with a
    // call that took ~10 % of a `me` request's event-loop time in a CPU profile.
    // Where two modules' top-level names collide a class may be bundled as `Foo2`;
    // the service's own errors set `name` themselves, and nothing reads the others'.
    sourcemap: true,
    logLevel: 'warning',
  });
  const copied = new Set();
  for (const file of copiedAsTheyAre(src)) {
    const name = basename(file);
    if (copied.has(name)) throw new Error(`two scripts in src/ are named ${name}; dist/ holds them side by side`);
    copied.add(name);
    copyFileSync(file, join(building, name));
  }
  writeFileSync(join(building, '.built'), `${new Date().toISOString()}\n`);
  rmSync(dist, { recursive: true, force: true });
  renameSync(building, dist);
} finally {
  rmSync(building, { recursive: true, force: true });
}
