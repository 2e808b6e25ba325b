// npm run build: compiles src/ and commands/ to dist/ for production (npm start, studybot worker).
// esbuild only strips types, module by module, in well under a second; `npm run typecheck` is where
// types are checked. The SQL migrations are copied next to the code that applies them, and the
// sandbox recipe (docker/sandbox/) to where the runner and doctor look for its package list.
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = path.join(root, 'dist');

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

const newest = (files) => Math.max(0, ...files.map((f) => statSync(f).mtimeMs));

const started = Date.now();
const entryPoints = [...sources(path.join(root, 'src')), ...sources(path.join(root, 'commands'))];
const migrations = path.join(root, 'src/db/migrations');
const recipe = path.join(root, 'docker/sandbox');
const inputs = [
  ...entryPoints,
  ...readdirSync(migrations, { recursive: true }).map((f) => path.join(migrations, String(f))),
  ...readdirSync(recipe).map((f) => path.join(recipe, f)),
];
const stamp = path.join(out, '.built');
// --if-stale (npm start, bin/studybot.js): nothing to do when dist/ is newer than every source.
if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= newest(inputs)) process.exit(0);
rmSync(out, { recursive: true, force: true });
const { build } = await import('esbuild');
await build({
  entryPoints,
  outdir: out,
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(migrations, path.join(out, 'src/db/migrations'), { recursive: true });
cpSync(recipe, path.join(out, 'docker/sandbox'), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
if (!process.argv.includes('--if-stale')) process.stderr.write(`built ${entryPoints.length} modules into dist/ in ${Date.now() - started} ms\n`);
