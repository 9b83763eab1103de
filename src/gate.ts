/**
 * The one pipeline both the CLI and the Action run: config → running service(s) → per-endpoint measurements →
 * verdicts → result. It knows nothing of GitHub or of the terminal; it logs through a Logger and returns
 * plain data. A failure of the service is a result (verdict "failed"), so reports are still written.
 */
import path from 'node:path';
import { runRounds, judgeRounds, type Side } from './baseline/rounds.js';
import { MIN_SECRET_LENGTH } from './config/expand-env.js';
import type { EndpointConfig, GateConfig } from './config/types.js';
import { formatMs } from './report/format.js';
import { GateError } from './errors.js';
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
import type { Logger } from './log.js';
import { loadTogether } from './gate-mix.js';
import { addCapacity, measureCapacity } from './gate-capacity.js';
import { mergeMeasurements } from './load/merge-measurements.js';
import { DataCursors } from './load/requests.js';
import { addDataUse, dataWarnings, withTemplates } from './load/data-use.js';
import { runGateSetup, type CapturedValues } from './load/setup-requests.js';
import { runLoad, type LoadMeasurement } from './load/run-load.js';
import type { EndpointResult, GateResult } from './report/model.js';
import { bootService, stopServices, type StartedService } from './service/lifecycle.js';
import { ResourceMonitor } from './service/resources.js';
import { describeExit } from './service/service-process.js';
import { decideVerdict } from './verdict/decide.js';
import { emptyWindow, toEndpointResult } from './verdict/endpoint-result.js';
import { inconclusiveWarnings } from './verdict/inconclusive.js';
import { fixedRateWarnings } from './verdict/load-warnings.js';
import { addStageResults, peakOfferedRate } from './verdict/stage-results.js';

export interface GateOptions {
  log: Logger;
  /** Aborts the run (SIGINT, a cancelled workflow); the services are still stopped. */
  signal?: AbortSignal;
  /** Where the service logs go. Default: .slo-gate/ beside the config. */
  workDir?: string;
}

export async function runGate(config: GateConfig, options: GateOptions): Promise<GateResult> {
  const { log } = options;
  const startedAt = new Date();
  const result = emptyResult(config, startedAt);
  const workDir = options.workDir ?? path.join(path.dirname(path.resolve(config.source)), '.slo-gate');
  const started: StartedService[] = [];
  // One place per data set for the whole run: `unique` never reuses a row, across endpoints and rounds.
  const cursors = new DataCursors(config.data ?? {});
  try {
    await bootServices(config, workDir, result, started, options);
    // Setup requests (a login) once, after boot and before any load: their values fill `{{ name }}`.
    const captured = await runGateSetup(config, result, cursors, log);
    // Mixed: every endpoint in one window (gate-mix.ts); then there is nothing left to load one by one.
    const mixed = config.load.mode === 'mixed';
    if (mixed) await loadTogether(config, started, result, { ...options, cursors, captured });
    for (const endpoint of mixed ? [] : config.endpoints) {
      const measured = await log.group(`Load ${endpoint.name}`, () =>
        measureEndpoint(config, endpoint, started, { ...options, cursors, captured }),
      );
      result.warnings.push(...dataWarnings(measured));
      result.endpoints.push(measured);
      result.warnings.push(...fixedRateWarnings(measured, config.load));
      if (options.signal?.aborted) throw new GateError('service', 'interrupted');
      const dead = started.find((s) => s.process.exit());
      if (dead) {
        throw new GateError(
          'service',
          `${dead.name} ${describeExit(dead.process.exit()!)} while ${endpoint.name} was under load`,
        );
      }
    }
    result.warnings.push(...inconclusiveWarnings(result.endpoints));
    decideVerdict(result);
  } catch (error) {
    if (!(error instanceof GateError) || error.kind !== 'service') throw error;
    result.verdict = 'failed';
    result.passed = false;
    result.reason = error.message;
  } finally {
    await stopServices(started, log);
    result.durationMs = Date.now() - startedAt.getTime();
  }
  return result;
}

/** The result before anything ran: failed until a verdict says otherwise. */
export function emptyResult(config: GateConfig, startedAt: Date): GateResult {
  return {
    passed: false,
    verdict: 'failed',
    target: config.target,
    configFile: config.source,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    load: { ...config.load },
    endpoints: [],
    warnings: [
      ...config.warnings,
      ...config.tooShortToMask.map(
        (name) =>
          `\${${name}} is under ${MIN_SECRET_LENGTH} characters, too short to mask: its value shows as it is in logs and reports`,
      ),
    ],
  };
}

/** Boots the head's service, then the base's, adding each to `started` as soon as it runs. */
async function bootServices(
  config: GateConfig,
  workDir: string,
  result: GateResult,
  started: StartedService[],
  options: GateOptions,
): Promise<void> {
  if (config.service) {
    result.service = { logFile: path.join(workDir, 'service.log') };
    const head = {
      service: config.service,
      target: config.target,
      info: result.service,
      readyKey: 'service.ready',
    };
    started.push(await bootService({ role: 'head', ...head, secrets: config.secrets }, result, options));
  }
  if (config.baseline?.service) {
    result.baselineService = { logFile: path.join(workDir, 'base-service.log') };
    const { service, target, ref } = config.baseline;
    // With `ref`, the base runs with the head's service settings (see baseline/worktree.ts).
    const readyKey = ref ? 'service.ready' : 'baseline.service.ready';
    const base = { service, target, info: result.baselineService, readyKey };
    started.push(await bootService({ role: 'base', ...base, secrets: config.secrets }, result, options));
  }
}

/** One endpoint under load, alone or against the base, with the services' cost over its windows. */
interface EndpointRun {
  config: GateConfig;
  endpoint: EndpointConfig;
  log: Logger;
  /** Aborted when the gate is interrupted or any service dies: the load stops at once. */
  signal: AbortSignal;
  /** The head's cost, sampled over the measured windows only, like the latencies. */
  usage: UsageWindow;
  cursors: DataCursors;
  captured: CapturedValues;
}

async function measureEndpoint(
  config: GateConfig,
  endpoint: EndpointConfig,
  started: readonly StartedService[],
  options: GateOptions & { cursors: DataCursors; captured: CapturedValues },
): Promise<EndpointResult> {
  const stopLoad = new AbortController();
  const onAbort = () => stopLoad.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  for (const s of started) void s.process.exited.then(onAbort);
  const head = started.find((s) => s.role === 'head')?.process;
  const usage = usageWindow(head && new ResourceMonitor(head.pid));
  const { cursors, captured } = options;
  const run: EndpointRun = {
    config,
    endpoint,
    log: options.log,
    signal: stopLoad.signal,
    usage,
    cursors,
    captured,
  };

  let measurement: LoadMeasurement;
  let rounds: { base: LoadMeasurement[]; head: LoadMeasurement[] } | undefined;
  let capacity: Awaited<ReturnType<typeof measureCapacity>> | undefined;
  try {
    if (!config.baseline) measurement = await measureAlone(run);
    else {
      rounds = await measureAgainstBase(run, config.baseline);
      measurement = rounds.head.length > 0 ? mergeMeasurements(rounds.head) : emptyWindow();
    }
    // After the normal measurement, which it leaves as it was: the search only adds to the result.
    const searched = endpoint.capacity && { ...run, endpoint: { ...endpoint, capacity: endpoint.capacity } };
    if (searched && !stopLoad.signal.aborted) capacity = await measureCapacity(searched);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    usage.stop();
  }

  const fixedRate = peakOfferedRate(config.load) !== undefined;
  const result = toEndpointResult(endpoint, measurement, fixedRate, usage.usage);
  addStageResults(result, config.load, measurement);
  addDataUse(result, endpoint, measurement, cursors);
  if (capacity) addCapacity(result, capacity);
  const judged =
    config.baseline && rounds
      ? judgeRounds(
          rounds,
          endpoint.maxRegression ?? config.baseline.maxRegression,
          config.baseline.onInconclusive,
        )
      : undefined;
  return completeEndpointResult(result, judged, started, options.log);
}

/** The endpoint on its own: a warmup, then one measured window. */
function measureAlone({
  config,
  endpoint,
  log,
  signal,
  usage,
  cursors,
  captured,
}: EndpointRun): Promise<LoadMeasurement> {
  const { load } = config;
  log.info(
    `${endpoint.method} ${endpoint.url}: ${formatMs(load.warmupMs)} warmup, ${formatMs(load.durationMs)} measured, ${describeShape(load)}`,
  );
  const plan = loadPlan(endpoint, load, endpoint.url, load.warmupMs, load.durationMs);
  return runLoad(withTemplates(plan, endpoint, config.target, cursors, captured.head), {
    signal,
    onProgress: progressLine(log, load, endpoint.name, load.durationMs),
    onWindow: (edge) => (edge === 'start' ? usage.start() : usage.stop()),
  });
}

/** Head against base in alternating rounds (see baseline/rounds.ts). */
function measureAgainstBase(
  { config, endpoint, log, signal, usage, cursors, captured }: EndpointRun,
  baseline: NonNullable<GateConfig['baseline']>,
): Promise<{ base: LoadMeasurement[]; head: LoadMeasurement[] }> {
  const { load } = config;
  const urls: Record<Side, string> = { base: baseline.target + endpoint.path, head: endpoint.url };
  const labels: Record<Side, string> = { base: `${endpoint.name} (base)`, head: endpoint.name };
  const targets: Record<Side, string> = { base: baseline.target, head: config.target };
  const plan = (side: Side, warmupMs: number, durationMs: number) =>
    withTemplates(
      loadPlan(endpoint, load, urls[side], warmupMs, durationMs),
      endpoint,
      targets[side],
      cursors,
      captured[side],
    );
  log.info(
    `${endpoint.method} ${endpoint.path}: base ${baseline.target} against head ${config.target}, ` +
      `${baseline.rounds} rounds of ${formatMs(baseline.roundDurationMs)} each, ${describeShape(load)}`,
  );
  return runRounds(baseline.rounds, {
    warm: async (side) => {
      await runLoad(plan(side, load.warmupMs, 0), {
        signal,
        onProgress: progressLine(log, load, labels[side], 0),
      });
    },
    measure: (side, round) =>
      runLoad(roundPlan(plan(side, 0, baseline.roundDurationMs), baseline), {
        signal,
        onWindow: roundUsageEdges(usage, side, round, baseline.rounds),
      }),
    stopped: () => signal.aborted,
    onRound: (round, base, head) =>
      log.info(
        `  round ${round + 1}/${baseline.rounds}: p95 base ${p95Text(base?.latenciesMs)}, head ${p95Text(head?.latenciesMs)}`,
      ),
  });
}
