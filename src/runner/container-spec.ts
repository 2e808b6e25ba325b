import type Docker from 'dockerode';
import { randomInt } from 'node:crypto';
import { DEPLOYMENT_LABEL, RUNNER_LABEL, SANDBOX_LABEL, SANDBOX_UID_COUNT, SANDBOX_UID_FIRST, type SandboxSettings } from './settings.js';

const MiB = 1024 * 1024;

/** The only variables learner code sees; nothing from the runner's environment reaches the container. */
export const SANDBOX_ENV = ['PATH=/usr/local/bin:/usr/bin:/bin', 'LANG=C.UTF-8', 'HOME=/tmp', 'PYTHONDONTWRITEBYTECODE=1'];

/**
 * gVisor's ptrace platform runs the sandbox kernel's own threads and stub processes inside the
 * container's pids cgroup (about 40 at rest); hitting the limit crashes the whole sandbox, so the
 * learner's allowance comes on top of theirs.
 */
export const GVISOR_PIDS_ALLOWANCE = 128;

export function usesGvisor(settings: SandboxSettings): boolean {
  return settings.runtime !== undefined && /runsc|gvisor/i.test(settings.runtime);
}

/** Host uids handed to this process's containers and not yet given back. */
const uidsInUse = new Set<number>();

/**
 * A host uid for one container, unused by any other container of this process (and, being drawn at
 * random from a million, almost surely by any other runner on the host). Give it back with
 * releaseUid once the container is gone.
 */
export function allocateUid(): number {
  for (;;) {
    const uid = SANDBOX_UID_FIRST + randomInt(SANDBOX_UID_COUNT);
    if (!uidsInUse.has(uid)) {
      uidsInUse.add(uid);
      return uid;
    }
  }
}

export function releaseUid(uid: number): void {
  uidsInUse.delete(uid);
}

/** Who a container belongs to: the runner that created it, and the deployment that runner serves. */
export interface ContainerOwner {
  runner: string;
  deployment?: string;
}

/**
 * The create options of a one-shot sandbox container, running as `uid`. The supervisor is the
 * image's command and reads its job from stdin, so the container is attached (stdin open, no TTY)
 * before it starts.
 */
export function containerSpec(settings: SandboxSettings, owner: ContainerOwner, uid: number): Docker.ContainerCreateOptions {
  const tmpfsSize = settings.tmpfsMb * MiB;
  const memory = settings.memoryMb * MiB;
  return {
    Image: settings.image,
    User: `${uid}:${uid}`,
    WorkingDir: '/work',
    Env: SANDBOX_ENV,
    AttachStdin: true,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: true,
    // Docker closes the container's stdin when the attached client goes away, so a warm container
    // whose runner died reads end-of-file and exits instead of waiting forever.
    StdinOnce: true,
    Tty: false,
    NetworkDisabled: true,
    Labels: {
      [SANDBOX_LABEL]: '1',
      [RUNNER_LABEL]: owner.runner,
      ...(owner.deployment !== undefined && { [DEPLOYMENT_LABEL]: owner.deployment }),
    },
    HostConfig: {
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      Tmpfs: {
        // Not noexec: the learner's modules are imported from here.
        '/work': `rw,nosuid,nodev,size=${tmpfsSize},uid=${uid},gid=${uid},mode=0700`,
        '/tmp': `rw,nosuid,nodev,noexec,size=${tmpfsSize},mode=1777`,
      },
      // A private IPC namespace gets its own /dev/shm tmpfs (multiprocessing's semaphores live there).
      IpcMode: 'private',
      ShmSize: tmpfsSize,
      Memory: memory,
      MemorySwap: memory,
      PidsLimit: settings.pids + (usesGvisor(settings) ? GVISOR_PIDS_ALLOWANCE : 0),
      NanoCpus: Math.round(settings.cpus * 1e9),
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Ulimits: [
        { Name: 'nofile', Soft: 1024, Hard: 1024 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      // Output travels in the supervisor's frames over the attach stream; a log file would only
      // cost the engine work and disk.
      LogConfig: { Type: 'none', Config: {} },
      AutoRemove: false,
      Privileged: false,
      ...(settings.runtime ? { Runtime: settings.runtime } : {}),
    },
  };
}
