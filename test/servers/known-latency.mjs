// A server whose latency follows a known distribution: request k waits MIN + SPAN * u_k^2 ms, where
// u_k = frac(k * golden ratio) is an evenly spread sequence in [0, 1). So the q-quantile of the wait is
// MIN + SPAN * q^2, plus the loopback round trip.
// The wait is timed with a timer that wakes 2 ms early and then a short poll: on an idle machine it ends
// within ~0.05 ms of its deadline, but on a busy one the process may run late by milliseconds. So the
// server also records how long it actually held each request (from its 'request' event to just before
// res.end), and
// GET /__holds answers them as a JSON array of ms and forgets them: the truth each client must not undercut.
import http from 'node:http';

const MIN_MS = Number(process.env.MIN_MS ?? 10);
const SPAN_MS = Number(process.env.SPAN_MS ?? 90);
const PHI = (Math.sqrt(5) - 1) / 2;
let k = 0;
let holds = [];

const waitUntil = (deadline, done) => {
  const left = deadline - performance.now();
  if (left <= 0) return done();
  if (left > 3) setTimeout(() => waitUntil(deadline, done), left - 2);
  else setImmediate(() => waitUntil(deadline, done));
};

const server = http.createServer((req, res) => {
  if (req.url === '/__holds') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(holds));
    holds = [];
    return;
  }
  const start = performance.now();
  const u = (++k * PHI) % 1;
  waitUntil(start + MIN_MS + SPAN_MS * u * u, () => {
    // Read the clock before answering: once the answer is written the client may see it before this
    // process runs again.
    holds.push(performance.now() - start);
    res.end('ok');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
