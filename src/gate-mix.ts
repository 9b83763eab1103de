/**
 * All endpoints loaded together (load.mode: mixed, issue #10): one warmup and one measured window, the
 * requests interleaved over the same connections by weight (load/run-load.ts runMixedLoad). Each endpoint
 * keeps its own figures, checks and verdict; the whole mix is reported beside them. Resources are sampled
 * over the one window, so a resource SLO is judged on what the whole mix cost.
 */
import type { EndpointConfig, GateConfig } from './config/types.js';
import { GateError } from './errors.js';
import { runRounds, judgeRounds, type RoundWindows, type Side } from './baseline/rounds.js';
import {
  describeShape,
  loadPlan,
  completeEndpointResult,
  p95Text,
  roundPlan,
  roundUsageEdges,
  progressLine,
  usageWindow,
  type UsageWindow,
} from './gate-parts.js';
import { addMixCapacity, measureMixCapacity } from './gate-mix-capacity.js';
import type { Logger } from './log.js';
import type { CapacityVerdict } from './verdict/capacity-checks.js';
import { addDataUse, dataWarnings } from './load/data-use.js';
import type { CapturedValues } from './load/setup-requests.js';
import { RequestSource, type DataCursors } from './load/requests.js';
import { mergeMeasurements } from './load/merge-measurements.js';
import { runMixedLoad, type LoadMeasurement, type MixedMeasurement, type MixPart } from './load/run-load.js';
import { formatMs } from './report/format.js';
import type { EndpointResult, GateResult, MixResult } from './report/model.js';
import type { StartedService } from './service/lifecycle.js';
import { ResourceMonitor } from './service/resources.js';
import { describeExit } from './service/service-process.js';
import { summarizeLatencies } from './stats/latency-summary.js';
import { emptyWindow, toEndpointResult } from './verdict/endpoint-result.js';
import { fixedRateWarnings } from './verdict/load-warnings.js';
import { addStageResults, peakOfferedRate } from './verdict/stage-results.js';

/** What the mix needs of the gate's options (gate.ts GateOptions), and the run's data cursors. */
interface MixOptions {
  log: Logger;
  signal?: AbortSignal;
  cursors: DataCursors;
  /** What setup requests captured, per side (load/setup-requests.ts). */
  captured: CapturedValues;
}

/** Loads the mix and puts its endpoints, its total and its warnings into `result`. */
export async function loadTogether(
  config: GateConfig,
  started: readonly StartedService[],
  result: GateResult,
  options: MixOptions,
): Promise<void> {
  const measured = await options.log.group('Load the mix', () => measureMix(config, started, options));
  result.endpoints.push(...measured.endpoints);
  result.mix = measured.mix;
  for (const endpoint of measured.endpoints) {
    result.warnings.push(...dataWarnings(endpoint), ...fixedRateWarnings(endpoint, config.load));
  }
  if (options.signal?.aborted) throw new GateError('service', 'interrupted');
  const dead = started.find((s) => s.process.exit());
  if (dead) {
    throw new GateError(
      'service',
      `${dead.name} ${describeExit(dead.process.exit()!)} while the mix was under load`,
    );
  }
}

async function measureMix(
  config: GateConfig,
  started: readonly StartedService[],
  options: MixOptions,
): Promise<{ endpoints: EndpointResult[]; mix: MixResult }> {
  const { load, endpoints } = config;
  const { log, cursors, captured } = options;
  const stopLoad = new AbortController();
  const onAbort = () => stopLoad.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  for (const s of started) void s.process.exited.then(onAbort);
  const head = started.find((s) => s.role === 'head')?.process;
  const usage = usageWindow(head && new ResourceMonitor(head.pid));
  const run: MixRun = { config, log, signal: stopLoad.signal, usage, cursors, captured };
  let measured: MixedMeasurement;
  let rounds: RoundWindows<MixedMeasurement> | undefined;
  let capacity: CapacityVerdict | undefined;
  try {
    if (!config.baseline) measured = await mixAlone(run);
    else {
      rounds = await mixAgainstBase(run, config.baseline);
      measured = mergeMixes(rounds.head, endpoints.length);
    }
    // After the normal measurement, which it leaves as it was: the search only adds to the mix's result.
    const searched = endpoints[0]!.capacity;
    if (searched && !stopLoad.signal.aborted) {
      const mixes = sideMixes(config, cursors, captured);
      capacity = await measureMixCapacity({
        config,
        capacity: searched,
        log,
        signal: stopLoad.signal,
        mixes,
      });
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    usage.stop();
  }
  const fixedRate = peakOfferedRate(load) !== undefined;
  const results = endpoints.map((endpoint, i) => {
    const part = measured.parts[i]!;
    const result = toEndpointResult(endpoint, part, fixedRate, usage.usage, measured.total.requests);
    result.weight = endpoint.weight ?? 1;
    addStageResults(result, load, part);
    addDataUse(result, endpoint, part, cursors);
    const judged =
      config.baseline &&
      rounds &&
      judgeRounds(
        partRounds(rounds, i),
        endpoint.maxRegression ?? config.baseline.maxRegression,
        config.baseline.onInconclusive,
      );
    return completeEndpointResult(result, judged || undefined, started, log);
  });
  const total = mixResult(measured.total);
  addStageResults(total, load, measured.total);
  if (capacity) addMixCapacity(total, capacity);
  log.info(
    `mix: ${total.requests} requests, ${total.rps.toFixed(1)} req/s, p95 ${total.latencyMs ? formatMs(total.latencyMs.p95) : 'n/a'}, ${total.errors} errors`,
  );
  return { endpoints: results, mix: total };
}

/** One mixed load, alone or against the base, with what it needs. */
interface MixRun {
  config: GateConfig;
  log: Logger;
  signal: AbortSignal;
  usage: UsageWindow;
  cursors: DataCursors;
  captured: CapturedValues;
}

/** The mix on its own: a warmup, then one measured window. */
function mixAlone({ config, log, signal, usage, cursors, captured }: MixRun): Promise<MixedMeasurement> {
  const { load, endpoints } = config;
  const weights = endpoints.map((endpoint) => `${endpoint.name} ${endpoint.weight ?? 1}`).join(', ');
  log.info(
    `${endpoints.length} endpoints together, by weight (${weights}): ${formatMs(load.warmupMs)} warmup, ${formatMs(load.durationMs)} measured, ${describeShape(load)}`,
  );
  const first = endpoints[0]!;
  const plan = loadPlan(first, load, first.url, load.warmupMs, load.durationMs);
  const mix = endpoints.map((endpoint) => mixPart(endpoint, config.target, cursors, captured.head));
  return runMixedLoad(plan, mix, {
    signal,
    onProgress: progressLine(log, load, 'mix', load.durationMs),
    onWindow: (edge) => (edge === 'start' ? usage.start() : usage.stop()),
  });
}

/** The mix, head against base in alternating rounds (baseline/rounds.ts), each side its own requests. */
function mixAgainstBase(
  { config, log, signal, usage, cursors, captured }: MixRun,
  baseline: NonNullable<GateConfig['baseline']>,
): Promise<RoundWindows<MixedMeasurement>> {
  const { load, endpoints } = config;
  const targets: Record<Side, string> = { base: baseline.target, head: config.target };
  const mixes = sideMixes(config, cursors, captured) as Record<Side, MixPart[]>;
  const first = endpoints[0]!;
  const plan = (side: Side, warmupMs: number, durationMs: number) =>
    loadPlan(first, load, targets[side] + first.path, warmupMs, durationMs);
  log.info(
    `${endpoints.length} endpoints together, by weight: base ${baseline.target} against head ${config.target}, ` +
      `${baseline.rounds} rounds of ${formatMs(baseline.roundDurationMs)} each, ${describeShape(load)}`,
  );
  return runRounds<MixedMeasurement>(baseline.rounds, {
    warm: async (side) => {
      await runMixedLoad(plan(side, load.warmupMs, 0), mixes[side], {
        signal,
        onProgress: progressLine(log, load, side === 'base' ? 'mix (base)' : 'mix', 0),
      });
    },
    measure: (side, round) =>
      runMixedLoad(roundPlan(plan(side, 0, baseline.roundDurationMs), baseline), mixes[side], {
        signal,
        onWindow: roundUsageEdges(usage, side, round, baseline.rounds),
      }),
    stopped: () => signal.aborted,
    onRound: (round, base, head) =>
      log.info(
        `  round ${round + 1}/${baseline.rounds}: mix p95 base ${p95Text(base?.total.latenciesMs)}, head ${p95Text(head?.total.latenciesMs)}`,
      ),
  });
}

/** Each side's mix, built once per side: a request carries its side's Host; data rows are shared (unique stays unique). */
function sideMixes(
  config: GateConfig,
  cursors: DataCursors,
  captured: CapturedValues,
): Partial<Record<Side, MixPart[]>> {
  const side = (target: string, values: CapturedValues[Side]) =>
    config.endpoints.map((endpoint) => mixPart(endpoint, target, cursors, values));
  return {
    head: side(config.target, captured.head),
    ...(config.baseline ? { base: side(config.baseline.target, captured.base) } : {}),
  };
}

/** Pure: one endpoint's windows out of the mix's rounds. */
export function partRounds(rounds: RoundWindows<MixedMeasurement>, part: number): RoundWindows {
  return { base: rounds.base.map((m) => m.parts[part]!), head: rounds.head.map((m) => m.parts[part]!) };
}

/** Pure: the head's rounds pooled, per endpoint and in total (empty windows when no round ran). */
export function mergeMixes(windows: MixedMeasurement[], parts: number): MixedMeasurement {
  const merge = (list: LoadMeasurement[]) => (list.length > 0 ? mergeMeasurements(list) : emptyWindow());
  return {
    parts: Array.from({ length: parts }, (_, k) => merge(windows.map((m) => m.parts[k]!))),
    total: merge(windows.map((m) => m.total)),
  };
}

/** Pure: the whole mix's figures from its window. */
export function mixResult(m: LoadMeasurement): MixResult {
  const errors = m.failures.status + m.failures.timeout + m.failures.socket;
  return {
    requests: m.requests,
    rps: m.windowMs > 0 ? m.requests / (m.windowMs / 1000) : 0,
    errors,
    errorRate: m.requests > 0 ? errors / m.requests : 0,
    latencyMs: summarizeLatencies(m.latenciesMs) ?? null,
    windowMs: m.windowMs,
  };
}

/**
 * An endpoint's part of the mix. Every request goes out as its own bytes (the connections are shared, so no
 * one prebuilt request fits them all): a fixed endpoint's built once, a templated one's per request.
 */
function mixPart(
  endpoint: EndpointConfig,
  target: string,
  cursors: DataCursors,
  captured: readonly ReadonlyMap<string, string>[],
): MixPart {
  const templates = endpoint.templates ?? { headers: {}, dataSets: [] };
  const common = { weight: endpoint.weight ?? 1, expectStatus: endpoint.expectStatus };
  if (!endpoint.templates) {
    const fixed = new RequestSource({ ...endpoint, target, templates }, cursors).next();
    return { ...common, nextRequest: () => fixed };
  }
  // One source per connection when setup captured values per connection (as data-use.ts withTemplates).
  const sources = captured.map(
    (values) => new RequestSource({ ...endpoint, target, templates }, cursors, values),
  );
  return { ...common, nextRequest: (connection) => sources[connection % sources.length]!.next() };
}
