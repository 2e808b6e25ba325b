/** The Docker engine could not be reached (or did not answer in time): the job should be retried. */
export class DockerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DockerUnavailableError';
  }
}

/** The sandbox itself failed (not the learner's code): the job should be retried. */
export class SandboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
  }
}

/** The job cannot be run as given; retrying would fail the same way. */
export class InvalidJobError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidJobError';
  }
}

const UNREACHABLE_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'EACCES']);

/** True when an error from dockerode means the engine is unreachable rather than that a request was refused. */
export function isConnectionError(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  const code = (err as NodeJS.ErrnoException).code;
  if (code && UNREACHABLE_CODES.has(code)) return true;
  return /socket hang up|timeout|timed out|aborted/i.test(err.message);
}
