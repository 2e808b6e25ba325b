import { randomBytes } from 'node:crypto';
import { UserError } from '../chat/errors.js';
import type { Reply } from '../chat/reply.js';
import { note, privateMessage, text } from '../chat/reply.js';
import type { Logger } from '../logger.js';

/**
 * Where every error of a chat call ends up, whichever layer caught it (the router's middleware, an
 * adapter's download or response): a UserError becomes a private reply saying what to do; anything
 * else is logged once with a short reference the learner can quote, and they see only that.
 */
export class ErrorSink {
  constructor(private readonly logger: Logger) {}

  reply(err: unknown, fields: Record<string, unknown> = {}): Reply {
    if (err instanceof UserError) return userErrorReply(err);
    const ref = randomBytes(3).toString('hex');
    this.logger.error({ err, ref, ...fields }, 'chat call failed');
    return privateMessage([text(`😵 Something went wrong on our side (ref \`${ref}\`). It has been logged; please try again.`)]);
  }
}

/** The private reply for an error the user can fix: what went wrong, and what to do instead. */
export function userErrorReply(err: UserError): Reply {
  return privateMessage([text(`⚠️ ${err.message}`), ...(err.hint ? [note(err.hint)] : [])]);
}
