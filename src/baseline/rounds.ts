/**
 * Head against base for one endpoint: warm both up once, then alternate base head, head base, … so drift
 * (a CPU warming up, a neighbour's load) hits both sides alike; then compare the rounds pairwise. The
 * driver owns the sockets and timers, so the order, the trimming and the comparison are tested on
 * synthetic windows.
 */
import type { LoadMeasurement } from '../load/run-load.js';
import { mergeMeasurements } from '../load/merge-measurements.js';
import type { OnInconclusive } from '../config/types.js';
import type { BaselineComparison, CheckResult } from '../report/model.js';
import { summarizeLatencies } from '../stats/latency-summary.js';
import { compareRounds } from './compare.js';

/** Which build a window measures. */
export type Side = 'base' | 'head';

/**
 * What {@link runRounds} needs from the load engine. `W` is one side's window: a LoadMeasurement, or a
 * mixed load's (each endpoint's and the whole mix's).
 */
export interface RoundsDriver<W = LoadMeasurement> {
  /** The warmup of one side, nothing measured. */
  warm(side: Side): Promise<void>;
  /** One measured window of one side, in round `round` (0-based). */
  measure(side: Side, round: number): Promise<W>;
  /** True once the run was interrupted or a service died: no further round starts. */
  stopped(): boolean;
  /** After each round, with its windows (for a progress line). */
  onRound?(round: number, base: W | undefined, head: W | undefined): void;
}

/** The windows of each side, in round order; `base[i]` and `head[i]` ran back to back. */
export interface RoundWindows<W = LoadMeasurement> {
  base: W[];
  head: W[];
}

/** Pure: even rounds run base first, odd rounds head first. */
export function roundOrder(round: number): readonly Side[] {
  return round % 2 === 0 ? ['base', 'head'] : ['head', 'base'];
}

/** Warms both sides, then runs up to `rounds` alternating rounds; the result is trimmed to whole pairs. */
export async function runRounds<W = LoadMeasurement>(
  rounds: number,
  driver: RoundsDriver<W>,
): Promise<RoundWindows<W>> {
  await driver.warm('base');
  await driver.warm('head');
  const windows: RoundWindows<W> = { base: [], head: [] };
  for (let round = 0; round < rounds && !driver.stopped(); round++) {
    for (const side of roundOrder(round)) windows[side].push(await driver.measure(side, round));
    driver.onRound?.(round, windows.base.at(-1), windows.head.at(-1));
  }
  return trimToPairs(windows);
}

/** Pure: rounds cut short by an abort are compared only where both sides ran. */
export function trimToPairs<W>({ base, head }: RoundWindows<W>): RoundWindows<W> {
  const pairs = Math.min(base.length, head.length);
  return { base: base.slice(0, pairs), head: head.slice(0, pairs) };
}

/** What the base adds to an endpoint's result. */
export interface BaselineVerdict {
  baseline: BaselineComparison;
  /** max-regression: failed when the p95 regressed beyond the budget, or was inconclusive under `fail`. */
  check: CheckResult;
  /** Why the comparison cannot be trusted, when it cannot. */
  problems: string[];
}

/**
 * Pure: whether a comparison passes its max-regression check. A regression fails it; an inconclusive
 * verdict (the interval straddles the budget, or too few rounds) fails it only when `onInconclusive` is fail.
 */
export const regressionPassed = (verdict: BaselineComparison['verdict'], onInconclusive: OnInconclusive) =>
  verdict !== 'regressed' && !(verdict === 'inconclusive' && onInconclusive === 'fail');

/** Pure: paired rounds → the comparison, its check and its problems; undefined when no pair ran. */
export function judgeRounds(
  { base, head }: RoundWindows,
  maxRegression: number,
  onInconclusive: OnInconclusive = 'pass',
): BaselineVerdict | undefined {
  if (base.length === 0) return undefined;
  const pooled = mergeMeasurements(base);
  const baseErrors = pooled.failures.status + pooled.failures.timeout + pooled.failures.socket;
  const baseline = {
    latencyMs: summarizeLatencies(pooled.latenciesMs) ?? null,
    requests: pooled.requests,
    errorRate: pooled.requests > 0 ? baseErrors / pooled.requests : 0,
    ...compareRounds(base, head, maxRegression),
    onInconclusive,
  };
  return judgeComparison(baseline, pooled.successes > 0);
}

/**
 * Pure: a comparison → its check and its problems. A run and a merge of replicates (issue #12) both end
 * here, so they judge alike. `baseSucceeded`: the base gave at least one successful response.
 */
export function judgeComparison(baseline: BaselineComparison, baseSucceeded: boolean): BaselineVerdict {
  return {
    baseline,
    check: {
      metric: 'max-regression',
      limit: baseline.maxRegression,
      actual: baseline.p95?.change.change ?? null,
      unit: 'fraction',
      passed: regressionPassed(baseline.verdict, baseline.onInconclusive ?? 'pass'),
    },
    problems: baseSucceeded ? [] : ['the base service gave no successful response'],
  };
}
