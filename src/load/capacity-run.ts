/**
 * The capacity search's driver: runs one step at a time at a fixed rate through a step runner (runLoad in
 * the gate), judges it and asks capacity.ts for the next rate, until the search ends or its time cap does.
 * A step that failed because the gate's own sends ran late is run once more before it counts.
 * With a baseline, base and head search side by side in alternating steps (base head, head base, … as
 * baseline/rounds.ts orders rounds), so drift on the runner hits both searches alike.
 */
import { roundOrder, type Side } from '../baseline/rounds.js';
import type { CapacityConfig } from '../config/types.js';
import type { CapacitySearch, CapacityStep } from '../report/model.js';
import { summarizeLatencies } from '../stats/latency-summary.js';
import { connectionsFor, findCapacity, judgeStep, nextRate, type StepTargets } from './capacity.js';
import type { LoadMeasurement } from './window.js';

/** The fixed-rate load of one step. */
export interface StepShape {
  ratePerSecond: number;
  connections: number;
  warmupMs: number;
  durationMs: number;
  requestTimeoutMs: number;
}

/**
 * The search over a step runner: `runStep` runs one step's load at the shape's rate (a LoadMeasurement for
 * one endpoint by default; a whole mix's measurement in mixed mode) and `toStep` judges what it measured.
 */
export interface CapacityRun<M = LoadMeasurement> {
  capacity: CapacityConfig;
  targets: StepTargets;
  /** The endpoint's own request timeout (load.request-timeout). */
  requestTimeoutMs: number;
  /** ['head'] alone, or ['base', 'head'] with a baseline. */
  sides: readonly Side[];
  /** Runs one step's load on one side. */
  runStep(side: Side, shape: StepShape): Promise<M>;
  /** Judges a step's measurement; toCapacityStep against `targets` by default (M is then a LoadMeasurement). */
  toStep?(shape: StepShape, measured: M): CapacityStep;
  /** True once the run was interrupted or a service died. */
  stopped(): boolean;
  /** After each step; `retried` when the step is run again (its sends ran late) and not kept. */
  onStep?(side: Side, step: CapacityStep, retried?: 'retried'): void;
  /** Waits between a failed step and the next, for the service's backlog to drain. */
  pause?(ms: number): Promise<void>;
  /** Monotonic milliseconds; performance.now by default. */
  nowMs?(): number;
}

/** Pure: a step's figures from its measured window. */
export function toCapacityStep(
  offeredRps: number,
  connections: number,
  m: LoadMeasurement,
  targets: StepTargets,
): CapacityStep {
  const seconds = m.windowMs / 1000;
  const errors = m.failures.status + m.failures.timeout + m.failures.socket;
  const summary = summarizeLatencies(m.latenciesMs);
  const figures = {
    offeredRps,
    achievedRps: seconds > 0 ? (m.answers ?? m.requests) / seconds : 0,
    p95Ms: summary?.p95 ?? null,
    errorRate: m.requests > 0 ? errors / m.requests : 0,
    requests: m.requests,
    lateSends: m.lateSends,
  };
  const { passed, broke } = judgeStep(figures, targets);
  return {
    offeredRps,
    achievedRps: Math.round(figures.achievedRps * 10) / 10,
    latencyMs: summary ? { p50: summary.p50, p95: summary.p95, p99: summary.p99 } : null,
    errorRate: figures.errorRate,
    passed,
    broke,
    requests: m.requests,
    connections,
    lateSends: m.lateSends,
    windowMs: m.windowMs,
  };
}

/**
 * Pure: the load of a step at `rps`. Connections from the latency a request may take within the SLO (its
 * p95 target), or without one twice the last step's p95; timeouts cut at four times the p95 target (a
 * request that late breaks the step anyway), so an overloaded step's drain stays short.
 */
export function stepShape(
  rps: number,
  run: Pick<CapacityRun<unknown>, 'capacity' | 'targets' | 'requestTimeoutMs'>,
  last: CapacityStep | undefined,
): StepShape {
  const { p95Ms } = run.targets;
  const latencyMs = p95Ms ?? Math.max(100, 2 * (last?.latencyMs?.p95 ?? 0));
  const requestTimeoutMs =
    p95Ms === undefined ? run.requestTimeoutMs : Math.min(run.requestTimeoutMs, Math.max(1000, 4 * p95Ms));
  return {
    ratePerSecond: rps,
    connections: connectionsFor(rps, Math.min(latencyMs, requestTimeoutMs)),
    warmupMs: run.capacity.warmupMs,
    durationMs: run.capacity.stepMs,
    requestTimeoutMs,
  };
}

/** One side's search in progress. */
interface SideSearch {
  steps: CapacityStep[];
  done: boolean;
  stoppedBy?: CapacitySearch['stoppedBy'];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs the search on every side; each side's result, in `sides` order. */
export async function searchCapacity<M = LoadMeasurement>(
  run: CapacityRun<M>,
): Promise<Partial<Record<Side, CapacitySearch>>> {
  const judge =
    run.toStep ??
    ((shape: StepShape, m: M) =>
      toCapacityStep(shape.ratePerSecond, shape.connections, m as LoadMeasurement, run.targets));
  const now = run.nowMs ?? (() => performance.now());
  const pause = run.pause ?? sleep;
  const { capacity } = run;
  const bounds = { fromRps: capacity.fromRps, toRps: capacity.toRps, precision: capacity.precision };
  const startMs = now();
  const searches = new Map<Side, SideSearch>(run.sides.map((side) => [side, { steps: [], done: false }]));
  for (let round = 0; [...searches.values()].some((s) => !s.done); round++) {
    const order = run.sides.length > 1 ? roundOrder(round) : run.sides;
    for (const side of order) {
      const search = searches.get(side)!;
      if (search.done) continue;
      const rps = nextRate(search.steps, bounds);
      if (rps === undefined || run.stopped()) {
        search.done = true;
        if (rps !== undefined) search.stoppedBy = 'interrupted';
        continue;
      }
      // A step that would end past the cap is not started: the cap bounds the search, not its last step.
      if (now() - startMs + capacity.warmupMs + capacity.stepMs > capacity.maxTimeMs) {
        search.done = true;
        search.stoppedBy = 'max-time';
        continue;
      }
      const shape = stepShape(rps, run, search.steps.at(-1));
      let step = judge(shape, await run.runStep(side, shape));
      // A gate starved of CPU for a moment (a neighbour's burst) is not the machine's limit: once more.
      if (step.broke[0] === 'load-generator' && !run.stopped()) {
        run.onStep?.(side, step, 'retried');
        step = judge(shape, await run.runStep(side, shape));
      }
      search.steps.push(step);
      run.onStep?.(side, step);
      // An overloaded service may still be working through the queue the step left: let it drain.
      if (!step.passed) await pause(Math.min(2000, Math.max(250, step.latencyMs?.p95 ?? 0)));
    }
  }
  const durationMs = Math.round(now() - startMs);
  const results: Partial<Record<Side, CapacitySearch>> = {};
  for (const [side, search] of searches) {
    results[side] = {
      ...findCapacity(search.steps, bounds),
      ...(search.stoppedBy ? { stoppedBy: search.stoppedBy } : {}),
      ...bounds,
      durationMs,
      steps: search.steps,
    };
  }
  return results;
}
