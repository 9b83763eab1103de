/**
 * The contract GateClient (src/load/gate-client.ts) relies on in autocannon's internal HTTP client
 * (lib/httpClient.js), declared in src/load/autocannon-client.d.ts. None of it is public API, so an
 * autocannon upgrade may move any of it; this file is where that shows, against the real autocannon in
 * node_modules and a real server on 127.0.0.1.
 */
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import AutocannonClient from 'autocannon/lib/httpClient.js';
import { startServer, type TestServer } from '../helpers/servers.js';

const servers: TestServer[] = [];
const clients: AutocannonClient[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.destroy();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** The options GateClient passes (see its constructor), for `server`'s /x. */
const options = (server: TestServer, extra: Record<string, unknown> = {}) => ({
  protocol: 'http:',
  hostname: '127.0.0.1',
  host: `127.0.0.1:${server.port}`,
  port: server.port,
  path: '/x',
  method: 'POST',
  headers: { 'x-token': 'abc' },
  body: '{"a":1}',
  pipelining: 1,
  timeout: 10,
  ...extra,
});

async function serveOk(): Promise<{ server: TestServer; requests: string[] }> {
  const requests: string[] = [];
  const server = await startServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.end('ok');
  });
  servers.push(server);
  return { server, requests };
}

describe("autocannon's internal HTTP client, as GateClient uses it", () => {
  it('calls _connect from its constructor, and _connect calls _doRequest once per pipelined request', async () => {
    const { server } = await serveOk();
    const calls: string[] = [];
    // GateClient's fields do not exist yet when the constructor calls _connect: it relies on that order.
    class Probe extends AutocannonClient {
      override _connect(): void {
        calls.push('_connect');
        super._connect();
      }
      override _doRequest(): void {
        // GateClient overrides this so that autocannon never sends by itself.
        calls.push('_doRequest');
      }
    }
    const probe = new Probe(options(server));
    clients.push(probe);
    expect(calls).toEqual(['_connect', '_doRequest']);
  });

  it('opens `conn`, a socket, whose only own listeners are error, end and data (which GateClient replaces)', async () => {
    // A server that never answers, so that autocannon, left to itself, sends exactly one request.
    const requests: string[] = [];
    const server = await startServer((req) => requests.push(`${req.method} ${req.url}`));
    servers.push(server);
    const client = new AutocannonClient(options(server));
    clients.push(client);
    expect(client.conn).toBeInstanceOf(net.Socket);
    const plain = net.connect(server.port, '127.0.0.1');
    await once(plain, 'connect');
    const listeners = (socket: net.Socket) =>
      Object.fromEntries(socket.eventNames().map((name) => [String(name), socket.listenerCount(name)]));
    const baseline = listeners(plain);
    plain.destroy();
    const added = Object.entries(listeners(client.conn))
      .map(([name, count]) => [name, count - (baseline[name] ?? 0)] as const)
      .filter(([, count]) => count > 0);
    expect(Object.fromEntries(added)).toEqual({ error: 1, end: 1, data: 1 });
    // And, left to itself, it sent the request on that socket (GateClient's _doRequest stops this).
    await expect.poll(() => requests).toEqual(['POST /x']);
  });

  it('builds the request buffer from the options: getRequestBuffer() is a Buffer', async () => {
    const { server } = await serveOk();
    const client = new AutocannonClient(options(server));
    clients.push(client);
    const buffer = client.getRequestBuffer();
    expect(Buffer.isBuffer(buffer)).toBe(true);
    const text = buffer.toString();
    expect(text.startsWith('POST /x HTTP/1.1\r\n')).toBe(true);
    expect(text).toContain('x-token: abc\r\n');
    expect(text.endsWith('\r\n\r\n{"a":1}')).toBe(true);
  });

  it('exposes timeoutTicker.clear() and a `destroyed` flag that destroy() sets', async () => {
    const { server } = await serveOk();
    const client = new AutocannonClient(options(server));
    clients.push(client);
    expect(typeof client.timeoutTicker.clear).toBe('function');
    client.timeoutTicker.clear();
    expect(client.destroyed).toBe(false);
    client.destroy();
    expect(client.destroyed).toBe(true);
    expect(client.conn.destroyed).toBe(true);
  });

  it('has a parser whose kOn* handlers it calls with the status and keep-alive, and that re-initialises', async () => {
    const { server } = await serveOk();
    const client = new AutocannonClient(options(server));
    clients.push(client);
    const { parser } = client;
    for (const method of ['initialize', 'execute', 'finish'] as const) {
      expect(typeof parser[method]).toBe('function');
    }
    const Parser = parser.constructor as unknown as Record<string, unknown>;
    for (const name of ['kOnHeadersComplete', 'kOnBody', 'kOnMessageComplete']) {
      expect(typeof Parser[name], name).toBe('number');
    }
    const seen: string[] = [];
    // Block bodies: a truthy return from the headers handler tells http-parser-js to skip the body.
    parser[Parser.kOnHeadersComplete as number] = (info: {
      statusCode: number;
      shouldKeepAlive: boolean;
    }) => {
      seen.push(`headers ${info.statusCode} keep-alive=${info.shouldKeepAlive}`);
    };
    parser[Parser.kOnBody as number] = () => {
      seen.push('body');
    };
    parser[Parser.kOnMessageComplete as number] = () => {
      seen.push('complete');
    };
    parser.initialize('RESPONSE');
    const result = parser.execute(
      Buffer.from('HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno'),
    );
    expect(result).not.toBeInstanceOf(Error);
    expect(seen).toEqual(['headers 404 keep-alive=false', 'body', 'complete']);
    // A response delimited by the end of the connection completes on finish().
    seen.length = 0;
    parser.initialize('RESPONSE');
    parser.execute(Buffer.from('HTTP/1.1 200 OK\r\n\r\nbody'));
    expect(parser.finish()).toBeUndefined();
    expect(seen).toEqual(['headers 200 keep-alive=false', 'body', 'complete']);
    // Garbage is an Error value, not a throw.
    parser.initialize('RESPONSE');
    expect(parser.execute(Buffer.from('NOT HTTP\r\n\r\n'))).toBeInstanceOf(Error);
  });
});
