// The health check of the bot and runner containers (docker/compose.yaml): asks this process's
// /readyz on HEALTH_PORT and succeeds only on 200. What is missing is printed, so
// `docker inspect --format '{{json .State.Health}}'` shows it.
//
// node:http rather than fetch: fetch loads undici first, which on a busy host takes longer than the
// check itself and turned healthy containers unhealthy.
import { get } from 'node:http';

const port = process.env.HEALTH_PORT;
if (!port) {
  console.error('HEALTH_PORT is not set: there is no health endpoint to ask');
  process.exit(1);
}
const path = process.argv[2] ?? '/readyz';
const req = get({ host: '127.0.0.1', port: Number(port), path, timeout: 20_000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (chunk) => (body += chunk));
  res.on('end', () => {
    if (res.statusCode !== 200) {
      console.error(`${res.statusCode} ${body.trim()}`);
      process.exit(1);
    }
    console.log(body.trim());
  });
});
req.on('timeout', () => req.destroy(new Error('no answer within 20 s')));
req.on('error', (err) => {
  console.error(`no answer on port ${port}: ${err.message}`);
  process.exit(1);
});
