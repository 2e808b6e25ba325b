/** A service the bot needs (Redis, Docker) is missing or unreachable; the message says what to do. */
export class MissingServiceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingServiceError';
  }
}
