import { ApplicationCommandOptionType, type CommandInteractionOption } from 'discord.js';
import type { FileInput, OptionValue } from '../../chat/command.js';
import { UserError } from '../../chat/errors.js';

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

function kb(bytes: number): string {
  return `${(bytes / 1000).toFixed(bytes < 10_000 ? 1 : 0)} KB`;
}

/**
 * Fetches an uploaded file, refusing it before and while downloading when it is over the limit,
 * so a large upload never sits in memory.
 */
export async function downloadAttachment(file: RemoteFile, limits: DownloadLimits): Promise<FileInput> {
  const tooBig = () => new UserError(`"${file.name}" is ${kb(file.size)}; the limit is ${kb(limits.maxBytes)}.`, 'Trim it down and attach it again.');
  if (file.size > limits.maxBytes) throw tooBig();
  const url = new URL(file.url);
  if (!/^https?:$/.test(url.protocol) || !limits.hosts.has(url.host)) {
    throw new Error(`refusing to fetch an attachment from ${url.host}`);
  }
  const res = await fetch(url, { signal: AbortSignal.timeout(limits.timeoutMs ?? 10_000) });
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

/** Slash command option values in the neutral form; attachments downloaded through `fetchFile`. */
export async function neutralOptions(
  options: readonly CommandInteractionOption[],
  fetchFile: (f: RemoteFile) => Promise<FileInput>,
): Promise<Record<string, OptionValue | undefined>> {
  const values: Record<string, OptionValue | undefined> = {};
  for (const o of options) {
    switch (o.type) {
      case ApplicationCommandOptionType.Attachment:
        if (o.attachment) values[o.name] = await fetchFile({ name: o.attachment.name, url: o.attachment.url, size: o.attachment.size });
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
