/**
 * The capacity search's driver on synthetic steps (order, cap, interruption), and once for real against
 * test/servers/workers.mjs, a server whose capacity is known by construction (workers ÷ hold time).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Side } from '../../src/baseline/rounds.js';
import { searchCapacity, stepShape, type CapacityRun, type StepShape } from '../../src/load/capacity-run.js';
import { runLoad } from '../../src/load/run-load.js';
import type { LoadMeasurement } from '../../src/load/window.js';
import { emptyWindow } from '../../src/verdict/endpoint-result.js';
import { startNodeServer, type TestServer } from '../helpers/servers.js';

const capacity = {
  fromRps: 100,
  toRps: 1000,
  stepMs: 1000,
  warmupMs: 200,
  precision: 0.1,
  maxTimeMs: 60_000,
};

/** A window at `rps` from a service that holds `edgeRps`: above it, p95 over 100 ms and the rate short. */
function window(rps: number, edgeRps: number, lateSends = 0): LoadMeasurement {
  const over = rps > edgeRps;
  const requests = rps;
  return {
    ...emptyWindow(),
    windowMs: 1000,
    requests,
    successes: requests,
    latenciesMs: new Float64Array(requests).fill(over ? 300 : 20),
    answers: over ? edgeRps : requests,
    lateSends,
  };
}

/** A run on a fake clock: each step takes its warmup and window. */
function fakeRun(edges: Partial<Record<Side, number>>, extra: Partial<CapacityRun> = {}) {
  let clockMs = 0;
  const calls: string[] = [];
  const run: CapacityRun = {
    capacity,
    targets: { p95Ms: 100, errorRate: 0.01 },
    requestTimeoutMs: 5000,
    sides: Object.keys(edges) as Side[],
    runStep: (side: Side, shape: StepShape) => {
      calls.push(`${side} ${shape.ratePerSecond}`);
      clockMs += shape.warmupMs + shape.durationMs;
      return Promise.resolve(window(shape.ratePerSecond, edges[side]!));
    },
    stopped: () => false,
    pause: (ms) => {
      clockMs += ms;
      return Promise.resolve();
    },
    nowMs: () => clockMs,
    ...extra,
  };
  return { run, calls };
}

describe('searchCapacity on synthetic steps', () => {
  it('doubles, then bisects to within the precision', async () => {
    const { run, calls } = fakeRun({ head: 330 });
    const { head } = await searchCapacity(run);
    // 350 broke and 325 held: within 10% of each other, the search ends.
    expect(calls).toEqual(['head 100', 'head 200', 'head 400', 'head 300', 'head 350', 'head 325']);
    expect(head).toMatchObject({ rps: 325, limitedBy: 'p95', reachedTo: false });
    expect(head!.steps.map((s) => s.passed)).toEqual([true, true, false, true, false, true]);
    expect(head!.steps[2]).toMatchObject({ offeredRps: 400, achievedRps: 330, broke: ['p95', 'rate'] });
    expect(head!.stoppedBy).toBeUndefined();
  });

  it('alternates base and head, each searching on its own, as rounds alternate', async () => {
    const { run, calls } = fakeRun({ base: 250, head: 150 });
    const { base, head } = await searchCapacity(run);
    expect(calls.slice(0, 6)).toEqual([
      'base 100',
      'head 100',
      'head 200',
      'base 200',
      'base 400',
      'head 150',
    ]);
    expect(base!.rps).toBeGreaterThanOrEqual(225);
    expect(base!.rps).toBeLessThanOrEqual(250);
    expect(head!.rps).toBe(150);
  });

  it('stops at its time cap and says so', async () => {
    const { run, calls } = fakeRun({ head: 330 }, { capacity: { ...capacity, maxTimeMs: 4000 } });
    const { head } = await searchCapacity(run);
    // 1.2 s a step, 0.25-2 s pause after a failure: three steps fit, a fourth would end past 4 s.
    expect(calls).toEqual(['head 100', 'head 200', 'head 400']);
    expect(head).toMatchObject({ rps: 200, stoppedBy: 'max-time' });
  });

  it('stops when the run is interrupted', async () => {
    let steps = 0;
    const { run } = fakeRun({ head: 330 }, { stopped: () => steps++ >= 2 });
    const { head } = await searchCapacity(run);
    expect(head!.steps).toHaveLength(2);
    expect(head).toMatchObject({ rps: 200, stoppedBy: 'interrupted' });
  });

  it('blames the load generator when its sends ran late on the failed step', async () => {
    const { run } = fakeRun({ head: 330 });
    run.runStep = (_side, shape) =>
      Promise.resolve(window(shape.ratePerSecond, 330, shape.ratePerSecond > 330 ? 100 : 0));
    const ran: number[] = [];
    const step = run.runStep;
    run.runStep = (side, shape) => {
      ran.push(shape.ratePerSecond);
      return step(side, shape);
    };
    const { head } = await searchCapacity(run);
    expect(head).toMatchObject({ rps: 325, limitedBy: 'load-generator' });
    // Each step the gate fell behind on ran twice before it counted; the others once.
    expect(ran).toEqual([100, 200, 400, 400, 300, 350, 350, 325]);
    expect(head!.steps).toHaveLength(6);
  });
});

describe('stepShape', () => {
  const run = { capacity, targets: { p95Ms: 250 }, requestTimeoutMs: 5000 };
  it.each([
    {
      name: 'connections from the p95 target, timeout at 4× it',
      rps: 40,
      run,
      connections: 16,
      timeout: 1000,
    },
    {
      name: 'no p95 target: twice the last p95, the load timeout',
      rps: 100,
      run: { ...run, targets: {} },
      connections: 31,
      timeout: 5000,
    },
  ])('$name', ({ rps, run: r, connections, timeout }) => {
    const last = { latencyMs: { p50: 100, p95: 100, p99: 100 } } as Parameters<typeof stepShape>[2];
    expect(stepShape(rps, r, last)).toEqual({
      ratePerSecond: rps,
      connections,
      warmupMs: 200,
      durationMs: 1000,
      requestTimeoutMs: timeout,
    });
  });
});

describe('searchCapacity against a server of known capacity', () => {
  // 4 workers holding each request 20 ms: at most 200 req/s, however many connections send.
  let server: TestServer;
  beforeAll(async () => {
    server = await startNodeServer('workers.mjs', { WORKERS: '4', HOLD_MS: '20' });
  });
  afterAll(() => server.close());

  it('finds it within 10%', async () => {
    const run: CapacityRun = {
      // Short steps to keep the suite fast; from near the edge so five steps find it (about 4 s of load).
      capacity: { fromRps: 120, toRps: 1000, stepMs: 600, warmupMs: 200, precision: 0.1, maxTimeMs: 12_000 },
      targets: { p95Ms: 40, errorRate: 0.01 },
      requestTimeoutMs: 2000,
      sides: ['head'],
      runStep: (_side, shape) => runLoad({ url: server.url, method: 'GET', headers: {}, ...shape }),
      stopped: () => false,
    };
    const { head } = await searchCapacity(run);
    expect(head!.steps.length).toBeGreaterThanOrEqual(3);
    expect(head!.limitedBy === 'p95' || head!.limitedBy === 'rate').toBe(true);
    expect(head!.rps).toBeGreaterThanOrEqual(180);
    expect(head!.rps).toBeLessThanOrEqual(220);
  }, 20_000);
});
