// Runs before `npm start` and `npm run admin`: builds dist/ again when a source
// or the build itself is newer than the last build (after a pull or an edit),
// and does nothing otherwise, so an installed service never writes to its own
// files. (Every `npm install` builds anew: dist/ holds the dependencies too.)
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');

function newest(path) {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

let built = 0;
try {
  built = statSync(stamp).mtimeMs;
} catch {
  // Never built.
}
const sources = Math.max(newest(join(root, 'src')), newest(join(root, 'scripts', 'build.mjs')));
if (sources > built) {
  console.error('tollgate: building dist/ from src/');
  execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
}
