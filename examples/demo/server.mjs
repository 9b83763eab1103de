// The demo service: a tiny catalogue API with realistic latencies and the standard health check.
// No dependencies: `PORT=3000 node server.mjs`.
import http from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const version = process.env.DEMO_VERSION ?? 'v1.4.2';
const items = Array.from({ length: 50 }, (_, i) => ({
  id: i + 1,
  name: `item ${i + 1}`,
  price: (i * 7) % 100,
}));

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** A latency with a long tail, like a real database call: mostly near `typicalMs`, sometimes 3× it. */
const jitter = (typicalMs) => typicalMs * (0.7 + Math.random() * 0.6) * (Math.random() < 0.03 ? 3 : 1);

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://localhost');
  if (url.pathname === '/health') {
    return send(res, 200, { status: 'ok', version, dependencies: { db: 'up', cache: 'up' } });
  }
  if (req.method === 'GET' && url.pathname === '/items') {
    await sleep(jitter(4));
    return send(res, 200, items.slice(0, 20));
  }
  const match = /^\/items\/(\d+)$/.exec(url.pathname);
  if (req.method === 'GET' && match) {
    await sleep(jitter(2));
    const item = items.find((i) => i.id === Number(match[1]));
    return item ? send(res, 200, item) : send(res, 404, { error: 'not found' });
  }
  if (req.method === 'POST' && url.pathname === '/search') {
    let body = '';
    for await (const chunk of req) body += chunk;
    await sleep(jitter(12));
    const query = (() => {
      try {
        return JSON.parse(body).query ?? '';
      } catch {
        return '';
      }
    })();
    return send(res, 200, items.filter((i) => i.name.includes(query)).slice(0, 10));
  }
  send(res, 404, { error: 'not found' });
});

server.listen(port, '127.0.0.1', () => console.log(`demo listening on http://127.0.0.1:${port}`));
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
