// A server that never answers one request in HANG_EVERY (default 10) and answers the rest in ~DELAY_MS.
// The hung requests keep their connection open: only the client's timeout ends them.
import http from 'node:http';

const HANG_EVERY = Number(process.env.HANG_EVERY ?? 10);
const DELAY_MS = Number(process.env.DELAY_MS ?? 2);
let k = 0;

const server = http.createServer((_req, res) => {
  if (++k % HANG_EVERY === 0) return;
  setTimeout(() => res.end('ok'), DELAY_MS);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
