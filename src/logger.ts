import { type DestinationStream, destination, type Logger, pino, stdSerializers } from 'pino';

export type { Logger };

const REDACTED = '[redacted]';

/** Keys whose values are credentials or reply handles wherever they appear in a log line. */
const SECRET_KEY =
  /^(token|.*_token|.*Token|secret|.*Secret|password|authorization|cookie|handle|response_?url|responseUrl|webhookUrl|signingSecret)$/i;

/** Credentials recognisable by their shape, in any string (URLs in errors, request bodies). */
const SECRET_SHAPES: [RegExp, string][] = [
  // Discord interaction and webhook tokens sit in the URL path: /webhooks/<app>/<token>, /interactions/<id>/<token>.
  [/(\/(?:webhooks|interactions)\/\d+\/)[A-Za-z0-9_.-]{20,}/g, `$1${REDACTED}`],
  // Discord bot tokens.
  [/\b[MNO][A-Za-z\d_-]{23,27}\.[A-Za-z\d_-]{6}\.[A-Za-z\d_-]{27,}\b/g, REDACTED],
  // Slack tokens and response URLs.
  [/\bx(?:ox[abposre]|app)-[A-Za-z0-9-]{8,}/g, REDACTED],
  [/https:\/\/hooks\.slack\.com\/[^\s"'<>]+/g, `https://hooks.slack.com/${REDACTED}`],
  // Passwords in URLs (redis://user:password@host).
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s"']*:)[^@\s"']+@/gi, `$1${REDACTED}@`],
];

/** Replaces every secret in a string: the configured values first, then the known shapes. */
export function scrubText(s: string, secrets: readonly string[] = []): string {
  let out = s;
  for (const value of secrets) if (value.length >= 6) out = out.split(value).join(REDACTED);
  for (const [re, by] of SECRET_SHAPES) out = out.replace(re, by);
  return out;
}

/** A copy of a log value with every secret taken out (keys by name, strings by shape), to a bounded depth. */
export function scrub(value: unknown, secrets: readonly string[] = [], depth = 0): unknown {
  if (typeof value === 'string') return scrubText(value, secrets);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  if (Array.isArray(value)) return value.map((v) => scrub(v, secrets, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // A request body may carry the whole message being sent; what went wrong is in the error itself.
    if (k === 'requestBody' || k === 'rawBody') continue;
    out[k] = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : scrub(v, secrets, depth + 1);
  }
  return out;
}

/**
 * Structured JSON logs with context objects (`log.info({ job }, 'msg')`). In the terminal chat the
 * logs go to stderr so they never interleave with the conversation on stdout. Every line is
 * scrubbed of secrets first: the configured tokens and passwords, anything shaped like a token or
 * a reply URL, and the values of keys that name one, errors included.
 */
export function createLogger(
  level: string,
  opts: { stream?: 'stdout' | 'stderr'; secrets?: readonly string[]; destination?: DestinationStream } = {},
): Logger {
  const secrets = opts.secrets ?? [];
  return pino(
    {
      level,
      base: { app: 'studybot' },
      serializers: { err: (err: Error) => scrub(stdSerializers.err(err), secrets) },
      formatters: { log: (object) => scrub(object, secrets) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          // The message itself (the last string argument) can hold a URL too.
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubText(a, secrets) : a)) as typeof args;
          method.apply(this, scrubbed);
        },
      },
    },
    opts.destination ?? destination({ fd: opts.stream === 'stdout' ? 1 : 2, sync: true }),
  );
}

/** A logger that drops everything; for tests and one-shot CLI commands. */
export const silentLogger: Logger = pino({ level: 'silent' });
