// A server of known capacity: WORKERS workers, each holding a request HOLD_MS before answering, and the
// rest waiting in a first-come queue, as under gunicorn's sync workers. It answers at most
// WORKERS × 1000 / HOLD_MS requests a second, however many connections send.
import http from 'node:http';

const WORKERS = Number(process.env.WORKERS ?? 2);
const HOLD_MS = Number(process.env.HOLD_MS ?? 50);
let busy = 0;
const queue = [];

const next = () => {
  if (busy >= WORKERS || queue.length === 0) return;
  const res = queue.shift();
  busy++;
  setTimeout(() => {
    busy--;
    res.end('ok');
    next();
  }, HOLD_MS);
};

const server = http.createServer((_req, res) => {
  queue.push(res);
  next();
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
