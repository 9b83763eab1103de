import { describe, expect, it } from 'vitest';
import { compareCapacity, judgeCapacity } from '../../src/verdict/capacity-checks.js';
import type { CapacitySearch } from '../../src/report/model.js';

const search = (rps: number, extra: Partial<CapacitySearch> = {}): CapacitySearch => ({
  rps,
  limitedBy: 'p95',
  reachedTo: false,
  fromRps: 50,
  toRps: 5000,
  precision: 0.1,
  durationMs: 30_000,
  steps: [],
  ...extra,
});

describe('compareCapacity', () => {
  it.each([
    {
      name: 'a drop beyond the budget',
      head: search(1420),
      base: search(1840),
      change: 1420 / 1840 - 1,
      verdict: 'regressed',
    },
    {
      name: 'a drop within it',
      head: search(1700),
      base: search(1840),
      change: 1700 / 1840 - 1,
      verdict: 'within-budget',
    },
    {
      name: 'a rise beyond it',
      head: search(2400),
      base: search(1840),
      change: 2400 / 1840 - 1,
      verdict: 'improved',
    },
    {
      name: 'both at least to',
      head: search(5000, { reachedTo: true, limitedBy: null }),
      base: search(5000, { reachedTo: true, limitedBy: null }),
      change: 0,
      verdict: 'within-budget',
    },
    {
      name: 'head cut by the load generator',
      head: search(900, { limitedBy: 'load-generator' }),
      base: search(1840),
      change: null,
      verdict: 'not-judged',
    },
    {
      name: 'base stopped by the cap',
      head: search(900),
      base: search(800, { stoppedBy: 'max-time' }),
      change: null,
      verdict: 'not-judged',
    },
  ])('$name', ({ head, base, change, verdict }) => {
    const compared = compareCapacity(head, base, 0.1);
    expect(compared.verdict).toBe(verdict);
    if (change === null) expect(compared.change).toBeNull();
    else expect(compared.change).toBeCloseTo(change, 10);
  });
});

describe('judgeCapacity', () => {
  it('checks min-capacity', () => {
    const { checks, problems } = judgeCapacity(search(400), undefined, { minCapacityRps: 500 }, undefined);
    expect(checks).toEqual([{ metric: 'min-capacity', limit: 500, actual: 400, unit: 'rps', passed: false }]);
    expect(problems).toEqual([]);
  });

  it('says it could not tell when the load generator was the limit below min-capacity', () => {
    const { problems } = judgeCapacity(
      search(400, { limitedBy: 'load-generator' }),
      undefined,
      { minCapacityRps: 500 },
      undefined,
    );
    expect(problems).toEqual([
      "capacity not measured up to min-capacity 500 req/s: it held 400 req/s, then slo-gate's own sends ran late (the load generator, not the service, was the limit)",
    ]);
  });

  it('passes min-capacity at or above it, whatever limited the search', () => {
    const { checks, problems } = judgeCapacity(
      search(500, { limitedBy: 'load-generator' }),
      undefined,
      { minCapacityRps: 500 },
      undefined,
    );
    expect(checks[0]!.passed).toBe(true);
    expect(problems).toEqual([]);
  });

  it('adds the base, the change and a capacity-regression check', () => {
    const { capacity, checks } = judgeCapacity(search(1420), search(1840), {}, 0.15);
    expect(capacity).toMatchObject({ rps: 1420, base: { rps: 1840 }, verdict: 'regressed' });
    expect(checks).toEqual([
      {
        metric: 'capacity-regression',
        limit: 0.15,
        actual: capacity.change,
        unit: 'fraction',
        passed: false,
      },
    ]);
  });
});
