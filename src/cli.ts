#!/usr/bin/env node
import { loadConfig, ConfigError } from './config.js';
import { runContentCheck } from './content/check.js';

const USAGE = `studybot — a study bot for Python study groups

Usage:
  studybot start [--user NAME]       run the bot (terminal chat when no Discord/Slack credentials are set)
  studybot content:check             validate the study content
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'content:check': {
      const config = loadConfig();
      return runContentCheck(rest[0] ?? config.contentDir);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return command === undefined ? 1 : 0;
    default:
      process.stderr.write(`Unknown command "${command}".\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
