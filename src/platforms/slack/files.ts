import { echo } from '../../chat/user-text.js';
import type { UploadedFile, ViewOutput } from '@slack/bolt';
import type { FileInput, PendingFile } from '../../chat/command.js';
import { UserError } from '../../chat/errors.js';
import { kb } from '../../text/sizes.js';

/** Where Slack serves uploaded files' bytes (url_private_download), beside the Web API a test may point at. */
export const SLACK_FILE_HOSTS: readonly string[] = ['files.slack.com'];

const MAX_REDIRECTS = 3;

type SlackFile = Pick<UploadedFile, 'name' | 'url_private' | 'url_private_download'> & { size?: number | undefined };

export interface FileFetch {
  botToken: string;
  /** Hosts the bot token may be sent to for a file: Slack's file host, or the Web API host a test points at. */
  hosts: ReadonlySet<string>;
  timeoutMs?: number;
}

/**
 * A file uploaded through a modal's file_input, fetched once the router and the handler have let
 * the call through. Slack serves it only with the bot token (`Authorization: Bearer`), so the token
 * goes to Slack's own hosts and nowhere else, redirects included.
 */
export function pendingSlackFile(file: SlackFile, how: FileFetch): PendingFile {
  return {
    pending: true,
    name: file.name,
    // A size Slack left out is checked while downloading instead.
    size: file.size ?? 0,
    fetch: (maxBytes) => downloadSlackFile(file, maxBytes, how),
  };
}

async function downloadSlackFile(file: SlackFile, maxBytes: number, how: FileFetch): Promise<FileInput> {
  const tooBig = () => new UserError(`"${echo(file.name)}" is larger than ${kb(maxBytes)}, the limit.`, 'Trim it down and upload it again.');
  if ((file.size ?? 0) > maxBytes) throw tooBig();
  const signal = AbortSignal.timeout(how.timeoutMs ?? 10_000);
  let url = new URL(file.url_private_download || file.url_private);
  let res: Response | undefined;
  for (let hop = 0; ; hop++) {
    if (!/^https?:$/.test(url.protocol) || !how.hosts.has(url.host)) throw new Error(`refusing to fetch a Slack file from ${url.host}`);
    res = await fetch(url, { signal, redirect: 'manual', headers: { authorization: `Bearer ${how.botToken}` } });
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) break;
    if (hop >= MAX_REDIRECTS) throw new Error('too many redirects fetching a Slack file');
    await res.body?.cancel();
    url = new URL(location, url);
  }
  if (!res.ok || !res.body) throw new Error(`Slack file download failed with HTTP ${res.status}`);
  // Without a valid token Slack answers with its sign-in page instead of the file.
  if ((res.headers.get('content-type') ?? '').startsWith('text/html')) {
    await res.body.cancel();
    throw new Error('Slack answered a file download with a web page (is the files:read scope granted?)');
  }
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of res.body) {
    size += part.length;
    if (size > maxBytes) throw tooBig();
    parts.push(part);
  }
  return { name: file.name, data: Buffer.concat(parts) };
}

/** The files of a submitted modal's file_input fields, by field id (one file per field). */
export function formFiles(view: ViewOutput, how: FileFetch): Record<string, PendingFile> {
  const files: Record<string, PendingFile> = {};
  for (const [blockId, actions] of Object.entries(view.state.values)) {
    for (const [actionId, state] of Object.entries(actions)) {
      const first = state.type === 'file_input' ? state.files?.[0] : undefined;
      if (first) files[actionId === blockId ? blockId : actionId] = pendingSlackFile(first, how);
    }
  }
  return files;
}
