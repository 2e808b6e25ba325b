import Docker from 'dockerode';

/**
 * Separate clients because docker-modem's `timeout` is a socket idle timeout: right for API calls,
 * wrong for attach streams, which sit idle while a warm container waits for its job.
 */
export interface DockerClients {
  /** create/start/remove/inspect/list: bounded, so a hung engine cannot hang a job. */
  control: Docker;
  /** attach streams: no idle timeout (our own deadlines bound them). */
  stream: Docker;
  /** health checks: answers within a couple of seconds or counts as down. */
  ping: Docker;
  describe: string;
}

export const CONTROL_TIMEOUT_MS = 15_000;
export const PING_TIMEOUT_MS = 2_000;

/** Connection options for DOCKER_HOST-style values: unix:///path, /path, tcp://host:port, http(s)://host:port. */
export function dockerConnection(dockerHost: string | undefined): Docker.DockerOptions {
  const value = dockerHost?.trim();
  if (!value) return { socketPath: '/var/run/docker.sock' };
  if (value.startsWith('/')) return { socketPath: value };
  const url = new URL(value);
  switch (url.protocol) {
    case 'unix:':
      return { socketPath: decodeURIComponent(url.pathname) };
    case 'tcp:':
    case 'http:':
      return { host: url.hostname, port: url.port || '2375', protocol: 'http' };
    case 'https:':
      return { host: url.hostname, port: url.port || '2376', protocol: 'https' };
    default:
      throw new Error(`unsupported DOCKER_HOST ${JSON.stringify(value)}: expected unix://, tcp://, http:// or https://`);
  }
}

export function createDockerClients(dockerHost: string | undefined): DockerClients {
  const connection = dockerConnection(dockerHost);
  return {
    control: new Docker({ ...connection, timeout: CONTROL_TIMEOUT_MS }),
    stream: new Docker(connection),
    ping: new Docker({ ...connection, timeout: PING_TIMEOUT_MS }),
    describe: connection.socketPath ?? `${connection.protocol}://${connection.host}:${connection.port}`,
  };
}

/** Whether the engine answers /_ping within PING_TIMEOUT_MS. Never throws. */
export async function pingDocker(clients: DockerClients): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      clients.ping.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('ping timed out')), PING_TIMEOUT_MS + 500);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
