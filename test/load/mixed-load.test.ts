/**
 * A mixed load against a real server on 127.0.0.1 that counts what it serves per route: the endpoints share
 * the connections in exactly their weights, and each result is counted for its own endpoint.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runMixedLoad, type LoadPlan, type MixPart } from '../../src/load/run-load.js';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';
import { startNodeServer, startServer, type TestServer } from '../helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server that counts requests per path, answers /created with 201 and the rest with 200 after 2 ms. */
async function countingServer(): Promise<{ server: TestServer; served: Map<string, number> }> {
  const served = new Map<string, number>();
  const server = await startServer((req, res) => {
    served.set(req.url!, (served.get(req.url!) ?? 0) + 1);
    res.statusCode = req.url === '/created' ? 201 : 200;
    setTimeout(() => res.end('ok'), 2);
  });
  servers.push(server);
  return { server, served };
}

const get = (server: TestServer, path: string) =>
  Buffer.from(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nConnection: keep-alive\r\n\r\n`);

function mixOf(server: TestServer, routes: [string, number, number[]?][]): MixPart[] {
  return routes.map(([path, weight, expectStatus]) => {
    const request = get(server, path);
    return { weight, expectStatus, nextRequest: () => request };
  });
}

const plan = (server: TestServer, overrides: Partial<LoadPlan> = {}): LoadPlan => ({
  url: `${server.url}/a`,
  method: 'GET',
  headers: {},
  connections: 4,
  // No warmup, so that everything the server saw is something the gate counted.
  warmupMs: 0,
  durationMs: 1000,
  requestTimeoutMs: 1000,
  ...overrides,
});

describe('runMixedLoad', () => {
  it('sends each endpoint exactly its weight at a fixed rate, and counts each for its own endpoint', async () => {
    const { server, served } = await countingServer();
    const mix = mixOf(server, [
      ['/list', 6],
      ['/get', 3],
      ['/created', 1, [201]],
    ]);
    // 200 req/s for 1 s: 200 slots, 20 cycles of 6 + 3 + 1.
    const m = await runMixedLoad(plan(server, { ratePerSecond: 200 }), mix);
    expect(m.parts.map((p) => p.requests)).toEqual([120, 60, 20]);
    expect([served.get('/list'), served.get('/get'), served.get('/created')]).toEqual([120, 60, 20]);
    expect(m.total.requests).toBe(200);
    // /created's 201 is its success; the total judges each request by its own endpoint's statuses.
    expect(m.parts.map((p) => p.successes)).toEqual([120, 60, 20]);
    expect(m.parts[2]!.statusCodes).toEqual({ 201: 20 });
    expect(m.total.successes).toBe(200);
    expect(m.total.statusCodes).toEqual({ 200: 180, 201: 20 });
    expect(m.total.latenciesMs.length).toBe(200);
  });

  it('keeps the weights after a warmup, whatever slot the window opens on', async () => {
    const { server } = await countingServer();
    const mix = mixOf(server, [
      ['/a', 1],
      ['/b', 9],
    ]);
    // The warmup's 37 slots put the window's first slot mid-cycle; 150 slots are 15 whole cycles.
    const m = await runMixedLoad(plan(server, { ratePerSecond: 150, warmupMs: 246.7 }), mix);
    expect(m.parts.map((p) => p.requests)).toEqual([15, 135]);
  });

  it('charges a status its endpoint does not expect to that endpoint alone', async () => {
    const { server } = await countingServer();
    // /list expects 201 and gets 200: its failures, not /created's.
    const mix = mixOf(server, [
      ['/list', 1, [201]],
      ['/created', 1, [201]],
    ]);
    const m = await runMixedLoad(plan(server, { ratePerSecond: 100, durationMs: 500 }), mix);
    expect(m.parts.map((p) => [p.requests, p.failures.status])).toEqual([
      [25, 25],
      [25, 0],
    ]);
    expect(m.total.failures.status).toBe(25);
  });

  it('interleaves the endpoints in a closed loop, in proportion to the weights', async () => {
    const { server, served } = await countingServer();
    const mix = mixOf(server, [
      ['/a', 3],
      ['/b', 1],
    ]);
    const m = await runMixedLoad(plan(server, { durationMs: 500 }), mix);
    const [a, b] = m.parts.map((p) => p.requests) as [number, number];
    expect(a + b).toBe(m.total.requests);
    expect(m.total.requests).toBeGreaterThan(100);
    // The picks follow the send order: within one of 3:1 however many were sent.
    expect(Math.abs(a - (3 * (a + b)) / 4)).toBeLessThan(1);
    expect([served.get('/a'), served.get('/b')]).toEqual([a, b]);
  });
  it('times every endpoint’s requests from their intended send at a fixed rate (coordinated omission)', async () => {
    // The whole server stops 700 ms in every second: requests of both endpoints wait behind the stop.
    const pausing = await startNodeServer('pausing.mjs', { PAUSE_MS: '700', EVERY_MS: '1000' });
    servers.push(pausing);
    const mix = mixOf(pausing, [
      ['/a', 1],
      ['/b', 1],
    ]);
    const shape = {
      ratePerSecond: 100,
      connections: 5,
      warmupMs: 300,
      // One stop falls in any 1 s window, whatever its phase: 70% of the requests due wait behind it.
      durationMs: 1000,
      requestTimeoutMs: 3000,
    };
    const m = await runMixedLoad(plan(pausing, shape), mix);
    expect(m.parts.map((p) => p.requests)).toEqual([50, 50]);
    for (const part of [...m.parts, m.total]) {
      const corrected = summarizeLatencies(part.latenciesMs)!;
      const raw = summarizeLatencies(part.rawLatenciesMs)!;
      expect(corrected.p95).toBeGreaterThan(300);
      // Timed from the actual send, the same requests look far better: the omission corrected above.
      expect(raw.p95).toBeLessThan(corrected.p95);
    }
  });
});
