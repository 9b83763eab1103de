/**
 * What the load client puts on the wire, checked against a real node server on 127.0.0.1 that records the
 * headers it got and gzips when asked, as nginx and most frameworks do.
 */
import type { IncomingMessage } from 'node:http';
import { gzipSync, createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GateClient, requestHeaders, type RequestResult } from '../../src/load/gate-client.js';
import { startServer, type TestServer } from '../helpers/servers.js';

type Headers = Record<string, string>;

describe('requestHeaders', () => {
  it.each<{ case: string; configured: Headers; sent: Headers }>([
    { case: 'none set', configured: {}, sent: { 'accept-encoding': 'gzip, deflate' } },
    {
      case: 'others kept, after the default',
      configured: { authorization: 'Bearer x' },
      sent: { 'accept-encoding': 'gzip, deflate', authorization: 'Bearer x' },
    },
    { case: 'set, any case', configured: { 'Accept-Encoding': 'br' }, sent: { 'Accept-Encoding': 'br' } },
    {
      case: 'identity',
      configured: { 'accept-encoding': 'identity' },
      sent: { 'accept-encoding': 'identity' },
    },
    { case: 'empty: none sent', configured: { 'ACCEPT-ENCODING': '' }, sent: {} },
    {
      case: 'empty elsewhere: sent empty',
      configured: { 'x-empty': '' },
      sent: { 'accept-encoding': 'gzip, deflate', 'x-empty': '' },
    },
  ])('$case', ({ configured, sent }) => {
    expect(requestHeaders(configured)).toEqual(sent);
  });
});

/**
 * A JSON body of about 80 KB that gzip shrinks to about 27 KB: large enough that its compressed form
 * reaches the client in several reads, so a body cut short or overrun would corrupt the next response.
 */
const BODY = JSON.stringify(
  Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item ${i}`, hash: pseudoRandomHex(i, 40) })),
);

/** Deterministic hex digits (a linear congruential generator), which gzip cannot shrink below half. */
function pseudoRandomHex(seed: number, length: number): string {
  let state = seed + 1;
  let text = '';
  for (let i = 0; i < length; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    text += (state >> 16).toString(16).slice(-1);
  }
  return text;
}

interface Seen {
  /** The accept-encoding values of each request, every one it carried (rawHeaders keeps duplicates). */
  acceptEncodings: string[][];
  userAgents: (string | undefined)[];
  connections: number;
}

describe('GateClient on a server that compresses', () => {
  let server: TestServer;
  const seen: Seen = { acceptEncodings: [], userAgents: [], connections: 0 };
  beforeAll(async () => {
    server = await startServer((req, res) => {
      seen.acceptEncodings.push(headerValues(req, 'accept-encoding'));
      seen.userAgents.push(req.headers['user-agent']);
      const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] ?? '');
      res.setHeader('content-type', 'application/json');
      if (!gzip) return res.end(BODY);
      res.setHeader('content-encoding', 'gzip');
      // /chunked streams the compressed body in chunks; anything else sends it whole with its length.
      if (req.url === '/chunked') return createGzip().end(BODY).pipe(res);
      res.end(gzipSync(BODY));
    });
    server.server!.on('connection', () => seen.connections++);
  });
  afterAll(() => server.close());

  const reset = () => Object.assign(seen, { acceptEncodings: [], userAgents: [], connections: 0 });

  it.each(['/length', '/chunked'])(
    'asks for gzip and reads each compressed body to its end (%s)',
    async (path) => {
      reset();
      const results = await sendInTurn(`${server.url}${path}`, {}, 20);
      expect(results.map((r) => r.outcome)).toEqual(Array(20).fill({ kind: 'response', statusCode: 200 }));
      // Twenty responses in turn on one kept-alive socket: had a body been cut short or overrun, the next
      // response would not parse, and the socket would have been replaced.
      expect(seen.connections).toBe(1);
      expect(seen.acceptEncodings).toEqual(Array(20).fill(['gzip, deflate']));
      expect(seen.userAgents).toEqual(Array(20).fill(undefined));
    },
  );

  it.each<{ headers: Headers; sent: string[][] }>([
    { headers: { 'Accept-Encoding': 'identity' }, sent: [['identity']] },
    { headers: { 'accept-encoding': '' }, sent: [[]] },
  ])('sends what the endpoint sets instead: $headers', async ({ headers, sent }) => {
    reset();
    const results = await sendInTurn(`${server.url}/length`, headers, 1);
    expect(results.map((r) => r.outcome)).toEqual([{ kind: 'response', statusCode: 200 }]);
    expect(seen.acceptEncodings).toEqual(sent);
  });
});

function headerValues(req: IncomingMessage, name: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    if (req.rawHeaders[i]!.toLowerCase() === name) values.push(req.rawHeaders[i + 1]!);
  }
  return values;
}

/** `count` GET requests on one client, each sent when the previous one ended, as closed-loop load does. */
function sendInTurn(url: string, headers: Record<string, string>, count: number): Promise<RequestResult[]> {
  const results: RequestResult[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.destroy();
      reject(new Error(`only ${results.length} of ${count} requests ended`));
    }, 5000);
    const client = new GateClient({ url, method: 'GET', headers, requestTimeoutMs: 2000 }, (result) => {
      results.push(result);
      if (results.length < count) return client.send(process.hrtime.bigint());
      clearTimeout(timer);
      client.destroy();
      resolve(results);
    });
    client.send(process.hrtime.bigint());
  });
}
