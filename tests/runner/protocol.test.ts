import { describe, expect, it } from 'vitest';
import { GVISOR_PIDS_ALLOWANCE, allocateUid, containerSpec, releaseUid } from '../../src/runner/container-spec.js';
import { SANDBOX_UID_COUNT, SANDBOX_UID_FIRST } from '../../src/runner/settings.js';
import { runOrder } from '../../src/runner/sandbox.js';
import { dockerConnection } from '../../src/runner/docker-client.js';
import { normalizeOutput, outputsMatch } from '../../src/runner/grading.js';
import { ContractError, parseJob } from '../../src/contract/code-runs.js';
import { FrameParser, supervisorJob, type TimedFrame } from '../../src/runner/protocol.js';
import { outputText } from '../../src/runner/text.js';
import { gradeJob, runJob, testSettings } from './helpers.js';

describe('output comparison', () => {
  it('ignores trailing whitespace per line and trailing blank lines, nothing else', () => {
    expect(normalizeOutput('a  \nb\t\n\n\n')).toBe('a\nb');
    expect(outputsMatch('1\r\n2\r\n', '1\n2')).toBe(true);
    expect(outputsMatch(' 1', '1')).toBe(false);
    expect(outputsMatch('1\n\n2', '1\n2')).toBe(false);
    expect(outputsMatch('', '\n\n')).toBe(true);
  });
});

describe('output decoding', () => {
  it('replaces invalid UTF-8 and NUL instead of failing', () => {
    expect(outputText(Buffer.from([0xff, 0x41, 0x00, 0xe2, 0x82]))).toBe('\uFFFDA\uFFFD\uFFFD');
  });
});

describe('frame parser', () => {
  it('reassembles frames split across chunks and reports garbage', () => {
    const frames: TimedFrame[] = [];
    const garbage: string[] = [];
    const parser = new FrameParser(
      (f) => frames.push(f),
      (l) => garbage.push(l),
    );
    const text = '{"t":"ready","v":1,"python":"3"}\n{"t":"start","i":0}\nnot json\n{"t":"done"}\n';
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += 7) parser.push(bytes.subarray(i, i + 7), i);
    expect(frames.map((f) => f.t)).toEqual(['ready', 'start', 'done']);
    expect(garbage).toEqual(['not json']);
  });
});

describe('job validation', () => {
  it('accepts the contract shapes and rejects malformed jobs', () => {
    expect(parseJob(runJob('print(1)')).kind).toBe('run');
    expect(() => parseJob({ kind: 'run', code: 1 })).toThrow(ContractError);
    expect(() => parseJob(gradeJob('pytest', 'x', [{ module: '', expected: 'pass' }]))).toThrow(/target/);
    expect(() => parseJob(gradeJob('call', 'x', [{ expected: '1' }]))).toThrow(/call/);
  });
});

describe('what enters the sandbox', () => {
  it('carries case inputs but never expected outputs', () => {
    const job = gradeJob('call', 'def f(): pass', [
      { call: 'f()', expected: 'VISIBLE-EXPECTED' },
      { call: 'f()', expected: 'HIDDEN-EXPECTED', hidden: true, maxSeconds: 1 },
    ]);
    const line = JSON.stringify(supervisorJob(job, { timeoutSeconds: 5, outputKb: 64 }));
    expect(line).not.toContain('EXPECTED');
    expect(line).not.toContain('hidden');
    expect(JSON.parse(line).cases).toEqual([{ call: 'f()' }, { call: 'f()' }]);
  });

  it('carries no check either: only whether to sample threads and processes', () => {
    const job = gradeJob('call', 'def f(): pass', [
      { call: 'f()', expected: '1', observe: { threads: { min: 3 }, calls: { fetch: { min: 8, max: 8 } } }, hidden: true, hint: 'THE-HINT' },
      { call: 'f()', expected: '1', observe: { calls: { fetch: { max: 1 } } } },
    ]);
    const line = JSON.stringify(supervisorJob(job, { timeoutSeconds: 5, outputKb: 64 }));
    expect(JSON.parse(line).cases).toEqual([{ call: 'f()', watch: true }, { call: 'f()' }]);
    expect(line).not.toMatch(/fetch|THE-HINT|min|max/);
  });

  it('runs visible cases in order, then hidden cases in a random order', () => {
    const job = gradeJob(
      'call',
      'x = 1',
      Array.from({ length: 12 }, (_, i) => ({ call: `x + ${i}`, expected: '1', hidden: i >= 2 })),
    );
    const orders = Array.from({ length: 40 }, () => runOrder(job));
    for (const order of orders) {
      expect(order.slice(0, 2)).toEqual([0, 1]);
      expect([...order].sort((a, b) => a - b)).toEqual(job.cases.map((_, i) => i));
    }
    // Ten hidden cases: forty draws that all came out the same would mean no shuffle at all.
    expect(new Set(orders.map((o) => o.join(','))).size).toBeGreaterThan(30);
    const line = JSON.stringify(supervisorJob(job, { timeoutSeconds: 5, outputKb: 64 }, orders[0]));
    expect(JSON.parse(line).cases.map((c: { call: string }) => Number(c.call.split('+ ')[1]))).toEqual(orders[0]);
  });
});

describe('container spec', () => {
  it('applies every isolation setting', () => {
    const settings = testSettings({ memoryMb: 100, pids: 50, cpus: 0.5, tmpfsMb: 8, runtime: 'runsc' });
    const spec = containerSpec(settings, { runner: 'r1' }, 2_100_000_042);
    const host = spec.HostConfig!;
    expect(host.NetworkMode).toBe('none');
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Memory).toBe(100 * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    // gVisor's own threads count against the limit, so the learner's allowance comes on top.
    expect(host.PidsLimit).toBe(50 + GVISOR_PIDS_ALLOWANCE);
    expect(containerSpec(testSettings({ pids: 50 }), { runner: 'r1' }, 2_100_000_042).HostConfig!.PidsLimit).toBe(50);
    expect(host.NanoCpus).toBe(5e8);
    expect(host).not.toHaveProperty('CpuQuota');
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(host.AutoRemove).toBe(false);
    expect(host.Runtime).toBe('runsc');
    expect(host.Binds).toBeUndefined();
    expect(host.Mounts).toBeUndefined();
    expect(host.Tmpfs!['/tmp']).toContain('size=8388608');
    // The container's own uid owns its work directory.
    expect(spec.User).toBe('2100000042:2100000042');
    expect(host.Tmpfs!['/work']).toContain('uid=2100000042,gid=2100000042');
    expect(spec.Env).toEqual(['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'HOME=/tmp', 'PYTHONDONTWRITEBYTECODE=1']);
    expect(spec.Tty).toBe(false);
    expect(spec.OpenStdin && spec.StdinOnce).toBe(true);
    expect(spec.Labels).toMatchObject({ 'studybot.sandbox': '1', 'studybot.runner': 'r1' });
    expect(containerSpec(testSettings(), { runner: 'r1' }, 2_100_000_042).HostConfig).not.toHaveProperty('Runtime');
  });

  it('gives every container a host uid of its own', () => {
    const uids = Array.from({ length: 500 }, () => allocateUid());
    expect(new Set(uids).size).toBe(500);
    for (const uid of uids) {
      expect(uid).toBeGreaterThanOrEqual(SANDBOX_UID_FIRST);
      expect(uid).toBeLessThan(SANDBOX_UID_FIRST + SANDBOX_UID_COUNT);
      releaseUid(uid);
    }
  });

  it('understands DOCKER_HOST forms', () => {
    expect(dockerConnection(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerConnection('unix:///tmp/d.sock')).toEqual({ socketPath: '/tmp/d.sock' });
    expect(dockerConnection('tcp://10.0.0.1:2375')).toMatchObject({ host: '10.0.0.1', port: '2375', protocol: 'http' });
  });
});
