/**
 * The capacity search inside the gate: after the normal window, a line per step in the log, and the
 * capacity in the endpoint's result under the JSON names the issue fixed. Steps are shortened below the
 * config's 1 s minimum to keep the suite fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { startNodeServer, type TestServer } from '../helpers/servers.js';

describe('the gate with a capacity block', () => {
  // 4 workers × 20 ms: 200 req/s at most; the search goes from 50 to 100 req/s, both well within it.
  let server: TestServer;
  beforeAll(async () => {
    server = await startNodeServer('workers.mjs', { WORKERS: '4', HOLD_MS: '20' });
  });
  afterAll(() => server.close());

  it('measures as always, then searches, and reports the capacity', async () => {
    const config = parseConfig(
      `target: ${server.url}
load: { duration: 500ms, warmup: 0s, rate: 20, connections: 4 }
capacity: { from: 50, to: 100, step: 1s }
slo: { p95: 100ms, min-capacity: 80 }
endpoints: [{ name: work, path: /work }]
`,
      'capacity.yml',
      {},
    );
    const endpoint = config.endpoints[0]!;
    endpoint.capacity = { ...endpoint.capacity!, stepMs: 600, warmupMs: 150 };
    const log = new MemoryLogger();
    const result = await runGate(config, { log });
    const work = result.endpoints[0]!;
    // The normal window is untouched by the search.
    expect(work.requests).toBeGreaterThanOrEqual(9);
    expect(work.requests).toBeLessThanOrEqual(11);
    expect(work.capacity).toMatchObject({ rps: 100, limitedBy: null, reachedTo: true });
    expect(work.capacity!.steps.map((s) => [s.offeredRps, s.passed])).toEqual([
      [50, true],
      [100, true],
    ]);
    const json = JSON.parse(JSON.stringify(result)) as typeof result;
    const step = json.endpoints[0]!.capacity!.steps[1]!;
    expect(Object.keys(step)).toEqual(
      expect.arrayContaining(['offeredRps', 'achievedRps', 'latencyMs', 'errorRate', 'passed']),
    );
    expect(step.achievedRps).toBeGreaterThan(95);
    expect(step.latencyMs!.p95).toBeLessThan(100);
    expect(work.checks.find((c) => c.metric === 'min-capacity')).toMatchObject({ actual: 100, passed: true });
    expect(log.lines.filter((line) => /^ {2}(50|100) req\/s: achieved/.test(line))).toHaveLength(2);
    expect(result.verdict).toBe('passed');
  }, 15_000);
});
