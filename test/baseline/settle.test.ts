import { describe, expect, it } from 'vitest';
import { judgeChange, t975 } from '../../src/baseline/compare.js';
import { roundsToSettle, settleEstimate } from '../../src/baseline/settle.js';
import { formatToSettle } from '../../src/report/format.js';
import type { RelativeChange } from '../../src/report/model.js';

/** The RelativeChange of n rounds whose log-ratios have mean `center` and sample sd `sd`. */
function changeOf(center: number, sd: number, n: number): RelativeChange {
  const halfWidth = (t975(n - 1) * sd) / Math.sqrt(n);
  return {
    change: Math.expm1(center),
    low: Math.expm1(center - halfWidth),
    high: Math.expm1(center + halfWidth),
    rounds: n,
  };
}

describe('roundsToSettle', () => {
  // Worked by hand from t(n−1)·sd/√n against |log(1 + change) − log(1 + b)|, b = 10%.
  it.each([
    // margin log(1.15/1.1) = 0.04445: n = 22 gives 2.080·0.1/√22 = 0.04435; n = 21 gives 0.04552.
    ['+15% at sd 0.1, above the budget', Math.log(1.15), 0.1, 22, 4],
    // margin log(1.1/1.05) = 0.04652: n = 7 gives 2.447·0.05/√7 = 0.04624; n = 6 gives 0.05248.
    ['+5% at sd 0.05, below the budget', Math.log(1.05), 0.05, 7, 2],
    // margin log(1.1/1.099) = 0.00091: beyond 100 rounds.
    ['+9.9% at sd 0.1, next to the budget', Math.log(1.099), 0.1, null, null],
    ['exactly the budget', Math.log(1.1), 0.1, null, null],
  ] as const)('%s', (_name, center, sd, rounds, replicates) => {
    const change = changeOf(center, sd, 6);
    expect(judgeChange(change, 0.1)).toBe('inconclusive');
    expect(roundsToSettle(change, 0.1)).toBe(rounds);
    expect(settleEstimate(change, 0.1)).toEqual({ rounds, replicates });
  });

  it.each([
    ['above the budget', Math.log(1.2), 0.15, 4, 'regressed'],
    ['below the budget', Math.log(1.02), 0.12, 6, 'within-budget'],
    ['far below, wide', Math.log(0.9), 0.25, 5, 'within-budget'],
    ['just above, narrow', Math.log(1.13), 0.04, 8, 'regressed'],
  ] as const)(
    '%s: at the estimate the interval settles, one round fewer it does not',
    (_n, center, sd, n0, settled) => {
      const change = changeOf(center, sd, n0);
      expect(judgeChange(change, 0.1)).toBe('inconclusive');
      const rounds = roundsToSettle(change, 0.1)!;
      expect(rounds).toBeGreaterThan(n0);
      expect(judgeChange(changeOf(center, sd, rounds), 0.1)).toBe(settled);
      expect(judgeChange(changeOf(center, sd, rounds - 1), 0.1)).toBe('inconclusive');
    },
  );

  it('counts replicates of the run’s own rounds, pooled: 22 rounds are 3 replicates of 8', () => {
    const change = changeOf(Math.log(1.15), 0.1, 8);
    expect(settleEstimate(change, 0.1)).toEqual({ rounds: 22, replicates: 3 });
  });
});

describe('formatToSettle', () => {
  it.each([
    [{ rounds: 12, replicates: 2 }, 6, '12 rounds, or 2 replicates of 6, would settle it'],
    [{ rounds: 7, replicates: 2 }, 6, '7 rounds, or 2 replicates of 6, would settle it'],
    [{ rounds: 5, replicates: 1 }, 4, '5 rounds would settle it'],
    [
      { rounds: null, replicates: null },
      6,
      'over 100 rounds would be needed to settle it: the change is that close to the budget',
    ],
  ] as const)('%j of %i rounds', (toSettle, rounds, text) => {
    expect(formatToSettle(toSettle, rounds)).toBe(text);
  });
});
