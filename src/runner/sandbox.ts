import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../logger.js';
import { ContractError, parseJob, type CaseResult, type RunJobData, type RunJobResult } from '../contract/code-runs.js';
import { allocateUid, containerSpec, releaseUid } from './container-spec.js';
import { createDockerClients, pingDocker, type DockerClients } from './docker-client.js';
import { DockerUnavailableError, InvalidJobError, SandboxError } from './errors.js';
import { executeJob, type CaseOutcome } from './execute.js';
import { gradeCase } from './grading.js';
import { CHECK_TOOLS, supervisorJob } from './protocol.js';
import { checkResult, gradeResult, runResult } from './results.js';
import { SandboxContainer } from './sandbox-container.js';
import { RUNNER_LABEL, type SandboxSettings } from './settings.js';
import { WarmPool } from './warm-pool.js';

export interface RunHooks {
  /** The container picked for this run (each is used for one run only). */
  onContainer?(containerId: string): void;
  /**
   * A graded case finished; `done` cases have finished so far. Cases run one after another: the
   * visible ones in order, then the hidden ones in a random order.
   */
  onCaseEnd?(done: number, result: CaseResult): void;
}

export interface Sandbox {
  /** Labels this sandbox's containers (`studybot.runner=<id>`); the runner id in heartbeats. */
  readonly id: string;
  /**
   * Runs one job in a fresh container and returns its result. Learner failures (errors, timeouts,
   * floods, crashes) are results; it throws only when the job cannot be run: InvalidJobError for a
   * malformed job, DockerUnavailableError / SandboxError when the infrastructure failed.
   */
  run(job: RunJobData, hooks?: RunHooks): Promise<RunJobResult>;
  /** Whether the Docker engine answers now (within ~2 s). */
  ping(): Promise<boolean>;
  /** Health as last observed by a ping or a Docker call. */
  readonly docker: 'ok' | 'down';
  /** Warm containers waiting for a job. */
  readonly readyCount: number;
  /** Stops the pool and removes every container this sandbox still holds. */
  close(): Promise<void>;
}

export interface SandboxOptions {
  /** Defaults to a random id. */
  id?: string;
  /** The deployment this sandbox's runner serves, labelled on its containers (see DEPLOYMENT_LABEL). */
  deployment?: string;
  /** How long a container may take from create to its supervisor's ready frame. */
  readyTimeoutMs?: number;
}

function isMissingImage(err: unknown): boolean {
  const cause = err instanceof Error ? (err.cause as { statusCode?: number } | undefined) : undefined;
  return err instanceof SandboxError && cause?.statusCode === 404 && /no such image/i.test(err.message);
}

const MiB = 1024 * 1024;

/** How long close() waits for removals still in flight. */
const CLOSE_WAIT_MS = 10_000;

export function createSandbox(settings: SandboxSettings, logger: Logger, options: SandboxOptions = {}): Sandbox {
  const id = options.id ?? `runner-${randomUUID().slice(0, 8)}`;
  const log = logger.child({ runner: id });
  const clients: DockerClients = createDockerClients(settings.dockerHost);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  // Under runc the kernel keeps same-uid code away from PID 1 (init signal protection, a
  // non-dumpable supervisor); gVisor does not enforce either, so results are confirmed by the
  // container's clean exit there.
  const confirmExit = settings.runtime !== undefined && settings.runtime !== 'runc';
  const inUse = new Set<SandboxContainer>();
  const removals = new Set<Promise<void>>();
  let docker: 'ok' | 'down' = 'ok';
  let imageMissing = false;
  let closed = false;

  // Every container runs as a host uid of its own, given back once the container is removed.
  const uids = new Map<SandboxContainer, number>();
  const launch = async (): Promise<SandboxContainer> => {
    const uid = allocateUid();
    try {
      const container = await SandboxContainer.launch(
        clients,
        containerSpec(settings, { runner: id, ...(options.deployment !== undefined && { deployment: options.deployment }) }, uid),
        log,
        readyTimeoutMs,
      );
      uids.set(container, uid);
      docker = 'ok';
      imageMissing = false;
      return container;
    } catch (err) {
      // A container that failed to start is removed by launch; its uid can go back once that is done.
      setTimeout(() => releaseUid(uid), 30_000).unref();
      if (err instanceof DockerUnavailableError) docker = 'down';
      if (isMissingImage(err)) {
        imageMissing = true;
        docker = 'down';
      }
      throw err;
    }
  };
  const pool = new WarmPool(settings.poolSize, launch, log);
  pool.start();

  const removeLater = (container: SandboxContainer): void => {
    const removal = container.remove();
    removals.add(removal);
    void removal.finally(() => {
      removals.delete(removal);
      const uid = uids.get(container);
      uids.delete(container);
      if (uid !== undefined) releaseUid(uid);
    });
  };

  // 'ok' means this sandbox can run code: the engine answers and the image is there.
  const ping = async (): Promise<boolean> => {
    let ok = await pingDocker(clients);
    if (ok && imageMissing) {
      try {
        await clients.control.getImage(settings.image).inspect();
        imageMissing = false;
      } catch {
        ok = false;
      }
    }
    docker = ok ? 'ok' : 'down';
    return ok;
  };

  const run = async (data: RunJobData, hooks: RunHooks = {}): Promise<RunJobResult> => {
    if (closed) throw new SandboxError('the sandbox is closed');
    const job = parseJobOrRefuse(data);
    // Without a warm container this run has to create one: if the engine is down or hung, a quick
    // ping says so in ~2 s, where a create would wait out the full control timeout.
    if ((docker === 'down' || pool.readyCount === 0) && !(await ping())) {
      if (imageMissing) throw new SandboxError(`the sandbox image ${settings.image} is missing: run npm run sandbox:build`);
      throw new DockerUnavailableError(`Docker is unreachable at ${clients.describe}`);
    }
    const begun = performance.now();
    const container = await pool.acquire();
    inUse.add(container);
    hooks.onContainer?.(container.id);
    try {
      // Warm containers carry a free run's limits; a check's mypy needs more memory.
      if (job.kind === 'check' && settings.checkMemoryMb > settings.memoryMb) await container.setMemoryLimit(settings.checkMemoryMb * MiB);
      const order = runOrder(job);
      const sjob = supervisorJob(job, settings, order);
      const outputChars = settings.outputKb * 1024;
      const ran = await executeJob(
        container,
        sjob,
        log,
        {
          onCaseEnd:
            job.kind === 'grade' && hooks.onCaseEnd
              ? (i, outcome) => hooks.onCaseEnd?.(i + 1, gradeCase(job.grader, job.cases[order[i]!]!, outcome, outputChars))
              : undefined,
        },
        { confirmExit },
      );
      if (job.kind === 'run') return runResult(job, ran[0]!);
      if (job.kind === 'check') return checkResult(job, ran, performance.now() - begun, outputChars);
      const outcomes: CaseOutcome[] = new Array(ran.length);
      order.forEach((caseIndex, position) => {
        outcomes[caseIndex] = ran[position]!;
      });
      return gradeResult(job, outcomes, performance.now() - begun, outputChars);
    } catch (err) {
      if (err instanceof DockerUnavailableError) docker = 'down';
      throw err;
    } finally {
      inUse.delete(container);
      // Off the hot path: the result is already known from the final frame.
      removeLater(container);
    }
  };

  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    for (const container of inUse) removeLater(container);
    await pool.close();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...removals]),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    // A container whose create or removal was cut off by a Docker outage is not known here, but
    // carries this runner's label: remove whatever is left of ours.
    try {
      const left = await clients.control.listContainers({ all: true, filters: { label: [`${RUNNER_LABEL}=${id}`] } });
      await Promise.allSettled(left.map((c) => clients.control.getContainer(c.Id).remove({ force: true })));
    } catch (err) {
      log.debug({ err }, 'could not look for containers left behind');
    }
  };

  return {
    id,
    run,
    ping,
    close,
    get docker() {
      return docker;
    },
    get readyCount() {
      return pool.readyCount;
    },
  };
}

/**
 * The order a job's cases run in: visible cases as written, then hidden cases shuffled, so that a
 * case's position tells nothing about which hidden case it is.
 */
export function runOrder(job: RunJobData): number[] {
  if (job.kind === 'run') return [0];
  if (job.kind === 'check') return CHECK_TOOLS.map((_, i) => i);
  const visible = job.cases.flatMap((c, i) => (c.hidden ? [] : [i]));
  const hidden = job.cases.flatMap((c, i) => (c.hidden ? [i] : []));
  for (let i = hidden.length - 1; i > 0; i -= 1) {
    const j = randomInt(i + 1);
    [hidden[i], hidden[j]] = [hidden[j]!, hidden[i]!];
  }
  return [...visible, ...hidden];
}

/** A job that breaks the contract is refused for good: retrying it would fail the same way. */
function parseJobOrRefuse(data: unknown): RunJobData {
  try {
    return parseJob(data);
  } catch (err) {
    if (err instanceof ContractError) throw new InvalidJobError(err.message);
    throw err;
  }
}
