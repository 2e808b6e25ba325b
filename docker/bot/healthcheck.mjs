// The health check of the bot and runner containers (docker/compose.yaml): asks this process's
// /readyz on HEALTH_PORT and succeeds only on 200. What is missing is printed, so
// `docker inspect --format '{{json .State.Health}}'` shows it.
const port = process.env.HEALTH_PORT;
if (!port) {
  console.error('HEALTH_PORT is not set: there is no health endpoint to ask');
  process.exit(1);
}
const path = process.argv[2] ?? '/readyz';
try {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(4000) });
  const body = (await res.text()).trim();
  if (!res.ok) {
    console.error(`${res.status} ${body}`);
    process.exit(1);
  }
  console.log(body);
} catch (err) {
  console.error(`no answer on port ${port}: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
