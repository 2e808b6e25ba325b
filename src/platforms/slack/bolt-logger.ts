import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from '../../logger.js';

function describe(parts: unknown[]): string {
  return parts
    .map((p) => {
      if (typeof p === 'string') return p;
      if (p instanceof Error) return p.message;
      try {
        return JSON.stringify(p);
      } catch {
        return String(p);
      }
    })
    .join(' ');
}

/**
 * Bolt and its Web API client log through this, into the bot's structured log (component
 * "slack"); the bot's LOG_LEVEL decides what is written.
 */
export function boltLogger(logger: Logger): BoltLogger {
  const log = logger.child({ component: 'slack' });
  let level: LogLevel = LogLevel.INFO;
  const withError = (parts: unknown[]) => {
    const err = parts.find((p): p is Error => p instanceof Error);
    return err ? { err } : {};
  };
  return {
    debug: (...msg: unknown[]) => log.debug(describe(msg)),
    info: (...msg: unknown[]) => log.info(describe(msg)),
    warn: (...msg: unknown[]) => log.warn(withError(msg), describe(msg)),
    error: (...msg: unknown[]) => log.error(withError(msg), describe(msg)),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => undefined,
  };
}
