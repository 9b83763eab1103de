/**
 * Why a mixed load matters (issue #10), shown on a real server: under gunicorn's two sync workers a 50 ms
 * route mixed with a fast one holds the workers, and the fast route's requests wait behind it. Loaded one at
 * a time, the fast route never shows that; loaded together, its p95 rises to about the slow route's time.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import type { GateResult } from '../../src/report/model.js';
import { hasGunicorn, startGunicorn, type Gunicorn } from '../helpers/gunicorn.js';
import { SERVERS_DIR } from '../helpers/servers.js';

let gunicorn: Gunicorn | undefined;
beforeAll(async () => {
  if (hasGunicorn())
    gunicorn = await startGunicorn({ workers: 2, appDir: path.join(SERVERS_DIR, 'fast-slow') });
}, 20_000);
afterAll(async () => {
  await gunicorn?.close();
});

/** The same two endpoints and load, isolated or mixed: only `load.mode` differs. */
async function run(mode: 'isolated' | 'mixed'): Promise<GateResult> {
  const config = parseConfig(
    `target: ${gunicorn!.url}\n` +
      `load: { mode: ${mode}, connections: 4, warmup: 300ms, duration: 1s }\n` +
      'endpoints:\n' +
      '  - { name: fast, path: /fast, weight: 3 }\n' +
      '  - { name: slow, path: /slow, weight: 1 }\n',
    'x.yml',
    {},
  );
  return runGate(config, { log: new MemoryLogger() });
}

describe.skipIf(!hasGunicorn())('a slow route mixed with a fast one, under gunicorn -w 2', () => {
  it('raises the fast route’s p95 in mixed mode against isolated mode', async () => {
    const isolated = await run('isolated');
    const mixed = await run('mixed');
    const fastP95 = (r: GateResult) => r.endpoints.find((e) => e.name === 'fast')!.latencyMs!.p95;
    const isolatedMs = fastP95(isolated);
    const mixedMs = fastP95(mixed);
    console.log(`fast p95: isolated ${isolatedMs.toFixed(1)} ms, mixed ${mixedMs.toFixed(1)} ms`);
    // Alone, /fast takes a few ms; mixed, it waits behind /slow's 50 ms on the two workers.
    expect(isolatedMs).toBeLessThan(20);
    expect(mixedMs).toBeGreaterThan(30);
    expect(mixedMs).toBeGreaterThan(isolatedMs * 3);
    // The mix: one window, both endpoints in it, the total the sum of its parts.
    expect(mixed.load.mode).toBe('mixed');
    expect(mixed.endpoints.map((e) => e.weight)).toEqual([3, 1]);
    expect(mixed.mix!.requests).toBe(mixed.endpoints[0]!.requests + mixed.endpoints[1]!.requests);
    expect(isolated.mix).toBeUndefined();
    expect(isolated.endpoints[0]!.weight).toBeUndefined();
  }, 30_000);
});
