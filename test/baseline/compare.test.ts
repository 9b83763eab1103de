import { describe, expect, it } from 'vitest';
import { judgeChange, relativeChange, t975 } from '../../src/baseline/compare.js';

describe('relativeChange', () => {
  it('is undefined with fewer than two usable rounds', () => {
    expect(relativeChange([10], [12])).toBeUndefined();
    expect(relativeChange([10, 0], [12, 5])).toBeUndefined();
  });

  it('is exact, with a zero-width interval, when every round agrees', () => {
    const change = relativeChange([100, 50, 200], [130, 65, 260])!;
    expect(change.change).toBeCloseTo(0.3, 10);
    expect(change.low).toBeCloseTo(0.3, 10);
    expect(change.high).toBeCloseTo(0.3, 10);
    expect(change.rounds).toBe(3);
    expect(change.smallestDetectableChange).toBeCloseTo(0, 10);
  });

  it('cancels drift that hits both sides of a round alike', () => {
    // The runner gets 3× slower halfway through; head is 20% slower throughout.
    const base = [10, 10, 10, 30, 30, 30];
    const head = base.map((b) => b * 1.2);
    expect(relativeChange(base, head)!.change).toBeCloseTo(0.2, 10);
  });

  it('widens the interval with round-to-round noise, by Student t', () => {
    // log-ratios ±0.1 around 0: mean 0, sample sd 0.1095 (n = 6), t(5) = 2.571.
    const base = [100, 100, 100, 100, 100, 100];
    const head = [0.1, -0.1, 0.1, -0.1, 0.1, -0.1].map((l) => 100 * Math.exp(l));
    const change = relativeChange(base, head)!;
    const halfWidth = (2.571 * Math.sqrt(0.06 / 5)) / Math.sqrt(6);
    expect(change.change).toBeCloseTo(0, 10);
    expect(change.low).toBeCloseTo(Math.exp(-halfWidth) - 1, 6);
    expect(change.high).toBeCloseTo(Math.exp(halfWidth) - 1, 6);
    // The smallest change these rounds tell from none: the half-width, as a change (about ±12%).
    expect(change.smallestDetectableChange).toBeCloseTo(Math.exp(halfWidth) - 1, 6);
  });
});

describe('t975', () => {
  it.each([
    [1, 12.706],
    [5, 2.571],
    [30, 2.042],
    [200, 1.96],
  ])('t(0.975, %i) = %f', (df, t) => expect(t975(df)).toBe(t));
});

describe('judgeChange', () => {
  // Budget b = 10%. regressed: low > b; within-budget: high ≤ b; improved: high < −b; else inconclusive.
  it.each([
    ['clearly over the budget', { change: 0.3, low: 0.2, high: 0.4 }, 'regressed'],
    ['low just over the budget', { change: 0.2, low: 0.1001, high: 0.3 }, 'regressed'],
    [
      'low exactly at the budget: not shown to exceed it',
      { change: 0.2, low: 0.1, high: 0.3 },
      'inconclusive',
    ],
    // The old rule (change > b and low > 0) called this regressed; the strict rule cannot tell.
    [
      'over the budget, clear of zero, but low within it',
      { change: 0.15, low: 0.02, high: 0.3 },
      'inconclusive',
    ],
    ['over the budget but not clear of zero', { change: 0.15, low: -0.02, high: 0.35 }, 'inconclusive'],
    ['within the budget but high over it', { change: 0.05, low: -0.04, high: 0.14 }, 'inconclusive'],
    ['high just over the budget', { change: 0.05, low: 0, high: 0.1001 }, 'inconclusive'],
    ['high exactly at the budget: allowed', { change: 0.05, low: 0, high: 0.1 }, 'within-budget'],
    ['exactly the budget in every round', { change: 0.1, low: 0.1, high: 0.1 }, 'within-budget'],
    ['clear but within the budget', { change: 0.05, low: 0.02, high: 0.08 }, 'within-budget'],
    ['no change', { change: 0, low: -0.03, high: 0.03 }, 'within-budget'],
    ['faster, high exactly at minus the budget', { change: -0.2, low: -0.3, high: -0.1 }, 'within-budget'],
    ['clearly faster', { change: -0.3, low: -0.4, high: -0.2 }, 'improved'],
    [
      'faster on average, but wide enough to be over the budget',
      { change: -0.15, low: -0.35, high: 0.12 },
      'inconclusive',
    ],
  ] as const)('%s', (_name, change, verdict) => {
    expect(judgeChange({ ...change, rounds: 6 }, 0.1)).toBe(verdict);
  });
});
