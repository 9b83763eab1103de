/**
 * What the gate's two ways of loading (one endpoint at a time in gate.ts, all at once in gate-mix.ts) share:
 * the resource window, the progress lines and the summary line.
 */
import type { BaselineVerdict } from './baseline/rounds.js';
import type { EndpointConfig, GateConfig } from './config/types.js';
import type { Logger } from './log.js';
import type { LoadPlan, LoadProgress } from './load/run-load.js';
import { stageIndexAt, warmupConnections, warmupRate } from './load/stages.js';
import { timelineIntervalMs } from './load/timeline.js';
import { formatMs, formatPercent, plural } from './report/format.js';
import type { EndpointResult } from './report/model.js';
import type { StartedService } from './service/lifecycle.js';
import { summarizeLatencies } from './stats/latency-summary.js';
import type { ResourceMonitor, ResourceUsage } from './service/resources.js';
import { describeExit } from './service/service-process.js';

/** The head's resource usage over a span of windows: started once, kept from the first stop. */
export interface UsageWindow {
  start(): void;
  stop(): void;
  readonly usage: ResourceUsage | undefined;
}

/**
 * In alternating rounds, the head's resources are sampled over its own windows only: from the opening of
 * its first round's window to the close of its last.
 */
export function roundUsageEdges(
  usage: UsageWindow,
  side: 'base' | 'head',
  round: number,
  rounds: number,
): (edge: 'start' | 'end') => void {
  return (edge) => {
    if (side !== 'head') return;
    if (edge === 'start' && round === 0) usage.start();
    if (edge === 'end' && round === rounds - 1) usage.stop();
  };
}

/** A window's p95 for a progress line; "n/a" without one. */
export function p95Text(latenciesMs: Float64Array | undefined): string {
  const summary = latenciesMs && summarizeLatencies(latenciesMs);
  return summary ? formatMs(summary.p95) : 'n/a';
}

export function usageWindow(monitor: ResourceMonitor | undefined): UsageWindow {
  let usage: ResourceUsage | undefined;
  return {
    start: () => monitor?.start(),
    stop: () => {
      usage ??= monitor?.stop();
    },
    get usage() {
      return usage;
    },
  };
}

/** A progress line every so often: "checkout: measure 3/10 s, 1200 requests, 0 errors". */
export function progressLine(log: Logger, load: GateConfig['load'], label: string, totalMs: number) {
  return (p: LoadProgress): void => {
    const total = p.phase === 'warmup' ? load.warmupMs : totalMs;
    const seconds = `${Math.round(Math.min(total, p.elapsedMs) / 1000)}/${Math.round(total / 1000)} s`;
    const counts = p.phase === 'warmup' ? '' : `, ${p.requests} requests, ${p.errors} errors`;
    const phase = p.phase === 'drain' ? 'waiting for the last answers' : p.phase;
    const stage =
      load.stages && p.phase === 'measure'
        ? ` (stage ${stageIndexAt(load.stages, p.elapsedMs) + 1} of ${load.stages.length})`
        : '';
    log.info(`  ${label}: ${phase} ${seconds}${stage}${counts}`);
  };
}

/**
 * "200 req/s over 10 connections", or "10 connections" in a closed loop; with stages "stages 0→50→200→200
 * req/s over 40 connections" or "stages 0→10→10→2 connections".
 */
export function describeShape(load: GateConfig['load']): string {
  const stages = load.stages;
  if (stages) {
    const byRate = stages[0]?.ratePerSecond !== undefined;
    const points = [0, ...stages.map((s) => (byRate ? s.ratePerSecond : s.connections) ?? 0)].join('→');
    return byRate
      ? `stages ${points} req/s over ${load.connections} connections, warmup at ${warmupRate(stages)} req/s`
      : `stages ${points} connections, warmup on ${plural(warmupConnections(stages), 'connection')}`;
  }
  return load.ratePerSecond
    ? `${load.ratePerSecond} req/s over ${load.connections} connections`
    : `${load.connections} connections`;
}

/**
 * The last steps of an endpoint's result, loaded alone or in a mix: its comparison with the base, the
 * services that died meanwhile, whether it passed, and its summary line.
 */
export function completeEndpointResult(
  result: EndpointResult,
  judged: BaselineVerdict | undefined,
  started: readonly StartedService[],
  log: Logger,
): EndpointResult {
  if (judged) {
    result.baseline = judged.baseline;
    result.checks.push(judged.check);
    result.problems.push(...judged.problems);
  }
  for (const s of started) {
    const exit = s.process.exit();
    if (exit) result.problems.push(`${s.name} ${describeExit(exit)} during the run`);
  }
  result.passed = result.problems.length === 0 && result.checks.every((c) => c.passed);
  logSummary(log, result);
  return result;
}

export function logSummary(log: Logger, result: EndpointResult): void {
  const change = result.baseline?.p95
    ? `, p95 change ${formatPercent(result.baseline.p95.change.change)}`
    : '';
  log.info(
    `${result.name}: ${result.requests} requests, ${result.rps.toFixed(1)} req/s, ` +
      `p95 ${result.latencyMs ? formatMs(result.latencyMs.p95) : 'n/a'}, ${result.errors} errors${change}`,
  );
}

/**
 * A baseline round's plan: its timeline's interval is chosen for all the head's rounds end to end (the
 * timeline the report shows), so many rounds still make about 60 points.
 */
export function roundPlan(plan: LoadPlan, baseline: NonNullable<GateConfig['baseline']>): LoadPlan {
  return { ...plan, timelineIntervalMs: timelineIntervalMs(baseline.rounds * baseline.roundDurationMs) };
}

/** One endpoint's plan against `url` (the head's or the base's), for a window of `durationMs`. */
export function loadPlan(
  endpoint: EndpointConfig,
  load: GateConfig['load'],
  url: string,
  warmupMs: number,
  durationMs: number,
): LoadPlan {
  return {
    url,
    method: endpoint.method,
    headers: endpoint.headers,
    body: endpoint.body,
    expectStatus: endpoint.expectStatus,
    connections: load.connections,
    ratePerSecond: load.ratePerSecond,
    ...(load.stages ? { stages: load.stages } : {}),
    warmupMs,
    durationMs,
    requestTimeoutMs: load.requestTimeoutMs,
  };
}
