// An API that needs what real traffic does: a login whose token every other request carries, IDs that
// vary (a cache serves one hot ID, not a thousand), and routes that share one process, so a slow route
// slows the others when they are loaded together. No dependencies: `PORT=3000 node server.mjs`.
import { randomUUID } from 'node:crypto';
import http from 'node:http';

const port = Number(process.env.PORT ?? 3000);
const PASSWORD = process.env.API_PASSWORD;
if (!PASSWORD) throw new Error('set API_PASSWORD');
const tokens = new Set();
const orders = [];
const items = new Map(Array.from({ length: 500 }, (_, i) => [i + 1, { id: i + 1, name: `item ${i + 1}` }]));

/** Busy CPU for `ms`: a handler that blocks this one process, as a report or a heavy query does. */
const busy = (ms) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

const send = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const readJson = (req) =>
  new Promise((resolve) => {
    let text = '';
    req.on('data', (chunk) => (text += chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(text));
      } catch {
        resolve(undefined);
      }
    });
  });

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    if (url.pathname === '/health') {
      return send(res, 200, { status: 'ok', version: 'v2.0.0', dependencies: { store: 'up' } });
    }
    if (req.method === 'POST' && url.pathname === '/login') {
      const body = await readJson(req);
      if (body?.password !== PASSWORD) return send(res, 401, { error: 'bad credentials' });
      const token = randomUUID();
      tokens.add(token);
      return send(res, 200, { access_token: token });
    }
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!tokens.has(token)) return send(res, 401, { error: 'log in first' });
    const item = /^\/items\/(\d+)$/.exec(url.pathname);
    if (req.method === 'GET' && item) {
      const found = items.get(Number(item[1]));
      return found ? send(res, 200, found) : send(res, 404, { error: 'no such item' });
    }
    if (req.method === 'POST' && url.pathname === '/orders') {
      const body = await readJson(req);
      if (!items.has(body?.item) || !Number.isInteger(body?.qty))
        return send(res, 422, { error: 'bad order' });
      orders.push(body);
      return send(res, 201, { id: orders.length });
    }
    if (req.method === 'GET' && url.pathname === '/report') {
      busy(5);
      return send(res, 200, { orders: orders.length });
    }
    send(res, 404, { error: 'not found' });
  })
  .listen(port, '127.0.0.1', () => console.log(`api listening on ${port}`));
