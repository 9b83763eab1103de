/**
 * What an inconclusive verdict would need to settle: pure arithmetic on the paired rounds' log-ratios,
 * recovered from a RelativeChange (its interval is center ± t(n−1)·sd/√n on the log scale, so the spread sd
 * follows from the interval and the rounds), so a merge of replicates can estimate it from its pooled change.
 */
import type { RelativeChange, RoundsToSettle } from '../report/model.js';
import { t975 } from './student-t.js';

/** Beyond this many rounds the estimate is reported as "over 100": the change sits on the budget. */
export const MAX_ROUNDS_TO_SETTLE = 100;

/** The interval's half-width on the log scale, t(n−1)·sd/√n. */
const logHalfWidth = (change: RelativeChange) => (Math.log1p(change.high) - Math.log1p(change.low)) / 2;

/**
 * Pure: the least number of paired rounds n (in all) for which t(n−1)·sd/√n falls short of the distance
 * from the observed change to the budget, |log(1 + change) − log(1 + budget)|, at the observed spread sd;
 * null when even MAX_ROUNDS_TO_SETTLE rounds would not do (or the change is exactly on the budget).
 * Strictly short above the budget (regressed needs low > budget), at most on or below it (within budget
 * needs high ≤ budget). An estimate: the next rounds' spread and change will differ.
 */
export function roundsToSettle(change: RelativeChange, budget: number): number | null {
  const n0 = change.rounds;
  const sd = (logHalfWidth(change) * Math.sqrt(n0)) / t975(n0 - 1);
  const center = Math.log1p(change.change);
  const margin = Math.abs(center - Math.log1p(budget));
  const above = center > Math.log1p(budget);
  for (let n = 2; n <= MAX_ROUNDS_TO_SETTLE; n++) {
    const halfWidth = (t975(n - 1) * sd) / Math.sqrt(n);
    if (above ? halfWidth < margin : halfWidth <= margin) return n;
  }
  return null;
}

/**
 * Pure: the rounds to settle, and the same as replicates of this run's rounds (`change.rounds`), pooled as
 * a merge pools them: N replicates of R rounds are N×R pairs.
 */
export function settleEstimate(change: RelativeChange, budget: number): RoundsToSettle {
  const rounds = roundsToSettle(change, budget);
  return { rounds, replicates: rounds === null ? null : Math.ceil(rounds / change.rounds) };
}
