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
import { formatCapacity, formatMs, formatPercent } from './report/format.js';
import type { CapacitySearch, CapacityStep, EndpointResult } from './report/model.js';
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
    onStep: (side, step) => log.info(`  ${baseline ? `${side}: ` : ''}${stepLine(step)}`),
  });
  const head = found.head!;
  const verdict = judgeCapacity(
    head,
    found.base,
    endpoint.slo,
    endpoint.maxRegression ?? baseline?.maxRegression,
  );
  log.info(`${endpoint.name}: ${capacityLine(verdict.capacity)}`);
  return verdict;
}

/** "400 req/s: achieved 398.2, p95 12.3 ms, 0.00% errors, 21 connections: held" (or "broke p95, errors"). */
export function stepLine(step: CapacityStep): string {
  const p95 = step.latencyMs ? formatMs(step.latencyMs.p95) : 'n/a';
  const outcome = step.passed ? 'held' : `broke ${step.broke.join(', ')}`;
  return (
    `${formatCapacity(step.offeredRps)}: achieved ${step.achievedRps.toFixed(1)}, p95 ${p95}, ` +
    `${formatPercent(step.errorRate)} errors, ${step.connections} connections: ${outcome}`
  );
}

const LIMIT_WORDS = {
  p95: 'p95 over its target',
  errors: 'errors over their target',
  rate: 'the rate not achieved',
  'load-generator': "slo-gate's own sends running late (the load generator, not the service, was the limit)",
} as const;

/** "capacity 1,840 req/s (next step: p95 over its target)", with the base and the change when compared. */
export function capacityLine(c: CapacitySearch & { base?: CapacitySearch; change?: number | null }): string {
  const own = describeSearch(c);
  if (!c.base) return `capacity ${own}`;
  const change = c.change === null || c.change === undefined ? 'not compared' : formatSignedChange(c.change);
  return `capacity ${formatCapacity(c.base.rps)} → ${formatCapacity(c.rps)}, ${change} (base: ${describeSearch(c.base)}; head: ${own})`;
}

/** "−23%", "+4.1%". */
const formatSignedChange = (change: number) =>
  `${change < 0 ? '−' : '+'}${formatPercent(Math.abs(change)).replace(/^-/, '')}`;

/** What one search found and why it ended. */
export function describeSearch(s: CapacitySearch): string {
  if (s.reachedTo) return `at least ${formatCapacity(s.rps)} (held every rate up to \`to\`)`;
  const stopped =
    s.stoppedBy === 'max-time'
      ? `, at least: the search reached its max-time cap after ${s.steps.length} steps`
      : s.stoppedBy === 'interrupted'
        ? ', at least: the search was interrupted'
        : '';
  if (s.rps === 0 && s.limitedBy)
    return `below ${formatCapacity(s.fromRps)} (from broke: ${LIMIT_WORDS[s.limitedBy]})`;
  const next = s.limitedBy ? ` (next step: ${LIMIT_WORDS[s.limitedBy]})` : '';
  return `${formatCapacity(s.rps)}${next}${stopped}`;
}

/** The capacity, its checks and its problems, into the endpoint's result (before it is judged whole). */
export function addCapacity(result: EndpointResult, verdict: CapacityVerdict): void {
  result.capacity = verdict.capacity;
  result.checks.push(...verdict.checks);
  result.problems.push(...verdict.problems);
}
