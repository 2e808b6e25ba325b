import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { pino, type Logger } from 'pino';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDockerClients } from '../../src/runner/docker-client.js';
import { checkSandboxVersions, normaliseName, parsePackageList, readPackageList, type PinnedEnvironment } from '../../src/runner/sandbox-versions.js';
import { startRunner } from '../../src/runner/index.js';
import { sandboxEnv } from '../support/app.js';
import { testRedisUrl } from '../support/redis.js';
import { ensureSandboxImage, testSettings } from '../runner/helpers.js';

/**
 * One sandbox environment whichever recipe builds it: docker/sandbox/python-packages.txt pins every
 * distribution, the image built here must hold exactly those versions, and a runner whose image
 * differs says so when it starts.
 */
const run = promisify(execFile);
const image = testSettings().image;
const pinned = readPackageList();

/** Runs a Python snippet in the sandbox image (no network, the sandbox's user) and parses its JSON. */
async function inImage<T>(script: string, args: string[] = []): Promise<T> {
  const { stdout } = await run(
    'docker',
    ['run', '--rm', '--network', 'none', '--user', '10001:10001', '--entrypoint', 'python3', image, '-I', '-c', script, ...args],
    { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as T;
}

async function baseOf(name: string): Promise<string> {
  const { stdout } = await run('docker', ['image', 'inspect', '--format', '{{ index .Config.Labels "studybot.sandbox.base" }}', name]);
  return stdout.trim();
}

function capturingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  return { logger: pino({ level: 'debug' }, stream), lines };
}

beforeAll(() => {
  ensureSandboxImage();
}, 900_000);

describe('the sandbox package list', () => {
  it('pins Python 3.13 and the course stack at the versions the content is proven on', () => {
    expect(pinned.python).toBe('3.13');
    const version = (name: string) => pinned.packages.get(normaliseName(name))?.version;
    expect(version('django')).toMatch(/^4\.2\./);
    expect(version('pydantic')).toMatch(/^2\.10\./);
    expect(version('fastapi')).toMatch(/^0\.115\./);
    expect(version('djangorestframework')).toMatch(/^3\.16\./);
    expect(version('pytest')).toMatch(/^8\.3\./);
    expect(version('mypy')).toMatch(/^1\.15\./);
    expect(version('black')).toMatch(/^25\./);
    for (const name of [
      'pytest-asyncio',
      'pytest-django',
      'hypothesis',
      'starlette',
      'httpx',
      'PyJWT',
      'aiohttp',
      'beautifulsoup4',
      'websockets',
      'SQLAlchemy',
    ]) {
      expect.soft(version(name), name).toMatch(/^\d+(\.\d+)+$/);
    }
  });

  it('rejects a malformed line with its file and line number', () => {
    expect(() => parsePackageList('python 3.13 - python3\ndjango 4.2.28 django\n', 'list.txt')).toThrow(
      'list.txt:2: expected 4 columns (distribution, version, import name, Debian package), got 3',
    );
    expect(() => parsePackageList('django 4.2.28 django python3-django\n', 'list.txt')).toThrow('list.txt: no python row');
    expect(() => parsePackageList('python 3.13 - python3\nsix 1 six a\nSix 2 six b\n', 'list.txt')).toThrow('list.txt:3: Six is listed twice');
  });
});

describe('the sandbox image', () => {
  it('holds every pinned distribution at exactly its pinned version (importlib.metadata, run in the image)', async () => {
    const names = [...pinned.packages.values()].map((p) => p.name);
    const found = await inImage<{ python: string; versions: Record<string, string | null> }>(
      `import importlib.metadata as m, json, sys
def version(name):
    try:
        return m.version(name)
    except m.PackageNotFoundError:
        return None
print(json.dumps({"python": "%d.%d.%d" % sys.version_info[:3], "versions": {n: version(n) for n in sys.argv[1:]}}))`,
      names,
    );
    expect(found.python.startsWith(`${pinned.python}.`), found.python).toBe(true);
    const expected = Object.fromEntries(names.map((n) => [n, pinned.packages.get(normaliseName(n))!.version]));
    expect(found.versions).toEqual(expected);
  });

  it('holds nothing the list does not name, and every requirement of a listed distribution is listed', async () => {
    const report = await inImage<{ installed: string[]; unmet: string[] }>(
      `import importlib.metadata as m, json, re, sys
from packaging.requirements import Requirement
norm = lambda n: re.sub(r"[-_.]+", "-", n).lower()
listed = set(sys.argv[1:])
installed, unmet = [], []
for dist in m.distributions():
    installed.append(norm(dist.metadata["Name"]))
    for text in dist.requires or []:
        req = Requirement(text)
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        if norm(req.name) not in listed:
            unmet.append("%s needs %s" % (dist.metadata["Name"], text))
print(json.dumps({"installed": sorted(installed), "unmet": sorted(unmet)}))`,
      [...pinned.packages.keys()],
    );
    // The official python:*-slim base brings pip; the Debian base brings nothing of its own.
    const extras = (await baseOf(image)).startsWith('python:') ? new Set(['pip']) : new Set<string>();
    expect(report.installed.filter((n) => !extras.has(n))).toEqual([...pinned.packages.keys()].sort());
    // With --no-deps, the official recipe installs exactly the list: a missing requirement would
    // break an import there while the Debian image still works.
    expect(report.unmet).toEqual([]);
  });

  it('imports what the course uses on the pinned stack', async () => {
    const versions = await inImage<Record<string, string>>(
      `import json, sys, django, pydantic, fastapi, rest_framework, jwt, sqlalchemy, aiohttp, bs4, websockets, httpx
import hypothesis, pytest, pytest_asyncio, pytest_django, mypy.version, black
print(json.dumps({"python": sys.version.split()[0], "django": django.get_version(), "pydantic": pydantic.VERSION,
                  "fastapi": fastapi.__version__, "mypy": mypy.version.__version__}))`,
    );
    const pin = (name: string) => pinned.packages.get(name)!.version;
    expect(versions).toEqual({
      python: expect.stringMatching(/^3\.13\./),
      django: pin('django'),
      pydantic: pin('pydantic'),
      fastapi: pin('fastapi'),
      mypy: pin('mypy'),
    });
  });
});

describe("the runner's start-up check", () => {
  const clients = createDockerClients(testSettings().dockerHost);

  it('finds nothing to say about an image built from the list', async () => {
    const { logger, lines } = capturingLogger();
    const result = await checkSandboxVersions(clients, image, logger);
    expect(result).toEqual({ status: 'match', python: expect.stringMatching(/^3\.13\./) });
    expect(lines.filter((l) => (l.level as number) >= 40)).toEqual([]);
  });

  it('names every package whose version differs from the pins, and a different Python', async () => {
    const drifted: PinnedEnvironment = {
      python: '3.12',
      packages: new Map([...pinned.packages, ['django', { name: 'django', version: '5.2.1' }], ['left-pad', { name: 'left-pad', version: '1.0' }]]),
    };
    const { logger, lines } = capturingLogger();
    const result = await checkSandboxVersions(clients, image, logger, drifted);
    const django = pinned.packages.get('django')!.version;
    expect(result.status).toBe('differs');
    expect(result.status === 'differs' && result.differences).toEqual([
      expect.stringMatching(/^Python 3\.13\.\d+, pinned 3\.12$/),
      `django ${django}, pinned 5.2.1`,
      'left-pad missing, pinned 1.0',
    ]);
    const warnings = lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.msg).toContain(`the sandbox image ${image} differs from docker/sandbox/python-packages.txt`);
    expect(warnings[0]!.msg).toContain(`django ${django}, pinned 5.2.1`);
  });

  it('warns at runner start when the image records no versions (an image from an older recipe)', async () => {
    const base = await baseOf(image);
    expect(base).not.toBe('');
    const { logger, lines } = capturingLogger();
    const config = loadConfig({ REDIS_URL: testRedisUrl(), ...sandboxEnv() });
    const runner = await startRunner({
      config: { ...config, runner: { ...testSettings(), image: base, poolSize: 0, concurrency: 1 } },
      logger,
      queueName: `versions-${process.pid}-${Date.now()}`,
    });
    try {
      const deadline = Date.now() + 30_000;
      let warning: Record<string, unknown> | undefined;
      while (!warning && Date.now() < deadline) {
        warning = lines.find((l) => l.level === 40 && String(l.msg).includes('records no package versions'));
        if (!warning) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(warning?.msg).toContain(`the sandbox image ${base} records no package versions`);
    } finally {
      await runner.close();
    }
  });
});
