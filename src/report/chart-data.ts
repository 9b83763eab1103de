/**
 * What the comment's charts show, as plain data (the JSON report's `charts`): each endpoint's p95 as a
 * share of its own target, the p95 change against the base, and which endpoint's latency spread to draw.
 * Pure functions of the result; markdown-charts turns them into mermaid.
 */
import type {
  EndpointResult,
  GateResult,
  P95ChangeAgainstBase,
  P95ShareOfTarget,
  ReportCharts,
  TimelinePoint,
} from './model.js';

const p95CheckOf = (e: EndpointResult) => e.checks.find((c) => c.metric === 'p95');

/** Percent with one decimal, so the JSON stays readable and charts stay short. */
const percent = (fraction: number) => Math.round(fraction * 1000) / 10;

/** Each endpoint with a p95 target and a measured p95: its p95 as a percentage of that target. */
export function p95ShareOfTarget(result: GateResult): P95ShareOfTarget[] {
  return result.endpoints.flatMap((e) => {
    const check = p95CheckOf(e);
    if (!check || !e.latencyMs || check.limit <= 0) return [];
    const p95Ms = e.latencyMs.p95;
    return [
      {
        endpoint: e.name,
        p95Ms,
        targetMs: check.limit,
        percentOfTarget: percent(p95Ms / check.limit),
        breached: !check.passed,
      },
    ];
  });
}

/** Each endpoint compared with the base: the p95 change, its interval and the budget, in percent. */
export function p95ChangeAgainstBase(result: GateResult): P95ChangeAgainstBase[] {
  return result.endpoints.flatMap((e) => {
    const change = e.baseline?.p95?.change;
    if (!e.baseline || !change) return [];
    return [
      {
        endpoint: e.name,
        changePercent: percent(change.change),
        lowPercent: percent(change.low),
        highPercent: percent(change.high),
        budgetPercent: percent(e.baseline.maxRegression),
        verdict: e.baseline.verdict,
      },
    ];
  });
}

/**
 * How bad an endpoint's latency is, for picking the one to draw: a p95 breach first, then any other
 * failure, then p95 against its target (or, without a target, the slowest p95 among those without one).
 */
function latencyRank(e: EndpointResult): number[] {
  const check = p95CheckOf(e);
  const p95Ms = e.latencyMs?.p95 ?? 0;
  const ratio = check && check.limit > 0 ? p95Ms / check.limit : -1 / (1 + p95Ms);
  return [check && !check.passed ? 1 : 0, e.passed ? 0 : 1, ratio];
}

const ranksAbove = (a: number[], b: number[]) => {
  const i = a.findIndex((v, k) => v !== b[k]);
  return i >= 0 && a[i]! > b[i]!;
};

/** The endpoint whose latency histogram is drawn: the worst by latencyRank, among those with a histogram. */
export function histogramEndpoint(result: GateResult): EndpointResult | undefined {
  return result.endpoints
    .filter((e) => e.latencyMs && e.latencyHistogram)
    .reduce<EndpointResult | undefined>(
      (worst, e) => (!worst || ranksAbove(latencyRank(e), latencyRank(worst)) ? e : worst),
      undefined,
    );
}

/** The endpoint whose timeline the comment draws open: the worst by latencyRank, among those with one. */
export function timelineEndpoint(result: GateResult): EndpointResult | undefined {
  return result.endpoints
    .filter((e) => e.timeline && e.timeline.length > 0)
    .reduce<EndpointResult | undefined>(
      (worst, e) => (!worst || ranksAbove(latencyRank(e), latencyRank(worst)) ? e : worst),
      undefined,
    );
}

/** The interval with the highest p95: what the terminal and the caption name. */
export function slowestInterval(points: readonly TimelinePoint[]): TimelinePoint | undefined {
  let slowest: TimelinePoint | undefined;
  for (const p of points) if (p.latencyMs && p.latencyMs.p95 > (slowest?.latencyMs?.p95 ?? -1)) slowest = p;
  return slowest;
}

/** "4–5 s": an interval's span in seconds from the window start. */
export function intervalSpan(p: TimelinePoint): string {
  const s = (ms: number) => String(Math.round(ms / 10) / 100);
  return `${s(p.atMs)}–${s(p.atMs + p.intervalMs)} s`;
}

/** All of the above, for the JSON report. */
export function reportCharts(result: GateResult): ReportCharts {
  return {
    p95ShareOfTarget: p95ShareOfTarget(result),
    p95ChangeAgainstBase: p95ChangeAgainstBase(result),
    histogramEndpoint: histogramEndpoint(result)?.name ?? null,
    timelineEndpoint: timelineEndpoint(result)?.name ?? null,
  };
}

/** The result with its `charts`, as the JSON report carries it. */
export const withCharts = (result: GateResult): GateResult => ({ ...result, charts: reportCharts(result) });
