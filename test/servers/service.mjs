// A configurable service for end-to-end tests of the gate, run as `node service.mjs`.
// PORT (required), HEALTH=ok|degraded|down|plain, VERSION, DELAY_MS (of /work), EXIT_AT_START=<code>,
// CRASH_AFTER_MS (exit 1 that long after the first /work request), READY_AFTER_MS, IGNORE_SIGTERM=1.
import http from 'node:http';

const env = process.env;
if (env.EXIT_AT_START) {
  console.error('fatal: cannot open database at /nonexistent');
  process.exit(Number(env.EXIT_AT_START));
}
const startedAt = Date.now();
let crashArmed = false;

const server = http.createServer((req, res) => {
  if (req.url === '/health') {
    if (Date.now() - startedAt < Number(env.READY_AFTER_MS ?? 0)) {
      res.writeHead(503);
      return res.end('starting');
    }
    if (env.HEALTH === 'plain') return res.end('OK');
    const status = env.HEALTH ?? 'ok';
    res.writeHead(status === 'down' ? 503 : 200, { 'content-type': 'application/json' });
    const db = status === 'ok' ? 'up' : status === 'degraded' ? 'degraded' : 'down';
    return res.end(
      JSON.stringify({ status, version: env.VERSION ?? 'v9.9.9', dependencies: { db, cache: 'up' } }),
    );
  }
  if (req.url === '/work') {
    if (env.CRASH_AFTER_MS && !crashArmed) {
      crashArmed = true;
      setTimeout(() => {
        console.error('panic: out of memory (simulated)');
        process.exit(1);
      }, Number(env.CRASH_AFTER_MS));
    }
    return setTimeout(() => res.end('done'), Number(env.DELAY_MS ?? 1));
  }
  res.writeHead(404);
  res.end();
});
server.listen(Number(env.PORT), '127.0.0.1', () => console.log(`service listening on ${env.PORT}`));
process.on('SIGTERM', () => {
  // IGNORE_SIGTERM: a service that will not stop (node resets a shell's `trap '' TERM` at start).
  if (env.IGNORE_SIGTERM) return console.error('SIGTERM ignored');
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
