// A service that keeps LEAK_KB of memory per request it answers (a leak), with the standard health check.
import http from 'node:http';

const leakBytes = Number(process.env.LEAK_KB ?? 0) * 1024;
const kept = [];
const server = http.createServer((req, res) => {
  if (req.url === '/health') return res.end('{"status":"ok","version":"leaky"}');
  // fill() makes the pages resident, so the leak shows in RSS as a real one would.
  if (leakBytes > 0) kept.push(Buffer.alloc(leakBytes).fill(req.url.length));
  res.end('ok');
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log(`listening ${process.env.PORT}`));
