import type { Config } from '../config.js';

/** Every sandbox setting (SANDBOX_*, RUNNER_*, DOCKER_HOST), as loaded by loadConfig. */
export type SandboxSettings = Config['runner'];

/** The image's non-root user (docker/sandbox/Dockerfile). */
export const SANDBOX_UID = 10001;

/** Version of the supervisor protocol (docker/sandbox/sandbox.py); the image carries it as a label. */
export const SANDBOX_PROTOCOL = 1;

/** Labels on every container we create, so they can be found and cleaned up. */
export const SANDBOX_LABEL = 'studybot.sandbox';
export const RUNNER_LABEL = 'studybot.runner';
