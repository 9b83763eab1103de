// A server that answers in ~DELAY_MS but stops its event loop for PAUSE_MS every EVERY_MS (a GC pause).
// PAUSE_MS=0 gives the same server without pauses. With PAUSE_AFTER_FIRST_MS it stops once instead, that
// long after its first request: a pause at a known point of a load that starts with that request.
import http from 'node:http';

const PAUSE_MS = Number(process.env.PAUSE_MS ?? 700);
const EVERY_MS = Number(process.env.EVERY_MS ?? 2000);
const DELAY_MS = Number(process.env.DELAY_MS ?? 2);
const PAUSE_AFTER_FIRST_MS = process.env.PAUSE_AFTER_FIRST_MS;

const pause = () => {
  const until = Date.now() + PAUSE_MS;
  while (Date.now() < until); // the whole process stops, as in a stop-the-world pause
};
let first = true;
const server = http.createServer((req, res) => {
  if (first && PAUSE_AFTER_FIRST_MS !== undefined) setTimeout(pause, Number(PAUSE_AFTER_FIRST_MS));
  first = false;
  setTimeout(() => res.end('ok'), DELAY_MS);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
if (PAUSE_MS > 0 && PAUSE_AFTER_FIRST_MS === undefined) setInterval(pause, EVERY_MS);
