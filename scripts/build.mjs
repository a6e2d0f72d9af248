// `npm run build`: compiles src/ and solver/ to dist/ (tsconfig.build.json), from a clean dist so no
// module deleted from the sources lingers there. With --if-stale (`prestart`, `preworker`) it builds
// only when dist is missing or older than a source, so `npm start` never runs yesterday's code.
// Plain JavaScript: it runs before anything is compiled.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'dist', '.built');
const inputs = ['src', 'solver', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time of a file or of any file below a folder. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

function stale() {
  if (!existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return inputs.some((input) => existsSync(join(root, input)) && newest(join(root, input)) > built);
}

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });
writeFileSync(stamp, `${new Date().toISOString()}\n`);
