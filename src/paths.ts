import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder that holds the code's own files (the SQL migrations, the sandbox recipe): the
 * repository when running from src/, dist/ in a build, where scripts/build.mjs copies them. Found by
 * walking up from this module, because a build bundles modules into chunks whose place says nothing
 * of where their source was.
 */
function findCodeRoot(): string {
  const start = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'src', 'db', 'migrations'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`studybot: no src/db/migrations in or above ${start}; run \`npm run build\` again`);
  }
}

const CODE_ROOT = findCodeRoot();

/** A file or folder of the code's own, e.g. codePath('docker', 'sandbox'). */
export const codePath = (...parts: string[]): string => path.join(CODE_ROOT, ...parts);
