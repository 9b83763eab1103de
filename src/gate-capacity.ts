/**
 * An endpoint's capacity search in the gate (issue #11 part 3): after its normal measurement, each step a
 * fixed-rate runLoad against the head (and, with a baseline, against the base in alternating steps), with
 * a line per step in the log. The search itself is load/capacity-run.ts; its verdict verdict/capacity-checks.ts.
 */
import type { Side } from './baseline/rounds.js';
import type { CapacityConfig, EndpointConfig, GateConfig } from './config/types.js';
import { loadPlan } from './gate-parts.js';
import type { Logger } from './log.js';
import { searchCapacity, type StepShape } from './load/capacity-run.js';
import { withTemplates } from './load/data-use.js';
import type { DataCursors } from './load/requests.js';
import { runLoad } from './load/run-load.js';
import type { CapturedValues } from './load/setup-requests.js';
import { capacityLine, stepLine } from './report/capacity-text.js';
import { formatCapacity, formatMs, formatPercent } from './report/format.js';
import type { EndpointResult } from './report/model.js';
import { judgeCapacity, type CapacityVerdict } from './verdict/capacity-checks.js';

/** What the search needs of the gate's run of one endpoint. */
export interface CapacityContext {
  config: GateConfig;
  endpoint: EndpointConfig & { capacity: CapacityConfig };
  log: Logger;
  signal: AbortSignal;
  cursors: DataCursors;
  captured: CapturedValues;
}

/** Runs the endpoint's search (against the base too, with a baseline) and judges it. */
export async function measureCapacity(context: CapacityContext): Promise<CapacityVerdict> {
  const { config, endpoint, log, signal, cursors, captured } = context;
  const { capacity } = endpoint;
  const baseline = config.baseline;
  const sides: Side[] = baseline ? ['base', 'head'] : ['head'];
  const targets: Record<Side, string> = { base: baseline?.target ?? config.target, head: config.target };
  const urls: Record<Side, string> = { base: targets.base + endpoint.path, head: endpoint.url };
  log.info(
    `capacity of ${endpoint.name}${baseline ? ', base and head in alternating steps' : ''}: from ${formatCapacity(capacity.fromRps)} ` +
      `to ${formatCapacity(capacity.toRps)}, ${formatMs(capacity.stepMs)} a step after ${formatMs(capacity.warmupMs)} warmup, ` +
      `within ${formatPercent(capacity.precision)}, at most ${formatMs(capacity.maxTimeMs)}`,
  );
  const runStep = (side: Side, shape: StepShape) => {
    const load = { ...config.load, ...shape };
    const plan = loadPlan(endpoint, load, urls[side], shape.warmupMs, shape.durationMs);
    return runLoad(withTemplates(plan, endpoint, targets[side], cursors, captured[side]), { signal });
  };
  const found = await searchCapacity({
    capacity,
    targets: { p95Ms: endpoint.slo.p95Ms, errorRate: endpoint.slo.errorRate },
    requestTimeoutMs: config.load.requestTimeoutMs,
    sides,
    runStep,
    stopped: () => signal.aborted,
    onStep: (side, step, retried) =>
      log.info(`  ${baseline ? `${side}: ` : ''}${stepLine(step)}${retried ? '; once more' : ''}`),
  });
  const head = found.head!;
  const verdict = judgeCapacity(
    head,
    found.base,
    endpoint.slo,
    endpoint.maxRegression ?? baseline?.maxRegression,
  );
  log.info(
    `${endpoint.name}: ${capacityLine(verdict.capacity, verdict.checks.find((c) => c.metric === 'capacity-regression')?.limit)}`,
  );
  return verdict;
}

/** The capacity, its checks and its problems, into the endpoint's result (before it is judged whole). */
export function addCapacity(result: EndpointResult, verdict: CapacityVerdict): void {
  result.capacity = verdict.capacity;
  result.checks.push(...verdict.checks);
  result.problems.push(...verdict.problems);
}
