import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const config = (yaml: string) => parseConfig(yaml, 'slo-gate.yml', {});

describe('capacity keys', () => {
  it('gives every endpoint the top-level search, its own replacing it, false none', () => {
    const c = config(
      `
target: http://127.0.0.1:3000
capacity: { from: 50, to: 5000, step: 3s }
slo: { p95: 100ms }
endpoints:
  - path: /a
    slo: { min-capacity: 400 }
  - path: /b
    capacity: { from: 10, to: 100, step: 2s, precision: 5%, max-time: 30s, warmup: 500ms }
  - path: /c
    capacity: false
`,
    );
    expect(c.endpoints.map((e) => e.capacity)).toEqual([
      { fromRps: 50, toRps: 5000, stepMs: 3000, warmupMs: 1000, precision: 0.1, maxTimeMs: 60_000 },
      { fromRps: 10, toRps: 100, stepMs: 2000, warmupMs: 500, precision: 0.05, maxTimeMs: 30_000 },
      undefined,
    ]);
    expect(c.endpoints[0]!.slo.minCapacityRps).toBe(400);
    expect('capacity' in c.endpoints[2]!).toBe(false);
  });

  it('doubles the default cap with a baseline and warms up a third of a short step', () => {
    const c = config(`
target: http://127.0.0.1:3000
baseline: { target: http://127.0.0.1:3001 }
capacity: { from: 5, to: 50, step: 1.5s }
endpoints: [{ path: /a }]
`);
    expect(c.endpoints[0]!.capacity).toMatchObject({ warmupMs: 500, maxTimeMs: 120_000 });
  });

  it('refuses min-capacity on an endpoint left out of the search', () => {
    expect(() =>
      config(`
target: http://127.0.0.1:3000
capacity: { from: 5, to: 50, step: 2s }
slo: { min-capacity: 10 }
endpoints: [{ path: /a }, { path: /b, capacity: false }]
`),
    ).toThrow(
      'slo.min-capacity: needs a capacity block for every endpoint it applies to; endpoints[1] has none',
    );
  });

  it('refuses a min-capacity above what the search offers', () => {
    expect(() =>
      config(`
target: http://127.0.0.1:3000
capacity: { from: 5, to: 50, step: 2s }
endpoints: [{ path: /a, slo: { min-capacity: 60 } }]
`),
    ).toThrow(
      'endpoints[0].slo.min-capacity: expected at most capacity.to (50 req/s), got 60: the search never offers more than to',
    );
  });

  it("takes a top-level search in a mixed load (the mix's), and min-capacity on its total", () => {
    const c = config(`
target: http://127.0.0.1:3000
load: { mode: mixed }
capacity: { from: 5, to: 50, step: 2s }
slo: { min-capacity: 20 }
endpoints: [{ path: /a, weight: 3 }, { path: /b }]
`);
    expect(c.endpoints.map((e) => e.capacity?.toRps)).toEqual([50, 50]);
    expect(c.endpoints[0]!.slo.minCapacityRps).toBe(20);
  });

  it("refuses an endpoint's own min-capacity in a mixed load", () => {
    expect(() =>
      config(`
target: http://127.0.0.1:3000
load: { mode: mixed }
capacity: { from: 5, to: 50, step: 2s }
endpoints: [{ path: /a, slo: { min-capacity: 20 } }, { path: /b }]
`),
    ).toThrow(
      "endpoints[0].slo.min-capacity: is not supported with load.mode: mixed; the top-level slo.min-capacity holds the mix's total rate",
    );
  });
});
