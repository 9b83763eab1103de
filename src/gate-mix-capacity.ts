/**
 * The mix's capacity search (issue #11 part 3 with load.mode: mixed): after the mix's normal measurement,
 * each step the whole mix (runMixedLoad) at one total rate split by weight, judged by load/capacity-mix.ts,
 * searched by the same driver as an isolated endpoint's (load/capacity-run.ts), against the base too in
 * alternating steps with a baseline. The top-level slo.min-capacity holds the mix's total rate (per-endpoint
 * capacity blocks and min-capacity are refused in mixed mode, so the first endpoint's are the top-level ones).
 */
import type { Side } from './baseline/rounds.js';
import type { CapacityConfig, GateConfig } from './config/types.js';
import { loadPlan } from './gate-parts.js';
import type { Logger } from './log.js';
import { toMixStep } from './load/capacity-mix.js';
import { searchCapacity, type StepShape } from './load/capacity-run.js';
import { runMixedLoad, type MixedMeasurement, type MixPart } from './load/run-load.js';
import { capacityLine, stepLine } from './report/capacity-text.js';
import { formatCapacity, formatMs } from './report/format.js';
import type { MixResult } from './report/model.js';
import { judgeCapacity, type CapacityVerdict } from './verdict/capacity-checks.js';

/** What the mix's search needs of the gate's run of the mix. */
export interface MixCapacityContext {
  config: GateConfig;
  capacity: CapacityConfig;
  log: Logger;
  signal: AbortSignal;
  /** Each side's mix parts, as the normal measurement sends them. */
  mixes: Partial<Record<Side, MixPart[]>>;
}

/** Runs the mix's search (against the base too, with a baseline) and judges its total rate. */
export async function measureMixCapacity(context: MixCapacityContext): Promise<CapacityVerdict> {
  const { config, capacity, log, signal, mixes } = context;
  const { baseline, endpoints } = config;
  const sides: Side[] = baseline ? ['base', 'head'] : ['head'];
  const first = endpoints[0]!;
  const urls: Record<Side, string> = {
    base: (baseline?.target ?? config.target) + first.path,
    head: first.url,
  };
  const parts = endpoints.map((e) => ({
    name: e.name,
    targets: { p95Ms: e.slo.p95Ms, errorRate: e.slo.errorRate },
  }));
  // Connections for the slowest endpoint's target: any request of the mix may take that long within its SLO.
  const p95s = endpoints.flatMap((e) => (e.slo.p95Ms === undefined ? [] : [e.slo.p95Ms]));
  log.info(
    `capacity of the mix (${endpoints.length} endpoints by weight)${baseline ? ', base and head in alternating steps' : ''}: ` +
      `from ${formatCapacity(capacity.fromRps)} to ${formatCapacity(capacity.toRps)} in total, ${formatMs(capacity.stepMs)} a step`,
  );
  const found = await searchCapacity<MixedMeasurement>({
    capacity,
    targets: { ...(p95s.length > 0 ? { p95Ms: Math.max(...p95s) } : {}) },
    requestTimeoutMs: config.load.requestTimeoutMs,
    sides,
    runStep: (side: Side, shape: StepShape) =>
      runMixedLoad(
        loadPlan(first, { ...config.load, ...shape }, urls[side], shape.warmupMs, shape.durationMs),
        mixes[side]!,
        {
          signal,
        },
      ),
    toStep: (shape, measured) => toMixStep(shape.ratePerSecond, shape.connections, measured, parts),
    stopped: () => signal.aborted,
    onStep: (side, step, retried) =>
      log.info(`  ${baseline ? `${side}: ` : ''}${stepLine(step)}${retried ? '; once more' : ''}`),
  });
  const verdict = judgeCapacity(
    found.head!,
    found.base,
    { minCapacityRps: first.slo.minCapacityRps },
    baseline?.maxRegression,
  );
  const budget = verdict.checks.find((c) => c.metric === 'capacity-regression')?.limit;
  log.info(`mix: ${capacityLine(verdict.capacity, budget)}`);
  return verdict;
}

/** The capacity, its checks and its problems, onto the mix's result (judged with the endpoints'). */
export function addMixCapacity(mix: MixResult, verdict: CapacityVerdict): void {
  mix.capacity = verdict.capacity;
  mix.checks = verdict.checks;
  mix.problems = verdict.problems;
}
