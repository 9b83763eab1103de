/** The timeline of a real load against a real server on 127.0.0.1 that stops for a while at a known time. */
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad } from '../../src/load/run-load.js';
import { startNodeServer, type TestServer } from '../helpers/servers.js';

const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

describe('the timeline of a run', () => {
  it('charges a server pause to the intervals its requests were due in, not where the answers came', async () => {
    // No warmup: the server's first request opens the window; it stops 800 ms later for 400 ms, across the
    // edge between the first and the second second.
    const server = await startNodeServer('pausing.mjs', { PAUSE_MS: '400', PAUSE_AFTER_FIRST_MS: '800' });
    servers.push(server);
    const m = await runLoad({
      url: `${server.url}/x`,
      method: 'GET',
      headers: {},
      connections: 4,
      ratePerSecond: 100,
      warmupMs: 0,
      durationMs: 2000,
      requestTimeoutMs: 2000,
    });
    const points = m.timeline!;
    expect(points.map((p) => [p.atMs, p.intervalMs])).toEqual([
      [0, 1000],
      [1000, 1000],
    ]);
    // Every request due in the window is in one interval, at the rate asked.
    expect(points.map((p) => p.requests)).toEqual([100, 100]);
    expect(points.map((p) => p.offeredRps)).toEqual([100, 100]);
    expect(points.map((p) => p.errors)).toEqual([0, 0]);
    // The requests due from 800 to 1000 ms waited 200 to 400 ms: a fifth of the first second, so its p95
    // shows the pause although their answers came in the second. Those due from 1000 to 1200 ms waited up
    // to 200 ms.
    expect(points[0]!.latencyMs!.p95).toBeGreaterThan(250);
    expect(points[0]!.latencyMs!.p95).toBeLessThan(600);
    expect(points[1]!.latencyMs!.p95).toBeGreaterThan(100);
    expect(points[1]!.latencyMs!.p95).toBeLessThan(300);
    // The answers stopped with the server: fewer came in the first second than were asked for.
    expect(points[0]!.achievedRps).toBeLessThan(90);
  });
});
