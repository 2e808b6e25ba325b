import { echo } from '../../chat/user-text.js';
import { ApplicationCommandOptionType, type CommandInteractionOption } from 'discord.js';
import type { FileInput, OptionValue } from '../../chat/command.js';
import { UserError } from '../../chat/errors.js';
import { kb } from '../../text/sizes.js';

/** Where a slash command's options sit: under a subcommand (and group), or at the top. */
export function commandPath(data: readonly CommandInteractionOption[]): { path: string[]; options: readonly CommandInteractionOption[] } {
  const first = data[0];
  if (first?.type === ApplicationCommandOptionType.SubcommandGroup) {
    const sub = first.options?.[0];
    return { path: [first.name, sub?.name ?? ''], options: sub?.options ?? [] };
  }
  if (first?.type === ApplicationCommandOptionType.Subcommand) return { path: [first.name], options: first.options ?? [] };
  return { path: [], options: data };
}

export interface RemoteFile {
  name: string;
  url: string;
  size: number;
}

export interface DownloadLimits {
  maxBytes: number;
  /** Hosts attachments may be fetched from (Discord's CDN, or the API host a test points at). */
  hosts: ReadonlySet<string>;
  timeoutMs?: number;
}

const MAX_REDIRECTS = 3;

/**
 * Fetches an uploaded file, refusing it before and while downloading when it is over the limit,
 * so a large upload never sits in memory.
 */
export async function downloadAttachment(file: RemoteFile, limits: DownloadLimits): Promise<FileInput> {
  const tooBig = () =>
    new UserError(`"${echo(file.name)}" is ${kb(file.size)}; the limit is ${kb(limits.maxBytes)}.`, 'Trim it down and attach it again.');
  if (file.size > limits.maxBytes) throw tooBig();
  const signal = AbortSignal.timeout(limits.timeoutMs ?? 10_000);
  // Redirects are followed by hand so that every hop is held to the same hosts.
  let url = new URL(file.url);
  let res: Response | undefined;
  for (let hop = 0; ; hop++) {
    if (!/^https?:$/.test(url.protocol) || !limits.hosts.has(url.host)) throw new Error(`refusing to fetch an attachment from ${url.host}`);
    res = await fetch(url, { signal, redirect: 'manual' });
    const location = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
    if (!location) break;
    if (hop >= MAX_REDIRECTS) throw new Error('too many redirects fetching an attachment');
    await res.body?.cancel();
    url = new URL(location, url);
  }
  if (!res.ok || !res.body) throw new Error(`attachment download failed with HTTP ${res.status}`);
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of res.body) {
    size += part.length;
    if (size > limits.maxBytes) throw tooBig();
    parts.push(part);
  }
  return { name: file.name, data: Buffer.concat(parts) };
}

/** Slash command option values in the neutral form; attachments as files the router fetches once the call is allowed. */
export function neutralOptions(
  options: readonly CommandInteractionOption[],
  fetchFile: (f: RemoteFile, maxBytes: number) => Promise<FileInput>,
): Record<string, OptionValue | undefined> {
  const values: Record<string, OptionValue | undefined> = {};
  for (const o of options) {
    switch (o.type) {
      case ApplicationCommandOptionType.Attachment:
        if (o.attachment) {
          const remote = { name: o.attachment.name, url: o.attachment.url, size: o.attachment.size };
          values[o.name] = { pending: true, name: remote.name, size: remote.size, fetch: (maxBytes) => fetchFile(remote, maxBytes) };
        }
        break;
      case ApplicationCommandOptionType.Integer:
      case ApplicationCommandOptionType.Number:
        values[o.name] = Number(o.value);
        break;
      case ApplicationCommandOptionType.Boolean:
        values[o.name] = Boolean(o.value);
        break;
      default:
        // Strings, and channel/user/role ids.
        if (o.value !== undefined) values[o.name] = String(o.value);
    }
  }
  return values;
}
