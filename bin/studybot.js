#!/usr/bin/env node
// `studybot` on the PATH (npm link, npx): runs the compiled CLI, building it first when the sources
// are newer than dist/ (a fraction of a second; nothing when it is up to date).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.mjs', import.meta.url)), '--if-stale'], { stdio: 'inherit' });
await import('../dist/src/cli.js');
