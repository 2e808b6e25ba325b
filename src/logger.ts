import { destination, pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs with context objects (`log.info({ job }, 'msg')`). In the terminal chat the
 * logs go to stderr so they never interleave with the conversation on stdout.
 */
export function createLogger(level: string, stream: 'stdout' | 'stderr' = 'stderr'): Logger {
  return pino({ level, base: { app: 'studybot' } }, destination({ fd: stream === 'stdout' ? 1 : 2, sync: true }));
}

/** A logger that drops everything; for tests and one-shot CLI commands. */
export const silentLogger: Logger = pino({ level: 'silent' });
