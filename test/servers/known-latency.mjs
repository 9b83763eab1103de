// A server whose latency follows a known distribution, precisely: request k waits
// MIN + SPAN * u_k^2 ms, where u_k = frac(k * golden ratio) is an evenly spread sequence in [0, 1).
// So the true q-quantile of the latency is MIN + SPAN * q^2 (plus the loopback round trip).
// The wait is timed with a timer that wakes 2 ms early and then a short poll, so it is exact to ~0.05 ms.
import http from 'node:http';

const MIN_MS = Number(process.env.MIN_MS ?? 10);
const SPAN_MS = Number(process.env.SPAN_MS ?? 90);
const PHI = (Math.sqrt(5) - 1) / 2;
let k = 0;

const waitUntil = (deadline, done) => {
  const left = deadline - performance.now();
  if (left <= 0) return done();
  if (left > 3) setTimeout(() => waitUntil(deadline, done), left - 2);
  else setImmediate(() => waitUntil(deadline, done));
};

const server = http.createServer((req, res) => {
  const start = performance.now();
  const u = (++k * PHI) % 1;
  waitUntil(start + MIN_MS + SPAN_MS * u * u, () => res.end('ok'));
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
