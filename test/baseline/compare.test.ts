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
  it.each([
    ['clearly over the budget', { change: 0.3, low: 0.2, high: 0.4 }, 'regressed'],
    ['over the budget but not clear', { change: 0.15, low: -0.02, high: 0.35 }, 'within-noise'],
    ['clear but within the budget', { change: 0.05, low: 0.02, high: 0.08 }, 'within-noise'],
    ['clearly faster', { change: -0.3, low: -0.4, high: -0.2 }, 'improved'],
    ['no change', { change: 0, low: -0.03, high: 0.03 }, 'within-noise'],
  ] as const)('%s', (_name, change, verdict) => {
    expect(judgeChange({ ...change, rounds: 6 }, 0.1)).toBe(verdict);
  });
});
