import type { Config } from '../config.js';

/** Every sandbox setting (SANDBOX_*, RUNNER_*, DOCKER_HOST), as loaded by loadConfig. */
export type SandboxSettings = Config['runner'];

/** The image's non-root user (docker/sandbox/Dockerfile); the benchmark's plain `docker run` uses it. */
export const SANDBOX_UID = 10001;

/**
 * Each sandbox container runs as its own host uid, drawn from this range, so that what the kernel
 * counts per user (inotify instances, pipe buffers, message queue bytes, ...) is never shared by two
 * runs. The range sits far above ordinary accounts and subordinate-uid ranges.
 */
export const SANDBOX_UID_FIRST = 2_100_000_000;
export const SANDBOX_UID_COUNT = 1 << 20;

/** Version of the supervisor protocol (docker/sandbox/sandbox.py); the image carries it as a label. */
export const SANDBOX_PROTOCOL = 2;

/** Labels on every container we create, so they can be found and cleaned up. */
export const SANDBOX_LABEL = 'studybot.sandbox';
export const RUNNER_LABEL = 'studybot.runner';
/**
 * Which deployment (Redis and queue) a container's runner serves: runners sharing a Docker engine
 * with other deployments clean up only containers of their own, whose runners' heartbeats they see.
 */
export const DEPLOYMENT_LABEL = 'studybot.deployment';
