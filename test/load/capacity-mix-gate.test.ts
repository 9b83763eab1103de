/**
 * The mix's capacity search in the gate, against a server of known capacity: two paths of one workers.mjs
 * server (4 workers × 20 ms: 200 req/s in total however the mix splits), weights 3:1. Steps shortened below
 * the config's 1 s minimum to keep the suite fast.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { startNodeServer, type TestServer } from '../helpers/servers.js';

describe('the gate with a capacity block and load.mode: mixed', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startNodeServer('workers.mjs', { WORKERS: '4', HOLD_MS: '20' });
  });
  afterAll(() => server.close());

  it("finds the mix's total capacity within the precision of the truth", async () => {
    const config = parseConfig(
      `target: ${server.url}
load: { mode: mixed, duration: 300ms, warmup: 0s, rate: 40, connections: 4 }
capacity: { from: 150, to: 300, step: 1s, precision: 25% }
slo: { p95: 40ms, min-capacity: 100 }
endpoints: [{ name: list, path: /list, weight: 3 }, { name: item, path: /item }]
`,
      'capacity-mix.yml',
      {},
    );
    for (const endpoint of config.endpoints) {
      endpoint.capacity = { ...endpoint.capacity!, stepMs: 400, warmupMs: 100 };
    }
    const log = new MemoryLogger();
    const result = await runGate(config, { log });
    const capacity = result.mix!.capacity!;
    // Truth 200 req/s; the search stops within 25% below the edge it saw.
    expect(capacity.rps).toBeGreaterThanOrEqual(200 / 1.25);
    expect(capacity.rps).toBeLessThanOrEqual(200 * 1.05);
    expect(capacity.limitedBy).not.toBeNull();
    expect(capacity.limitedBy).not.toBe('load-generator');
    const json = JSON.parse(JSON.stringify(result)) as typeof result;
    expect(json.endpoints.every((e) => e.capacity === undefined)).toBe(true);
    const step = json.mix!.capacity!.steps[0]!;
    expect(step).toMatchObject({ offeredRps: 150, passed: true });
    expect(['list', 'item']).toContain(step.worstEndpoint);
    expect(step.achievedRps).toBeGreaterThan(140);
    expect(result.mix!.checks).toEqual([
      expect.objectContaining({ metric: 'min-capacity', limit: 100, actual: capacity.rps, passed: true }),
    ]);
    expect(log.lines.some((line) => line.startsWith('mix: capacity '))).toBe(true);
    expect(result.verdict).toBe('passed');
  }, 20_000);
});
