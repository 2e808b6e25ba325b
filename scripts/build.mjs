// npm run build: compiles src/ and commands/ to dist/ for production (npm start, studybot worker).
// esbuild strips the types and bundles the CLI with its npm dependencies into dist/src/cli.js, with
// what only some runs need (Discord, Slack, the picture engines, the command deployer) in chunks
// loaded on first use: one file to read instead of some two thousand modules to find and compile
// is most of the bot's start-up. `npm run typecheck` is where types are checked. The SQL migrations
// and the sandbox recipe (docker/sandbox/) are copied to dist/, where src/paths.ts finds them.
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
  path.join(root, 'package-lock.json'),
  fileURLToPath(import.meta.url),
  ...readdirSync(migrations, { recursive: true }).map((f) => path.join(migrations, String(f))),
  ...readdirSync(recipe).map((f) => path.join(recipe, f)),
];
const stamp = path.join(out, '.built');
// --if-stale (npm start, bin/studybot.js): nothing to do when dist/ is newer than every source.
if (process.argv.includes('--if-stale') && existsSync(stamp) && statSync(stamp).mtimeMs >= newest(inputs)) process.exit(0);
rmSync(out, { recursive: true, force: true });
const { build } = await import('esbuild');

// Native addons stay in node_modules, loaded from there as usual.
const NATIVE = ['better-sqlite3', '@resvg/resvg-js'];
// dockerode loads these at start-up for two things the project never does: reach a Docker engine
// over ssh:// (config.ts allows unix, tcp and http(s) only) and BuildKit sessions (the sandbox image
// is built with the docker CLI). Left out, they are half of the bundle; called anyway, they say why.
const LEFT_OUT = /^(ssh2|@grpc\/grpc-js|@grpc\/proto-loader)$/;
const leaveOut = {
  name: 'leave-out',
  setup(b) {
    b.onResolve({ filter: LEFT_OUT }, (a) => ({ path: a.path, namespace: 'left-out' }));
    b.onLoad({ filter: /.*/, namespace: 'left-out' }, (a) => ({
      loader: 'js',
      contents: `const no = () => { throw new Error(${JSON.stringify(`${a.path} is not in studybot's build: DOCKER_HOST must be a unix socket or tcp/http(s) address`)}); };
module.exports = { Client: no, Server: no, ServerCredentials: { createInsecure: no }, loadPackageDefinition: no, loadSync: no };`,
    }));
  },
};

await build({
  entryPoints: [path.join(root, 'src/cli.ts')],
  bundle: true,
  splitting: true,
  outdir: path.join(out, 'src'),
  chunkNames: 'chunks/[name]-[hash]',
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: NATIVE,
  plugins: [leaveOut],
  // CommonJS packages inside an ES module bundle still call require() and read __dirname.
  banner: {
    js: [
      "import { createRequire as __studybotRequire } from 'node:module';",
      "import { fileURLToPath as __studybotPath } from 'node:url';",
      'const require = __studybotRequire(import.meta.url);',
      'const __filename = __studybotPath(import.meta.url);',
      "const __dirname = __studybotPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  // Whitespace and syntax only: names stay as written, so logs and stack traces read as the source.
  minifyWhitespace: true,
  minifySyntax: true,
  keepNames: true,
  charset: 'ascii',
  sourcemap: true,
  logLevel: 'warning',
});
cpSync(migrations, path.join(out, 'src/db/migrations'), { recursive: true });
cpSync(recipe, path.join(out, 'docker/sandbox'), { recursive: true });
writeFileSync(stamp, new Date().toISOString());
if (!process.argv.includes('--if-stale')) process.stderr.write(`built dist/src/cli.js from ${entryPoints.length} modules and their dependencies in ${Date.now() - started} ms\n`);
