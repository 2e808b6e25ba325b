const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Program output as text: invalid UTF-8 becomes U+FFFD, and so does NUL, which some stores and
 * chat platforms reject or cut at.
 */
export function outputText(bytes: Uint8Array): string {
  return decoder.decode(bytes).replace(/\u0000/g, '\uFFFD');
}

/** The last `max` characters, marked as cut when longer (tracebacks end with what matters). */
export function tail(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/** The first `max` characters, marked as cut when longer. */
export function head(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
