/**
 * The capacity search's results (load/capacity-run.ts) → the endpoint's capacity, its checks and its
 * problems: slo.min-capacity, and with a baseline the change of capacity against baseline.max-regression.
 * Pure.
 */
import type { SloTargets } from '../config/types.js';
import { formatCapacity } from '../report/format.js';
import type { CapacityResult, CapacitySearch, CheckResult, ChangeVerdict } from '../report/model.js';

/** What the capacity adds to an endpoint's result. */
export interface CapacityVerdict {
  capacity: CapacityResult;
  checks: CheckResult[];
  /** The search could not tell: the load generator was the limit, or the cap stopped it, below the target. */
  problems: string[];
}

/** Whether a search's capacity is the service's: not cut by the gate's own limit or its time cap. */
const isServiceCapacity = (s: CapacitySearch) => s.limitedBy !== 'load-generator' && !s.stoppedBy;

/** Pure: head/base − 1 of the capacities and its verdict; not-judged when either is not the service's. */
export function compareCapacity(
  head: CapacitySearch,
  base: CapacitySearch,
  maxRegression: number,
): { change: number | null; verdict: ChangeVerdict | 'not-judged' } {
  if (!isServiceCapacity(head) || !isServiceCapacity(base)) return { change: null, verdict: 'not-judged' };
  // Both held every rate up to `to`: both are at least `to`, no change can be told.
  if (head.reachedTo && base.reachedTo) return { change: 0, verdict: 'within-budget' };
  if (base.rps <= 0) return { change: null, verdict: head.rps > 0 ? 'improved' : 'within-budget' };
  const change = head.rps / base.rps - 1;
  const verdict =
    change < -maxRegression ? 'regressed' : change > maxRegression ? 'improved' : 'within-budget';
  return { change, verdict };
}

/** Pure: the endpoint's capacity, with its base and the checks it is held to. */
export function judgeCapacity(
  head: CapacitySearch,
  base: CapacitySearch | undefined,
  slo: SloTargets,
  maxRegression: number | undefined,
): CapacityVerdict {
  const capacity: CapacityResult = { ...head };
  const checks: CheckResult[] = [];
  const problems: string[] = [];
  const limit = slo.minCapacityRps;
  if (limit !== undefined) {
    const passed = head.rps >= limit;
    checks.push({ metric: 'min-capacity', limit, actual: head.rps, unit: 'rps', passed });
    if (!passed && !isServiceCapacity(head)) problems.push(untoldCapacity(head, limit));
  }
  if (base) {
    const budget = maxRegression ?? 0.1;
    const { change, verdict } = compareCapacity(head, base, budget);
    Object.assign(capacity, { base, change, verdict });
    checks.push({
      metric: 'capacity-regression',
      limit: budget,
      actual: change,
      unit: 'fraction',
      // Not judged is not failed: the problem above, or the report's note, says why.
      passed: verdict !== 'regressed',
    });
  }
  return { capacity, checks, problems };
}

/** Why the search could not tell whether the endpoint holds `limit`. */
function untoldCapacity(head: CapacitySearch, limit: number): string {
  const held = `held ${formatCapacity(head.rps)}`;
  if (head.limitedBy === 'load-generator') {
    return `capacity not measured up to min-capacity ${formatCapacity(limit)}: it ${held}, then slo-gate's own sends ran late (the load generator, not the service, was the limit)`;
  }
  return `capacity not measured up to min-capacity ${formatCapacity(limit)}: it ${held} when the search reached its max-time cap; raise capacity.max-time or from`;
}
