import { readFileSync } from 'node:fs';
import type { Logger } from '../logger.js';
import type { DockerClients } from './docker-client.js';
import { SANDBOX_LABEL } from './settings.js';
import { codePath } from '../paths.js';

/**
 * The course's examples and challenges are proven on the Python packages pinned in this list (the
 * content tests run them on an image built from it). An image built on another base or at another
 * time may hold other versions, under which proven code can fail: the runner says so at start-up.
 */
export const PACKAGE_LIST = codePath('docker', 'sandbox', 'python-packages.txt');

/** Written by docker/sandbox/install-packages.py when the image is built. */
export const VERSIONS_RECORD = '/opt/studybot/versions.json';

export interface PinnedEnvironment {
  /** major.minor, e.g. "3.13": any patch release of it matches. */
  python: string;
  /** Normalised distribution name -> [name as listed, pinned version]. */
  packages: Map<string, { name: string; version: string }>;
}

export interface ImageVersions {
  python: string;
  packages: Record<string, string>;
}

/** PEP 503 normalisation, as install-packages.py records the names. */
export function normaliseName(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/** Parses python-packages.txt; a bad line is reported with its file and line number. */
export function parsePackageList(text: string, file = PACKAGE_LIST): PinnedEnvironment {
  let python: string | undefined;
  const packages = new Map<string, { name: string; version: string }>();
  text.split('\n').forEach((raw, index) => {
    const fields = raw.replace(/#.*/, '').trim().split(/\s+/).filter(Boolean);
    if (fields.length === 0) return;
    const where = `${file}:${index + 1}`;
    if (fields.length !== 4) {
      throw new Error(`${where}: expected 4 columns (distribution, version, import name, Debian package), got ${fields.length}`);
    }
    const [name, version] = fields as [string, string];
    if (name === 'python') {
      if (!/^\d+\.\d+$/.test(version)) throw new Error(`${where}: the python row pins major.minor (e.g. 3.13), got ${version}`);
      python = version;
    } else {
      const key = normaliseName(name);
      if (packages.has(key)) throw new Error(`${where}: ${name} is listed twice`);
      packages.set(key, { name, version });
    }
  });
  if (!python) throw new Error(`${file}: no python row (python <major.minor> - python3)`);
  return { python, packages };
}

export function readPackageList(file = PACKAGE_LIST): PinnedEnvironment {
  return parsePackageList(readFileSync(file, 'utf8'), file);
}

/** Every way the image differs from the pins, one readable line each ("fastapi 0.116.1, pinned 0.115.11"). */
export function versionDifferences(pinned: PinnedEnvironment, image: ImageVersions): string[] {
  const differences: string[] = [];
  if (image.python !== pinned.python && !image.python.startsWith(`${pinned.python}.`)) {
    differences.push(`Python ${image.python}, pinned ${pinned.python}`);
  }
  for (const [key, { name, version }] of pinned.packages) {
    const actual = image.packages[key];
    if (actual === undefined) differences.push(`${name} missing, pinned ${version}`);
    else if (actual !== version) differences.push(`${name} ${actual}, pinned ${version}`);
  }
  return differences;
}

/** The first regular file of a tar archive (Docker's archive API sends one entry per file). */
function firstFileOfTar(tar: Buffer): Buffer | undefined {
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) return undefined;
    const size = parseInt(header.subarray(124, 136).toString('latin1').replace(/\0.*$/, '').trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const start = offset + 512;
    if (type === '0' || type === '\0') return tar.subarray(start, start + size);
    // pax and GNU long-name headers precede the entry they describe
    offset = start + Math.ceil(size / 512) * 512;
  }
  return undefined;
}

const MAX_RECORD_BYTES = 1024 * 1024;

/**
 * Reads the image's record of its packages from a created (never started) container, or returns
 * undefined when the image has none (built by a recipe older than the record).
 */
export async function readImageVersions(clients: DockerClients, image: string): Promise<ImageVersions | undefined> {
  const container = await clients.control.createContainer({
    Image: image,
    Cmd: ['true'],
    NetworkDisabled: true,
    // Found and removed by the janitor should this process die before removing it.
    Labels: { [SANDBOX_LABEL]: '1' },
    HostConfig: { NetworkMode: 'none', LogConfig: { Type: 'none', Config: {} } },
  });
  try {
    let stream: NodeJS.ReadableStream;
    try {
      stream = await container.getArchive({ path: VERSIONS_RECORD });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return undefined;
      throw err;
    }
    const chunks: Buffer[] = [];
    let total = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > MAX_RECORD_BYTES) throw new Error(`${VERSIONS_RECORD} in ${image} is larger than ${MAX_RECORD_BYTES} bytes`);
      chunks.push(chunk);
    }
    const file = firstFileOfTar(Buffer.concat(chunks));
    if (!file) throw new Error(`${VERSIONS_RECORD} in ${image} came back empty`);
    const record = JSON.parse(file.toString('utf8')) as Partial<ImageVersions>;
    if (typeof record.python !== 'string' || typeof record.packages !== 'object' || record.packages === null) {
      throw new Error(`${VERSIONS_RECORD} in ${image} has no python or packages field`);
    }
    return { python: record.python, packages: record.packages };
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

export type VersionCheck =
  | { status: 'match'; python: string }
  | { status: 'differs'; differences: string[] }
  | { status: 'unrecorded' }
  | { status: 'unchecked'; error: unknown };

/**
 * Compares the sandbox image's packages with the versions the course was proven on and logs a
 * warning naming every difference. Never throws: a runner with a drifted image still runs code,
 * but whoever reads the log knows why a proven example might now fail.
 */
export async function checkSandboxVersions(
  clients: DockerClients,
  image: string,
  logger: Logger,
  pinned: PinnedEnvironment | (() => PinnedEnvironment) = readPackageList,
): Promise<VersionCheck> {
  let result: VersionCheck;
  try {
    const pins = typeof pinned === 'function' ? pinned() : pinned;
    const versions = await readImageVersions(clients, image);
    if (!versions) result = { status: 'unrecorded' };
    else {
      const differences = versionDifferences(pins, versions);
      result = differences.length ? { status: 'differs', differences } : { status: 'match', python: versions.python };
    }
  } catch (err) {
    result = { status: 'unchecked', error: err };
  }
  switch (result.status) {
    case 'match':
      logger.debug({ image, python: result.python }, 'sandbox image holds the pinned Python packages');
      break;
    case 'differs':
      logger.warn(
        { image, differences: result.differences },
        `the sandbox image ${image} differs from docker/sandbox/python-packages.txt, the versions the course was proven on: ` +
          `${result.differences.join('; ')}. Rebuild it (FORCE=1 npm run sandbox:build) or re-prove the content on it`,
      );
      break;
    case 'unrecorded':
      logger.warn(
        { image },
        `the sandbox image ${image} records no package versions (${VERSIONS_RECORD} is missing): it predates the pinned ` +
          'package list; rebuild it with npm run sandbox:build',
      );
      break;
    case 'unchecked':
      logger.warn({ image, err: result.error }, `could not check the Python packages of the sandbox image ${image}`);
      break;
  }
  return result;
}
