/**
 * A step of the mix's capacity search (issue #11 part 3 with load.mode: mixed), as a pure judgement: the
 * whole mix ran at one total rate, split by weight; the step holds when every endpoint meets its own p95
 * and error-rate SLO and the whole mix's achieved rate is within RATE_TOLERANCE of the offered one.
 */
import type { CapacityStep } from '../report/model.js';
import { summarizeLatencies } from '../stats/latency-summary.js';
import {
  judgeStep,
  LATE_SHARE_LIMIT as LATE_SHARE,
  type CapacityLimit,
  type StepTargets,
} from './capacity.js';
import type { MixedMeasurement } from './mix-accounting.js';
import type { LoadMeasurement } from './window.js';

/** One endpoint of the mix, as its step is judged. */
export interface MixStepPart {
  name: string;
  targets: StepTargets;
}

const errorsOf = (m: LoadMeasurement) => m.failures.status + m.failures.timeout + m.failures.socket;

/**
 * Pure: the mix's step. p95 and errors are judged per endpoint against its own targets; the rate and the
 * gate's late sends on the whole mix. `latencyMs` is the worst endpoint's (named in worstEndpoint), the
 * error rate the whole mix's; `brokenBy` names the endpoint that broke p95 or errors first (config order).
 */
export function toMixStep(
  offeredRps: number,
  connections: number,
  measured: MixedMeasurement,
  parts: readonly MixStepPart[],
): CapacityStep {
  const { total } = measured;
  const seconds = total.windowMs / 1000;
  const achievedRps = seconds > 0 ? (total.answers ?? total.requests) / seconds : 0;
  const whole = judgeStep(
    {
      offeredRps,
      achievedRps,
      p95Ms: null,
      errorRate: 0,
      requests: total.requests,
      lateSends: total.lateSends,
    },
    {},
  );
  const broke = new Set<CapacityLimit>();
  let brokenBy: string | undefined;
  let worst: { name: string; summary: NonNullable<ReturnType<typeof summarizeLatencies>> } | undefined;
  parts.forEach((part, i) => {
    const m = measured.parts[i]!;
    const summary = summarizeLatencies(m.latenciesMs);
    if (summary && (!worst || summary.p95 > worst.summary.p95)) worst = { name: part.name, summary };
    const own = judgeStep(
      {
        offeredRps: 0,
        achievedRps: 0,
        p95Ms: summary?.p95 ?? null,
        errorRate: m.requests > 0 ? errorsOf(m) / m.requests : 0,
        // An endpoint that got no request says nothing of its own SLO: the whole mix's rate judges it.
        requests: Math.max(1, m.requests),
        lateSends: 0,
      },
      part.targets,
    );
    const limits = own.broke.filter((b) => b === 'p95' || b === 'errors');
    if (limits.length > 0 && brokenBy === undefined) brokenBy = part.name;
    for (const b of limits) broke.add(b);
  });
  if (whole.broke.includes('rate')) broke.add('rate');
  const lateShare = total.requests > 0 ? total.lateSends / total.requests : 0;
  const order: CapacityLimit[] = ['p95', 'errors', 'rate'];
  const limits =
    broke.size === 0
      ? []
      : lateShare > LATE_SHARE
        ? ['load-generator' as const]
        : order.filter((b) => broke.has(b));
  return {
    offeredRps,
    achievedRps: Math.round(achievedRps * 10) / 10,
    latencyMs: worst ? { p50: worst.summary.p50, p95: worst.summary.p95, p99: worst.summary.p99 } : null,
    errorRate: total.requests > 0 ? errorsOf(total) / total.requests : 0,
    passed: limits.length === 0,
    broke: limits,
    requests: total.requests,
    connections,
    lateSends: total.lateSends,
    windowMs: total.windowMs,
    ...(worst ? { worstEndpoint: worst.name } : {}),
    ...(brokenBy !== undefined && limits[0] !== 'load-generator' ? { brokenBy } : {}),
  };
}
