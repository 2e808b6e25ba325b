#!/usr/bin/env node
// `studybot` on the PATH (npm link, npx): runs the TypeScript CLI through tsx, no build step needed.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli.ts');
