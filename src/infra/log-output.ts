import { type DestinationStream, destination } from 'pino';

/**
 * Where a long-running process writes its logs: stdout (or stderr) that survives the reader going
 * away. When the other end of the pipe closes (`studybot start | head -1`, a log shipper that dies),
 * a write fails with EPIPE; a plain destination would throw that and end the bot. Here logs move to
 * stderr with one line saying why, or, when stderr is gone too, are dropped: the learners are still
 * served.
 */
export function resilientLogOutput(fd: 1 | 2 = 1): DestinationStream {
  let current: DestinationStream | undefined = destination({ fd, sync: true });
  const moveOn = (from: 1 | 2) => {
    if (from === 2) {
      current = undefined;
      return;
    }
    const next = destination({ fd: 2, sync: true });
    next.on('error', () => moveOn(2));
    current = next;
    next.write(`${JSON.stringify({ level: 40, time: Date.now(), app: 'studybot', msg: 'stdout was closed: logging to stderr from now on' })}\n`);
  };
  (current as unknown as NodeJS.EventEmitter).on('error', () => moveOn(fd));
  return {
    write(line: string) {
      current?.write(line);
    },
  };
}
