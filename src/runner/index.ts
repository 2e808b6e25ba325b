/** The code runner: sandboxed execution of learners' Python, grading, and the BullMQ worker around it. */
export { createSandbox, type Sandbox, type SandboxOptions, type RunHooks } from './sandbox.js';
export { startRunner, type Runner, type StartRunnerOptions } from './worker.js';
export {
  RUNNER_KEY_PREFIX,
  heartbeatKey,
  RUNNER_TTL_SECONDS,
  listRunners,
  hasHealthyRunner,
  startHeartbeat,
  type RunnerHeartbeat,
} from './heartbeat.js';
export { DockerUnavailableError, SandboxError, InvalidJobError } from './errors.js';
export { normalizeOutput, outputsMatch } from './grading.js';
export { deploymentId, removeStaleContainers } from './janitor.js';
export { DEPLOYMENT_LABEL, SANDBOX_LABEL, RUNNER_LABEL, SANDBOX_PROTOCOL, type SandboxSettings } from './settings.js';
