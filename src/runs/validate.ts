import { echo } from '../chat/user-text.js';
import { UserError } from '../chat/errors.js';
import type { FileInput } from '../chat/command.js';
import { fencedBlocks, STDIN_TAGS } from '../text/fences.js';
import { kb } from '../text/sizes.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Control characters that never belong in source code (tab, newline, CR and form feed do). */
const BINARY = /[\u0000-\u0008\u000B\u000E-\u001F\u007F]/;

/** Text of an uploaded .py file, or a clear refusal for binaries, non-UTF-8 and oversized files. */
export function decodeUpload(file: FileInput, maxBytes: number): string {
  if (!/\.py$/i.test(file.name)) {
    throw new UserError(`"${echo(file.name)}" is not a Python file.`, 'Attach a .py file, or paste your code in a code block.');
  }
  if (file.data.length > maxBytes) {
    throw new UserError(`"${echo(file.name)}" is ${kb(file.data.length)}; the limit is ${kb(maxBytes)}.`);
  }
  try {
    return decoder.decode(file.data);
  } catch {
    throw new UserError(`"${echo(file.name)}" is not UTF-8 text (is it a binary file?).`, 'Save it as UTF-8 and attach it again.');
  }
}

/** Checks code (and stdin) before anything is stored or queued; throws a UserError saying what is wrong. */
export function validateCode(code: string, maxBytes: number, what = 'Your code'): string {
  const trimmed = code.replace(/^\s*\n/, '').replace(/\s+$/, '');
  if (trimmed.trim() === '') {
    throw new UserError(`${what} is empty.`, 'Put your code after the command, ideally in a ```python code block.');
  }
  const size = Buffer.byteLength(trimmed, 'utf8');
  if (size > maxBytes) throw new UserError(`${what} is ${kb(size)}; the limit is ${kb(maxBytes)}.`, 'Trim it down and send it again.');
  const m = BINARY.exec(trimmed);
  if (m) {
    const line = trimmed.slice(0, m.index).split('\n').length;
    const name = m[0] === '\u0000' ? 'a NUL byte' : `a control character (U+${m[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')})`;
    throw new UserError(`${what} contains ${name} on line ${line}, so it looks like binary data rather than Python source.`);
  }
  if (trimmed.includes('\uFFFD')) {
    throw new UserError(`${what} contains bytes that are not valid UTF-8 (shown as �).`, 'Save the file as UTF-8 and send it again.');
  }
  return `${trimmed}\n`;
}

/**
 * Pulls code out of chat text: the first fenced block if there is one (any language tag dropped),
 * otherwise the text itself (inline `backticks` around a one-liner removed).
 */
export function extractCode(textIn: string): string {
  const fenced = fencedBlocks(textIn).find((b) => !STDIN_TAGS.has(b.tag));
  if (fenced) return fenced.body;
  const inline = /^\s*`([^`\n]+)`\s*$/.exec(textIn);
  return inline ? inline[1]! : textIn;
}
