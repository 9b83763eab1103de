import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { runLoad, type LoadPlan } from '../../src/load/run-load.js';
import { MemoryLogger } from '../../src/log.js';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';
import { startNodeServer, startServer, type TestServer } from '../helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serve(handler: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const server = await startServer(handler);
  servers.push(server);
  return server;
}

const plan = (url: string, overrides: Partial<LoadPlan> = {}): LoadPlan => ({
  url,
  method: 'GET',
  headers: {},
  connections: 4,
  warmupMs: 200,
  durationMs: 1000,
  requestTimeoutMs: 1000,
  ...overrides,
});

const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);

describe('runLoad, closed loop', () => {
  it('times every response of a keep-alive server and accounts for each request once', async () => {
    let served = 0;
    const server = await serve((_req, res) => {
      served++;
      setTimeout(() => res.end('ok'), 5);
    });
    // No warmup, so that every request the server saw is one the gate counted.
    const m = await runLoad(plan(`${server.url}/x`, { warmupMs: 0 }));
    expect(m.requests).toBeGreaterThan(200);
    expect(m.successes).toBe(m.requests);
    expect(m.latenciesMs.length).toBe(m.requests);
    expect(m.statusCodes).toEqual({ 200: m.requests });
    // Each request counted was served exactly once: none lost, none sent twice.
    expect(served).toBe(m.requests);
    const summary = summarizeLatencies(m.latenciesMs)!;
    expect(summary.p50).toBeGreaterThan(5);
    expect(summary.p50).toBeLessThan(20);
  });

  it('opens a new connection after every `Connection: close` response and times it correctly', async () => {
    let sockets = 0;
    let served = 0;
    const server = await serve((req, res) => {
      served++;
      res.setHeader('connection', 'close');
      setTimeout(() => res.end('ok'), 5);
    });
    server.server!.on('connection', () => sockets++);
    const m = await runLoad(plan(`${server.url}/x`));
    const summary = summarizeLatencies(m.latenciesMs)!;
    // Each request waits 5 ms plus a connect on loopback: autocannon 9 reports ~a second here.
    expect(summary.p50).toBeGreaterThan(5);
    expect(summary.p95).toBeLessThan(30);
    expect(m.successes).toBe(m.requests);
    expect(m.failures).toEqual({ status: 0, timeout: 0, socket: 0 });
    expect(m.requests).toBeGreaterThan(100);
    // One connection per request, and no request written to a closing socket: the server saw each once.
    expect(Math.abs(sockets - served)).toBeLessThanOrEqual(4);
  });

  it('counts a hanging request as a failure and as a latency sample of at least the timeout', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      // One request in ten never answers.
      if (++n % 10 === 0) return;
      setTimeout(() => res.end('ok'), 2);
    });
    const m = await runLoad(plan(`${server.url}/x`, { requestTimeoutMs: 200, durationMs: 1500 }));
    expect(m.failures.timeout).toBeGreaterThan(0);
    expect(m.failures.timeout / m.requests).toBeGreaterThan(0.05);
    const summary = summarizeLatencies(m.latenciesMs)!;
    // 10% of requests hang: p95 is a timeout, not a fast answer.
    expect(summary.p95).toBeGreaterThanOrEqual(200);
    expect(m.requests).toBe(m.successes + m.failures.timeout);
  });

  it('takes a request timeout that is no whole number of nanoseconds', async () => {
    // parseDurationMs('1.005s') is 1004.9999999999999 ms; here 0.1 s × 3, as floating point writes it.
    const requestTimeoutMs = 0.1 * 3 * 1000;
    expect(Number.isInteger(requestTimeoutMs * 1e6)).toBe(false);
    let n = 0;
    const server = await serve((_req, res) => {
      if (++n % 10 === 0) return;
      res.end('ok');
    });
    const m = await runLoad(plan(`${server.url}/x`, { requestTimeoutMs, warmupMs: 0, durationMs: 500 }));
    expect(m.failures.timeout).toBeGreaterThan(0);
    expect(summarizeLatencies(m.latenciesMs)!.max).toBeGreaterThanOrEqual(300);
  });

  it('names a target that stops answering near the end of the window', async () => {
    const start = Date.now();
    const server = await serve((_req, res) => {
      // Answers for the warmup and the first 600 ms of the window, then freezes.
      if (Date.now() - start > 200 + 600) return;
      res.end('ok');
    });
    const m = await runLoad(plan(`${server.url}/x`, { durationMs: 2000, requestTimeoutMs: 1500 }));
    expect(m.failures.timeout).toBeGreaterThanOrEqual(4);
    expect(m.trailingSilenceMs).toBeGreaterThan(1000);
    expect(m.lastAnswerMs).toBeLessThan(1000);
  });

  it('keeps fast failures out of the latency distribution and counts them per request', async () => {
    let n = 0;
    const server = await serve((_req, res) => {
      if (++n % 4 === 0) {
        res.statusCode = 500;
        return res.end('boom');
      }
      setTimeout(() => res.end('ok'), 10);
    });
    const m = await runLoad(plan(`${server.url}/x`));
    expect(m.failures.status).toBeGreaterThan(0);
    expect(m.failures.status / m.requests).toBeGreaterThan(0.15);
    expect(m.latenciesMs.length).toBe(m.successes);
    expect(m.failedLatenciesMs.length).toBe(m.failures.status);
    expect(summarizeLatencies(m.latenciesMs)!.p50).toBeGreaterThanOrEqual(10);
    expect(summarizeLatencies(m.failedLatenciesMs)!.p50).toBeLessThan(10);
    expect(sum(m.statusCodes)).toBe(m.requests);
  });

  it('judges success by expectStatus when given', async () => {
    const server = await serve((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    const m = await runLoad(plan(`${server.url}/x`, { expectStatus: [404], durationMs: 500 }));
    expect(m.successes).toBe(m.requests);
    expect(m.requests).toBeGreaterThan(0);
  });

  it('backs off on a refused port instead of counting a storm of reconnects', async () => {
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as net.AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const m = await runLoad(plan(`http://127.0.0.1:${port}/x`, { warmupMs: 0, durationMs: 1000 }));
    expect(m.successes).toBe(0);
    expect(m.socketErrors.ECONNREFUSED).toBe(m.requests);
    // 4 connections backing off 10, 20, 40, … ms: a few dozen attempts, not thousands.
    expect(m.requests).toBeGreaterThan(4);
    expect(m.requests).toBeLessThan(100);
  });

  it('sends method, headers and body', async () => {
    const seen: string[] = [];
    const server = await serve((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        seen.push(
          `${req.method} ${req.url} ${req.headers['x-token']} ${req.headers['content-type']} ${body}`,
        );
        res.end();
      });
    });
    await runLoad(
      plan(`${server.url}/search?q=1`, {
        method: 'POST',
        headers: { 'x-token': 'abc', 'content-type': 'application/json' },
        body: '{"a":1}',
        durationMs: 300,
        warmupMs: 0,
        connections: 1,
      }),
    );
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set(['POST /search?q=1 abc application/json {"a":1}']));
  });

  it('stops at once when aborted', async () => {
    const server = await serve((_req, res) => res.end('ok'));
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 300);
    const m = await runLoad(plan(`${server.url}/x`, { warmupMs: 0, durationMs: 10_000 }), {
      signal: abort.signal,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(m.abortedAtMs).toBeGreaterThan(200);
    expect(m.windowMs).toBeLessThan(1500);
  });
});

describe('runLoad, fixed rate', () => {
  it('sends at the configured rate and accounts for every request due', async () => {
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 2));
    const m = await runLoad(
      plan(`${server.url}/x`, { ratePerSecond: 200, connections: 4, durationMs: 1500 }),
    );
    // Every request due in the 1.5 s window is accounted for: 300 of them.
    expect(m.requests).toBeGreaterThanOrEqual(298);
    expect(m.requests).toBeLessThanOrEqual(302);
    expect(m.successes).toBe(m.requests);
  });

  it('sends exactly rate × duration requests: the window is half-open', async () => {
    let served = 0;
    const server = await serve((_req, res) => {
      served++;
      res.end('ok');
    });
    // 3 req/s on one connection: due at 0, 333.3 and 666.7 ms; the fourth, at 1000 ms, is past the window.
    // (Adding a rounded 333333333 ns interval put it at 999999999 ns, inside.)
    const m = await runLoad(
      plan(`${server.url}/x`, { ratePerSecond: 3, connections: 1, warmupMs: 0, durationMs: 1000 }),
    );
    expect(m.requests).toBe(3);
    expect(served).toBe(3);
  });

  it("does not charge the server for the gate's own lateness, and counts the late sends", async () => {
    const steady = await startNodeServer('pausing.mjs', { PAUSE_MS: '0' });
    servers.push(steady);
    // The gate's own event loop stops for 100 ms, 800 ms into the window: 20 requests fall due meanwhile,
    // on connections that are free. They go out late, and that is not the server's doing.
    const blocker = setTimeout(() => {
      const until = performance.now() + 100;
      while (performance.now() < until);
    }, 200 + 800);
    const m = await runLoad(
      plan(`${steady.url}/x`, { ratePerSecond: 200, connections: 4, warmupMs: 200, durationMs: 2000 }),
    );
    clearTimeout(blocker);
    expect(m.successes).toBe(m.requests);
    expect(m.lateSends).toBeGreaterThanOrEqual(15);
    // Only the requests whose answers waited out the stop in our own socket buffers (one per connection
    // at most) look slow; charged from their intended times, the late ones would be 5 to 100 ms.
    const slow = m.latenciesMs.filter((ms) => ms > 30).length;
    expect(slow).toBeLessThanOrEqual(4);
    // Timer lateness (~1 ms on an idle connection) is not charged either: the median is the raw one.
    const timed = summarizeLatencies(m.latenciesMs)!;
    const raw = summarizeLatencies(m.rawLatenciesMs)!;
    expect(Math.abs(timed.p50 - raw.p50)).toBeLessThan(0.1);
  });

  it('counts requests that waited for a connection, and tells too few connections from a busy gate', async () => {
    // 2 connections at 200 req/s against ~17 ms answers carry at most ~120 req/s: a backlog builds.
    const slow = await startNodeServer('pausing.mjs', { PAUSE_MS: '0', DELAY_MS: '16' });
    servers.push(slow);
    const shape = { ratePerSecond: 200, connections: 2, warmupMs: 0, durationMs: 1500 };
    const m = await runLoad(plan(`${slow.url}/x`, shape));
    expect(m.queuedSends).toBeGreaterThan(0.9 * m.requests);
    // The gate was never late on a free connection: the backlog is the connections' doing, not its CPU's.
    expect(m.lateSends).toBeLessThanOrEqual(2);
    // And the gate says so, with the connections it would take.
    const config = parseConfig(
      `target: ${slow.url}\nload: { rate: 200, connections: 2, warmup: 0s, duration: 1500ms }\nendpoints: [{ path: /x }]\n`,
      'x.yml',
      {},
    );
    const result = await runGate(config, { log: new MemoryLogger() });
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^GET \/x: [\d.]+% of requests waited for a free connection, and that wait counts as latency: 2 connections are too few for 200 req\/s at .* a request \(it takes at least [4-9]\); raise load\.connections$/,
      ),
    ]);
  });

  it('tells a saturated service from too few connections', async () => {
    // 2 workers × 50 ms: 40 req/s at most. At 60 req/s with 8 connections every connection is busy, and a
    // request takes ~200 ms (8 in the queue at 40 req/s) against 50 ms unloaded: more connections would
    // only lengthen the queue, which the old warning asked for ("it takes at least 12").
    const capped = await startNodeServer('workers.mjs', { WORKERS: '2', HOLD_MS: '50' });
    servers.push(capped);
    const config = parseConfig(
      `target: ${capped.url}\n` +
        'load: { rate: 60, connections: 8, warmup: 300ms, duration: 1500ms, request-timeout: 2s }\n' +
        'endpoints: [{ path: /x }]\n',
      'x.yml',
      {},
    );
    const result = await runGate(config, { log: new MemoryLogger() });
    expect(result.endpoints[0]!.unloadedLatencyMs).toBeGreaterThanOrEqual(50);
    expect(result.endpoints[0]!.unloadedLatencyMs).toBeLessThan(100);
    expect(result.warnings).toEqual([
      expect.stringMatching(
        /^GET \/x: [\d.]+% of requests waited for a free connection, and that wait counts as latency: the service is saturated, not short of connections: it answered about (3[5-9]|4[0-2])\.\d req\/s of the 60 asked, at .* a request against 5\d\.\d ms unloaded; more connections would only queue longer inside it$/,
      ),
    ]);
  });

  it('warns about the load only on a sample of 20 requests or more', async () => {
    // 3 requests at 3 req/s, each answered in 400 ms on one connection: two of three wait for it. That is
    // 67%, and three requests say nothing about a run.
    const server = await serve((_req, res) => setTimeout(() => res.end('ok'), 400));
    const config = parseConfig(
      `target: ${server.url}\nload: { rate: 3, connections: 1, warmup: 0s, duration: 1s }\nendpoints: [{ path: /x }]\n`,
      'x.yml',
      {},
    );
    const result = await runGate(config, { log: new MemoryLogger() });
    expect(result.endpoints[0]!.requests).toBe(3);
    expect(result.endpoints[0]!.queuedSends).toBe(2);
    expect(result.warnings).toEqual([]);
  });

  it('charges a pausing server for the requests it kept waiting, and passes a steady one', async () => {
    const pausing = await startNodeServer('pausing.mjs', { PAUSE_MS: '700', EVERY_MS: '1000' });
    const steady = await startNodeServer('pausing.mjs', { PAUSE_MS: '0' });
    servers.push(pausing, steady);
    const shape = {
      ratePerSecond: 100,
      connections: 5,
      warmupMs: 300,
      durationMs: 2000,
      requestTimeoutMs: 3000,
    };
    const paused = await runLoad(plan(`${pausing.url}/x`, shape));
    const calm = await runLoad(plan(`${steady.url}/x`, shape));
    const pausedSummary = summarizeLatencies(paused.latenciesMs)!;
    const rawSummary = summarizeLatencies(paused.rawLatenciesMs)!;
    const calmSummary = summarizeLatencies(calm.latenciesMs)!;
    // A 700 ms stop in every second: a third of the requests wait hundreds of ms.
    expect(pausedSummary.p95).toBeGreaterThan(300);
    // Timed from the actual send, the same run looks far better: that is coordinated omission.
    expect(rawSummary.p95).toBeLessThan(pausedSummary.p95);
    expect(calmSummary.p95).toBeLessThan(50);
    expect(paused.requests).toBeGreaterThanOrEqual(195);
  });

  it('over capacity, reports a breach with true figures, not a target that stopped answering', async () => {
    // 2 workers holding each request 50 ms: 40 req/s at most, asked for 200. The warmup's backlog used to
    // fill the whole window, so no request due in it was answered and the gate said "stopped answering".
    const capped = await startNodeServer('workers.mjs', { WORKERS: '2', HOLD_MS: '50' });
    servers.push(capped);
    const config = parseConfig(
      `target: ${capped.url}\n` +
        'load: { rate: 200, connections: 10, warmup: 500ms, duration: 1500ms, request-timeout: 1s }\n' +
        'endpoints: [{ path: /x, slo: { p95: 100ms } }]\n',
      'x.yml',
      {},
    );
    const result = await runGate(config, { log: new MemoryLogger() });
    const e = result.endpoints[0]!;
    expect(result.verdict).toBe('breached');
    expect(e.problems).toEqual([]);
    expect(e.requests).toBe(300);
    // It answered ~40 req/s all along: requests due in the window were answered, through to its end.
    expect(e.successes).toBeGreaterThan(30);
    expect(e.successes).toBeLessThanOrEqual(40 * 2.5 + 10);
    expect(e.requests).toBe(e.successes + e.failures.timeout);
    // Raw latencies are of requests actually sent, each held at least 50 ms: none is a 0 ms unsent one.
    expect(e.rawLatencyMs!.min).toBeGreaterThanOrEqual(50);
    expect(e.rawLatencyMs!.count).toBeLessThan(e.requests);
    // And the gate says why: the service is saturated (not: too few connections).
    expect(result.warnings).toEqual([
      expect.stringContaining('the service is saturated, not short of connections'),
    ]);
  });

  it('counts the backlog of a frozen server as timed out', async () => {
    const start = Date.now();
    const server = await serve((_req, res) => {
      if (Date.now() - start > 300 + 500) return; // freezes 500 ms into the window
      res.end('ok');
    });
    const m = await runLoad(
      plan(`${server.url}/x`, {
        ratePerSecond: 100,
        connections: 2,
        warmupMs: 300,
        durationMs: 1500,
        requestTimeoutMs: 500,
      }),
    );
    // 150 requests were due; about 100 of them after the freeze, and none of those was answered.
    expect(m.requests).toBeGreaterThanOrEqual(148);
    expect(m.failures.timeout).toBeGreaterThan(80);
    expect(m.trailingSilenceMs).toBeGreaterThan(800);
  });
});
