/**
 * Head against base, measured in alternating rounds (A B A B …) on the same runner. Pure functions.
 *
 * The change of a latency statistic is estimated per round, as the log of head/base in that round, so that
 * drift on the runner (another job on the host, CPU boost fading) hits both sides of a round alike and
 * cancels. The rounds' log-ratios are then treated as a small sample: their mean is the estimate and a
 * Student t interval over them is the 95% confidence interval, which widens honestly when rounds disagree.
 * (A bootstrap percentile interval over 5–10 rounds is known to be too narrow, so it is not used.)
 */
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { concatSamples } from '../load/merge-measurements.js';
import type { LoadMeasurement } from '../load/run-load.js';
import type {
  BaselineComparison,
  ChangeVerdict,
  RelativeChange,
  RoundSide,
  StatisticChange,
} from '../report/model.js';
import { encodeLatencies } from '../stats/hdr.js';
import { summarizeLatencies, type LatencySummary } from '../stats/latency-summary.js';
import { settleEstimate } from './settle.js';
import { t975 } from './student-t.js';

export { t975 } from './student-t.js';

/**
 * The relative change from paired per-round values (base[i] and head[i] measured back to back). Needs at
 * least two rounds with positive values on both sides; undefined otherwise.
 */
export function relativeChange(base: readonly number[], head: readonly number[]): RelativeChange | undefined {
  const logRatios: number[] = [];
  for (let i = 0; i < Math.min(base.length, head.length); i++) {
    const b = base[i]!;
    const h = head[i]!;
    if (b > 0 && h > 0 && Number.isFinite(b) && Number.isFinite(h)) logRatios.push(Math.log(h / b));
  }
  if (logRatios.length < 2) return undefined;
  const center = mean(logRatios);
  const halfWidth =
    (t975(logRatios.length - 1) * sampleStandardDeviation(logRatios)) / Math.sqrt(logRatios.length);
  return {
    change: Math.exp(center) - 1,
    low: Math.exp(center - halfWidth) - 1,
    high: Math.exp(center + halfWidth) - 1,
    rounds: logRatios.length,
    smallestDetectableChange: Math.expm1(halfWidth),
  };
}

/**
 * The change's 95% interval against the budget b: regressed when it lies wholly above b (low > b);
 * within-budget when it lies at or below b (high ≤ b), improved when wholly below −b; inconclusive when it
 * straddles b. Strict on purpose: a change exactly at the budget is allowed, and "change > b and low > 0"
 * failed such a change in about half of all runs; what that rule flagged and this one does not
 * (0 < low ≤ b < change) is inconclusive, which baseline.on-inconclusive: fail fails.
 */
export function judgeChange(change: RelativeChange, maxRegression: number): ChangeVerdict {
  if (change.low > maxRegression) return 'regressed';
  if (change.high < -maxRegression) return 'improved';
  if (change.high <= maxRegression) return 'within-budget';
  return 'inconclusive';
}

/**
 * Compares the rounds of one endpoint: `base[i]` and `head[i]` were measured back to back. The pooled
 * summaries describe each side; the change and its interval come from the per-round values.
 */
export function compareRounds(
  base: readonly LoadMeasurement[],
  head: readonly LoadMeasurement[],
  maxRegression: number,
): Omit<BaselineComparison, 'latencyMs' | 'requests' | 'errorRate'> {
  const perRound = (rounds: readonly LoadMeasurement[]) =>
    rounds.map((m) => summarizeLatencies(m.latenciesMs) ?? null);
  const pooled = (rounds: readonly LoadMeasurement[]) =>
    summarizeLatencies(concatSamples(rounds.map((m) => m.latenciesMs))) ?? null;
  const baseRounds = perRound(base);
  const headRounds = perRound(head);
  const pairs = Math.min(base.length, head.length);
  const side = (m: LoadMeasurement, latencyMs: LatencySummary | null): RoundSide => ({
    latencyMs,
    histogram: encodeLatencies(m.latenciesMs),
  });
  return {
    ...compareSummaries(
      { rounds: baseRounds, pooled: pooled(base) },
      { rounds: headRounds, pooled: pooled(head) },
      maxRegression,
    ),
    perRound: Array.from({ length: pairs }, (_, i) => ({
      base: side(base[i]!, baseRounds[i]!),
      head: side(head[i]!, headRounds[i]!),
    })),
  };
}

/** One side of a comparison: its per-round summaries, in round order, and its rounds pooled. */
export interface SideSummaries {
  rounds: readonly (LatencySummary | null)[];
  pooled: LatencySummary | null;
}

/**
 * The comparison from summaries alone: what a run computes from its windows and a merge of replicates from
 * their reports (issue #12), so that both judge alike. `base.rounds[i]` pairs with `head.rounds[i]`.
 */
export function compareSummaries(
  base: SideSummaries,
  head: SideSummaries,
  maxRegression: number,
): Omit<BaselineComparison, 'latencyMs' | 'requests' | 'errorRate'> {
  const statistic = (key: 'p95' | 'mean'): StatisticChange | null => {
    const change = relativeChange(
      base.rounds.map((s) => s?.[key] ?? NaN),
      head.rounds.map((s) => s?.[key] ?? NaN),
    );
    if (!change || !base.pooled || !head.pooled) return null;
    return { baseMs: base.pooled[key], headMs: head.pooled[key], change };
  };
  const p95 = statistic('p95');
  // Too few rounds to compare: the run cannot tell either.
  const verdict = p95 ? judgeChange(p95.change, maxRegression) : 'inconclusive';
  return {
    rounds: Math.min(base.rounds.length, head.rounds.length),
    p95,
    mean: statistic('mean'),
    maxRegression,
    verdict,
    ...(verdict === 'inconclusive' && p95 ? { toSettle: settleEstimate(p95.change, maxRegression) } : {}),
  };
}
