/**
 * The capacity search (issue #11 part 3), as pure decisions: how a step at one offered rate is judged, which
 * rate to try next given the steps so far, and what the steps say the capacity is. The driver that runs the
 * steps is capacity-run.ts.
 *
 * The rule: start at `from` and double while every step passes, never offering more than `to`; once a step
 * fails, bisect between the highest rate that passed and the lowest that failed until they are within the
 * precision (the highest is then at most `precision` below the true edge). The capacity is the highest rate
 * that passed below the lowest that failed.
 */

/** What broke first at the step above the capacity. */
export type CapacityLimit = 'p95' | 'errors' | 'rate' | 'load-generator';

/** A step's achieved rate may fall short of the offered one by this much and still pass. */
export const RATE_TOLERANCE = 0.05;
/**
 * A failed step on which more than this share of sends went out late (schedule.ts LATE_SEND_MS, on a
 * free connection) is blamed on the load generator: the gate did not offer the rate it claims, so the
 * step says nothing about the service.
 */
export const LATE_SHARE_LIMIT = 0.05;

/** What a step is judged on: the SLO targets the capacity respects. */
export interface StepTargets {
  p95Ms?: number;
  /** Failed / attempted, as a fraction. */
  errorRate?: number;
}

/** The figures of one step's measured window that decide it. */
export interface StepFigures {
  offeredRps: number;
  /** Answers received inside the window, per second of it. */
  achievedRps: number;
  /** p95 of the step, timed from the intended send; null with no sample. */
  p95Ms: number | null;
  errorRate: number;
  requests: number;
  /** Sends over LATE_SEND_MS late on a free connection (the gate's own lateness). */
  lateSends: number;
}

/** A step's verdict: passed, or failed with every limit it broke (the first is the one reported). */
export interface StepVerdict {
  passed: boolean;
  /** Everything that broke, in the order p95, errors, rate; load-generator alone when the gate fell behind. */
  broke: CapacityLimit[];
}

/** Pure: whether a step held the targets, and if not, what broke. */
export function judgeStep(figures: StepFigures, targets: StepTargets): StepVerdict {
  const broke: CapacityLimit[] = [];
  if (targets.p95Ms !== undefined && (figures.p95Ms === null || figures.p95Ms > targets.p95Ms)) {
    broke.push('p95');
  }
  if (targets.errorRate !== undefined && figures.errorRate > targets.errorRate) broke.push('errors');
  if (figures.requests === 0 || figures.achievedRps < figures.offeredRps * (1 - RATE_TOLERANCE)) {
    broke.push('rate');
  }
  if (broke.length === 0) return { passed: true, broke };
  // A gate that fell behind cannot say what the service would have done at the rate it failed to offer.
  const lateShare = figures.requests > 0 ? figures.lateSends / figures.requests : 0;
  if (lateShare > LATE_SHARE_LIMIT) return { passed: false, broke: ['load-generator'] };
  return { passed: false, broke };
}

/** The search's bounds, in requests per second, and its precision as a fraction (0.1 is 10%). */
export interface SearchBounds {
  fromRps: number;
  toRps: number;
  precision: number;
}

/** What the search needs of a step that ran. */
export interface TriedStep {
  offeredRps: number;
  passed: boolean;
  broke?: readonly CapacityLimit[];
}

/** The highest passed rate below the lowest failed one, and that failed step. */
function edges(steps: readonly TriedStep[]): { low?: TriedStep; high?: TriedStep } {
  let high: TriedStep | undefined;
  for (const step of steps) if (!step.passed && (!high || step.offeredRps < high.offeredRps)) high = step;
  let low: TriedStep | undefined;
  for (const step of steps) {
    if (!step.passed || (high && step.offeredRps >= high.offeredRps)) continue;
    if (!low || step.offeredRps > low.offeredRps) low = step;
  }
  return { low, high };
}

/** Rates are offered to a tenth of a request per second: finer means nothing over a few seconds. */
const roundRate = (rps: number) => Math.round(rps * 10) / 10;

/** Pure: the next rate to offer, or undefined when the search is over. */
export function nextRate(steps: readonly TriedStep[], bounds: SearchBounds): number | undefined {
  if (steps.length === 0) return bounds.fromRps;
  const { low, high } = edges(steps);
  if (!high) {
    const top = Math.max(...steps.map((s) => s.offeredRps));
    return top >= bounds.toRps ? undefined : Math.min(bounds.toRps, roundRate(top * 2));
  }
  // Failed at the first rate tried: the capacity is below `from`, which the search does not go under.
  if (!low) return undefined;
  if (high.offeredRps <= low.offeredRps * (1 + bounds.precision)) return undefined;
  const middle = roundRate((low.offeredRps + high.offeredRps) / 2);
  return middle > low.offeredRps && middle < high.offeredRps ? middle : undefined;
}

/** What the steps say: the capacity and what broke above it. */
export interface CapacityFinding {
  /** The highest rate that passed below every failed one; 0 when even `from` failed. */
  rps: number;
  /** What broke first at the lowest failed rate; null when none failed. */
  limitedBy: CapacityLimit | null;
  /** Every step up to `to` passed: the capacity is at least `to`. */
  reachedTo: boolean;
}

/** Pure: the capacity the steps show. */
export function findCapacity(steps: readonly TriedStep[], bounds: SearchBounds): CapacityFinding {
  const { low, high } = edges(steps);
  return {
    rps: low?.offeredRps ?? 0,
    limitedBy: high?.broke?.[0] ?? null,
    reachedTo: !high && steps.some((s) => s.offeredRps >= bounds.toRps),
  };
}

/** More connections than this for one step would cost the gate more than they measure. */
export const MAX_STEP_CONNECTIONS = 1000;

/**
 * Pure: connections enough for `rps` at `latencyMs` a request (Little's law: rate × latency in flight),
 * with half again as many for the spread of latencies, so a connection is free when its next request is
 * due and the wait is not charged to the service as queueing.
 */
export function connectionsFor(rps: number, latencyMs: number): number {
  const inFlight = (rps * latencyMs) / 1000;
  return Math.min(MAX_STEP_CONNECTIONS, Math.max(2, Math.ceil(inFlight * 1.5) + 1));
}
