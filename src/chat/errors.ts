/**
 * Errors a user caused and can fix. The middleware turns them into a private reply with the
 * message as written, so it must say what went wrong and what to do instead.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** The user may not do this here (e.g. admin-only configuration). */
export class PermissionError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'PermissionError';
  }
}

/** Slow down: carries how long to wait. */
export class RateLimitError extends UserError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(message);
    this.name = 'RateLimitError';
  }
}

/** A service the bot depends on is not reachable right now (e.g. the code runner). */
export class UnavailableError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'UnavailableError';
  }
}

export function formatWait(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  if (s < 120) return `${s} second${s === 1 ? '' : 's'}`;
  const m = Math.ceil(s / 60);
  return `${m} minute${m === 1 ? '' : 's'}`;
}
