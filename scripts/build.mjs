// npm run build: compiles src/ to plain JavaScript in dist/ (TypeScript's own
// compiler, tsconfig.build.json), then marks the build's time in dist/.built.
// It compiles into a folder of its own and moves it into place, so two builds
// at once (two test projects starting) never mix their files.
import { execFileSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const building = join(root, `dist.building-${process.pid}`);
try {
  execFileSync(
    join(root, 'node_modules', '.bin', 'tsc'),
    ['-p', join(root, 'tsconfig.build.json'), '--outDir', building],
    {
      stdio: 'inherit',
      cwd: root,
    },
  );
  writeFileSync(join(building, '.built'), `${new Date().toISOString()}\n`);
  rmSync(dist, { recursive: true, force: true });
  renameSync(building, dist);
} finally {
  rmSync(building, { recursive: true, force: true });
}
