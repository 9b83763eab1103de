// The fastest server node can be: answers "ok" at once, keeps connections alive. For the throughput bench,
// where the load client, not the server, should be the limit.
import http from 'node:http';

const server = http.createServer((_req, res) => res.end('ok'));
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  console.log(`listening ${server.address().port}`),
);
