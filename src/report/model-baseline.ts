/**
 * The result model's comparison with the base branch: the change of a statistic over paired rounds, its
 * verdict, and each round's windows (which a merge of replicates pools). Re-exported by model.ts.
 */
import type { EncodedHistogram } from '../stats/hdr.js';
import type { LatencySummary } from '../stats/latency-summary.js';

/**
 * How head compares with base, once the p95 change's 95% interval is weighed against the budget b
 * (max-regression): regressed when the whole interval lies above b; within-budget when it lies at or below
 * b; improved when it lies wholly below −b (faster, and within budget too); inconclusive when it straddles
 * b, or there were too few rounds to compare: the run cannot tell whether the budget was exceeded.
 */
export type ChangeVerdict = 'regressed' | 'inconclusive' | 'within-budget' | 'improved';

/** The relative change of a statistic, head against base, from paired rounds. */
export interface RelativeChange {
  /** head/base - 1 over all rounds: 0.2 is 20% slower. */
  change: number;
  /** 95% confidence interval of the change, from round-to-round variation. */
  low: number;
  high: number;
  rounds: number;
  /**
   * The smallest change this run could tell from no change: the interval's half-width as a relative change,
   * exp(t(n−1)·sd/√n) − 1 over the n rounds' log-ratios. A change of this size or less would have left
   * zero inside the interval; 0.05 means only changes beyond about ±5% show. Absent in older reports.
   */
  smallestDetectableChange?: number;
}

/** What would settle an inconclusive verdict, estimated from the rounds' spread at the observed change. */
export interface RoundsToSettle {
  /**
   * Paired rounds in all for the interval to clear the budget, were the change and the spread as observed:
   * the least n with t(n−1)·sd/√n below |log(1 + change) − log(1 + budget)|. Null past 100 rounds (the
   * change sits too close to the budget to settle).
   */
  rounds: number | null;
  /** The same as replicates of this run's rounds, pooled (issue #12); null past 100 rounds. */
  replicates: number | null;
}

/** A statistic of head against base: pooled values and the change with its 95% interval. */
export interface StatisticChange {
  baseMs: number;
  headMs: number;
  change: RelativeChange;
}

export interface BaselineComparison {
  /** The base's latencies, pooled over its rounds. */
  latencyMs: LatencySummary | null;
  requests: number;
  errorRate: number;
  rounds: number;
  /** Null when fewer than two rounds had samples on both sides. */
  p95: StatisticChange | null;
  mean: StatisticChange | null;
  /** The largest p95 regression allowed, as a fraction (0.1 is 10%). */
  maxRegression: number;
  /**
   * regressed fails the endpoint; inconclusive fails it only with baseline.on-inconclusive: fail;
   * within-budget and improved never do.
   */
  verdict: ChangeVerdict;
  /**
   * Each round's two windows, measured back to back (issue #12): what merging replicates pools, pair by
   * pair. Absent in reports from before it.
   */
  perRound?: BaselineRound[];
  /** With an inconclusive verdict and a p95 change: the rounds (or replicates) that would settle it. */
  toSettle?: RoundsToSettle;
  /**
   * What an inconclusive verdict does to the check (baseline.on-inconclusive), kept so that a merge of
   * replicates judges as the run did.
   */
  onInconclusive?: 'fail' | 'pass';
}

/** One round of a baseline comparison: the base's window and the head's. */
export interface BaselineRound {
  base: RoundSide;
  head: RoundSide;
}

/**
 * One side's window in a round: its exact summary (p95 and mean pair up) and its HDR histogram. A merged
 * report keeps the summaries of every shard's rounds but not their histograms (its size would grow with
 * shards × rounds); the pooled figures are in the endpoint's.
 */
export interface RoundSide {
  latencyMs: LatencySummary | null;
  histogram?: EncodedHistogram | null;
}
