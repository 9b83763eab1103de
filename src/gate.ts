/**
 * The one pipeline both the CLI and the Action run: config → running service(s) → per-endpoint measurements →
 * verdicts → result. It knows nothing of GitHub or of the terminal; it logs through a Logger and returns
 * plain data. A failure of the service is a result (verdict "failed"), so reports are still written.
 */
import path from 'node:path';
import { compareRounds } from './baseline/compare.js';
import { socketAddressOf } from './config/address.js';
import { MIN_SECRET_LENGTH } from './config/expand-env.js';
import type { EndpointConfig, GateConfig, ServiceConfig } from './config/types.js';
import { formatMs, formatPercent } from './report/format.js';
import { GateError } from './errors.js';
import type { Logger } from './log.js';
import { mergeMeasurements } from './load/merge-measurements.js';
import { LATE_SEND_MS, runLoad, type LoadMeasurement, type LoadPlan } from './load/run-load.js';
import type { EndpointResult, GateResult, ServiceInfo } from './report/model.js';
import { redactSecrets } from './report/redact.js';
import { portOpen, waitUntilReady } from './service/readiness.js';
import { ResourceMonitor, type ResourceUsage } from './service/resources.js';
import { describeExit, startService, type RunningService } from './service/service-process.js';
import { evaluateSlo } from './slo/evaluate.js';
import { latencyHistogram } from './stats/latency-histogram.js';
import { summarizeLatencies } from './stats/latency-summary.js';

export interface GateOptions {
  log: Logger;
  /** Aborts the run (SIGINT, a cancelled workflow); the services are still stopped. */
  signal?: AbortSignal;
  /** Where the service logs go. Default: .slo-gate/ beside the config. */
  workDir?: string;
}

/** Silence at the end of a window longer than this, with requests left waiting, is "stopped answering". */
const STOPPED_ANSWERING_MS = 1000;
/** How long to wait for a connection when checking that a service's port is free before starting it. */
const PORT_CHECK_TIMEOUT_MS = 1000;
/** Warn when more than this share of a fixed-rate window's requests waited for their connection. */
const QUEUED_SENDS_WARN_SHARE = 0.5;
/** Warn when more than this share of a fixed-rate window's requests went out late (see run-load.ts). */
const LATE_SENDS_WARN_SHARE = 0.01;

/** A service slo-gate started, with what it is called in messages. */
interface Started {
  label: 'the service' | 'the base service';
  process: RunningService;
}

export async function runGate(config: GateConfig, options: GateOptions): Promise<GateResult> {
  const { log } = options;
  const startedAt = new Date();
  const result: GateResult = {
    passed: false,
    verdict: 'failed',
    target: config.target,
    configFile: config.source,
    startedAt: startedAt.toISOString(),
    durationMs: 0,
    load: { ...config.load },
    endpoints: [],
    warnings: config.tooShortToMask.map(
      (name) =>
        `\${${name}} is under ${MIN_SECRET_LENGTH} characters, too short to mask: its value shows as it is in logs and reports`,
    ),
  };
  const workDir = options.workDir ?? path.join(path.dirname(path.resolve(config.source)), '.slo-gate');
  const started: Started[] = [];
  try {
    if (config.service) {
      result.service = { logFile: path.join(workDir, 'service.log') };
      const head = { label: 'the service', service: config.service, target: config.target } as const;
      started.push(await boot(head, result.service, config.secrets, result, options));
    }
    if (config.baseline?.service) {
      result.baselineService = { logFile: path.join(workDir, 'base-service.log') };
      const { service, target } = config.baseline;
      const base = { label: 'the base service', service, target } as const;
      started.push(await boot(base, result.baselineService, config.secrets, result, options));
    }
    const head = started.find((s) => s.label === 'the service')?.process;

    for (const endpoint of config.endpoints) {
      const measured = await log.group(`Load ${endpoint.name}`, () =>
        measureEndpoint(config, endpoint, head, started, options),
      );
      result.endpoints.push(measured);
      result.warnings.push(...fixedRateWarnings(measured, config.load));
      if (options.signal?.aborted) throw new GateError('service', 'interrupted');
      const dead = started.find((s) => s.process.exit());
      if (dead) {
        throw new GateError(
          'service',
          `${dead.label} ${describeExit(dead.process.exit()!)} while ${endpoint.name} was under load`,
        );
      }
    }
    decideVerdict(result);
  } catch (error) {
    if (!(error instanceof GateError) || error.kind !== 'service') throw error;
    result.verdict = 'failed';
    result.passed = false;
    result.reason = error.message;
  } finally {
    for (const { label, process: running } of started) {
      await log.group(`Stop ${label}`, async () => {
        await running.stop();
        log.info(`stopped (${describeExit(running.exit() ?? { code: null, signal: null })})`);
      });
      const info = label === 'the service' ? result.service : result.baselineService;
      if (info) info.logTail = running.logTail();
      log.output(
        `Output of ${label} (the last lines; all of it in ${running.logFile})`,
        running.logTail(200),
      );
    }
    result.durationMs = Date.now() - startedAt.getTime();
  }
  return result;
}

/**
 * Starts a service and waits until it is ready, filling in what its health check says. First makes sure
 * nothing else answers at its target: the gate would find that ready and measure it, while the service
 * itself failed to bind its port.
 */
async function boot(
  { label, service: config, target }: { label: Started['label']; service: ServiceConfig; target: string },
  info: ServiceInfo,
  secrets: readonly string[],
  result: GateResult,
  options: GateOptions,
): Promise<Started> {
  const { log } = options;
  const name = label === 'the service' ? 'the service' : 'the base service';
  return log.group(`Start ${name}: ${config.command}`, async () => {
    const { host, port } = socketAddressOf(target);
    if ((await portOpen(host, port, PORT_CHECK_TIMEOUT_MS)) === true) {
      throw new GateError(
        'service',
        `port ${port} is in use before ${name} started: something already answers at ${new URL(target).origin} ` +
          `(a copy left running, or another service); stop it, or give ${name} another port`,
      );
    }
    const running = startService(config, info.logFile!, (line) => redactSecrets(line, secrets));
    const entry: Started = { label, process: running };
    log.info(`started (pid ${running.pid}); output in ${info.logFile}`);
    try {
      const readiness = await waitUntilReady(running, config, log, options.signal);
      info.readyAfterMs = readiness.readyAfterMs;
      if (readiness.health) {
        info.status = readiness.health.status;
        info.version = readiness.health.version;
        info.dependencies = readiness.health.dependencies;
        if (readiness.health.status === 'degraded') {
          result.warnings.push(`${name} reported itself degraded at start`);
        }
      }
      log.info(
        `ready after ${formatMs(readiness.readyAfterMs)}${info.version ? `, version ${info.version}` : ''}`,
      );
      return entry;
    } catch (error) {
      // Not ready: stop it here, since the caller never got hold of it.
      await running.stop();
      info.logTail = running.logTail();
      log.output(
        `Output of ${label} (the last lines; all of it in ${running.logFile})`,
        running.logTail(200),
      );
      if (error instanceof GateError && label === 'the base service') {
        throw new GateError(
          error.kind,
          error.message.replace(/^the service/, 'the base service'),
          error.details,
        );
      }
      throw error;
    }
  });
}

async function measureEndpoint(
  config: GateConfig,
  endpoint: EndpointConfig,
  head: RunningService | undefined,
  started: Started[],
  options: GateOptions,
): Promise<EndpointResult> {
  const { log } = options;
  const { load, baseline } = config;
  // Stop the load at once when any service dies or the gate is interrupted.
  const stopLoad = new AbortController();
  const onAbort = () => stopLoad.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  for (const s of started) void s.process.exited.then(onAbort);
  // The service's cost is sampled over the measured windows only, like the latencies.
  const monitor = head ? new ResourceMonitor(head.pid) : undefined;
  let resources: ResourceUsage | undefined;

  const plan = (url: string, warmupMs: number, durationMs: number): LoadPlan => ({
    url,
    method: endpoint.method,
    headers: endpoint.headers,
    body: endpoint.body,
    expectStatus: endpoint.expectStatus,
    connections: load.connections,
    ratePerSecond: load.ratePerSecond,
    warmupMs,
    durationMs,
    requestTimeoutMs: load.requestTimeoutMs,
  });
  const progress = (label: string, totalMs: number) => ({
    signal: stopLoad.signal,
    onProgress: (p: { phase: string; elapsedMs: number; requests: number; errors: number }) => {
      const total = p.phase === 'warmup' ? load.warmupMs : totalMs;
      const seconds = `${Math.round(Math.min(total, p.elapsedMs) / 1000)}/${Math.round(total / 1000)} s`;
      const counts = p.phase === 'warmup' ? '' : `, ${p.requests} requests, ${p.errors} errors`;
      const phase = p.phase === 'drain' ? 'waiting for the last answers' : p.phase;
      log.info(`  ${label}: ${phase} ${seconds}${counts}`);
    },
  });
  const shape = load.ratePerSecond
    ? `${load.ratePerSecond} req/s over ${load.connections} connections`
    : `${load.connections} connections`;

  let measurement: LoadMeasurement;
  let baseRounds: LoadMeasurement[] = [];
  let headRounds: LoadMeasurement[] = [];
  try {
    if (!baseline) {
      log.info(
        `${endpoint.method} ${endpoint.url}: ${formatMs(load.warmupMs)} warmup, ${formatMs(load.durationMs)} measured, ${shape}`,
      );
      measurement = await runLoad(plan(endpoint.url, load.warmupMs, load.durationMs), {
        ...progress(endpoint.name, load.durationMs),
        onWindow: (edge) => {
          if (edge === 'start') monitor?.start();
          else resources = monitor?.stop();
        },
      });
    } else {
      const baseUrl = baseline.target + endpoint.path;
      log.info(
        `${endpoint.method} ${endpoint.path}: base ${baseline.target} against head ${config.target}, ` +
          `${baseline.rounds} rounds of ${formatMs(baseline.roundDurationMs)} each, ${shape}`,
      );
      // Warm both up once, then alternate: base head, head base, … so drift hits both sides alike.
      await runLoad(plan(baseUrl, load.warmupMs, 0), progress(`${endpoint.name} (base)`, 0));
      await runLoad(plan(endpoint.url, load.warmupMs, 0), progress(endpoint.name, 0));
      for (let round = 0; round < baseline.rounds && !stopLoad.signal.aborted; round++) {
        const order = round % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const);
        for (const side of order) {
          const url = side === 'base' ? baseUrl : endpoint.url;
          const window = await runLoad(plan(url, 0, baseline.roundDurationMs), {
            signal: stopLoad.signal,
            onWindow: (edge) => {
              // Resources are the head's: sampled over its windows only.
              if (side !== 'head') return;
              if (edge === 'start' && round === 0) monitor?.start();
              if (edge === 'end' && round === baseline.rounds - 1) resources = monitor?.stop();
            },
          });
          (side === 'base' ? baseRounds : headRounds).push(window);
        }
        const p95 = (m: LoadMeasurement | undefined) => {
          const summary = m && summarizeLatencies(m.latenciesMs);
          return summary ? formatMs(summary.p95) : 'n/a';
        };
        log.info(
          `  round ${round + 1}/${baseline.rounds}: p95 base ${p95(baseRounds.at(-1))}, head ${p95(headRounds.at(-1))}`,
        );
      }
      // Rounds cut short by an abort are compared only where both sides ran.
      const pairs = Math.min(baseRounds.length, headRounds.length);
      baseRounds = baseRounds.slice(0, pairs);
      headRounds = headRounds.slice(0, pairs);
      measurement = headRounds.length > 0 ? mergeMeasurements(headRounds) : emptyWindow();
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    resources ??= monitor?.stop();
  }

  const result = toEndpointResult(endpoint, measurement, load.ratePerSecond !== undefined, resources);
  if (baseline && baseRounds.length > 0) {
    const base = mergeMeasurements(baseRounds);
    const maxRegression = endpoint.maxRegression ?? baseline.maxRegression;
    const comparison = compareRounds(baseRounds, headRounds, maxRegression);
    const baseErrors = base.failures.status + base.failures.timeout + base.failures.socket;
    result.baseline = {
      latencyMs: summarizeLatencies(base.latenciesMs) ?? null,
      requests: base.requests,
      errorRate: base.requests > 0 ? baseErrors / base.requests : 0,
      ...comparison,
    };
    result.checks.push({
      metric: 'max-regression',
      limit: maxRegression,
      actual: comparison.p95?.change.change ?? null,
      unit: 'fraction',
      passed: comparison.verdict !== 'regressed',
    });
    if (base.successes === 0) result.problems.push('the base service gave no successful response');
  }
  for (const s of started) {
    const exit = s.process.exit();
    if (exit) result.problems.push(`${s.label} ${describeExit(exit)} during the run`);
  }
  result.passed = result.problems.length === 0 && result.checks.every((c) => c.passed);
  const change = result.baseline?.p95
    ? `, p95 change ${formatPercent(result.baseline.p95.change.change)}`
    : '';
  log.info(
    `${endpoint.name}: ${result.requests} requests, ${result.rps.toFixed(1)} req/s, ` +
      `p95 ${result.latencyMs ? formatMs(result.latencyMs.p95) : 'n/a'}, ${result.errors} errors${change}`,
  );
  return result;
}

/**
 * Pure: what a fixed-rate window says about the load itself. Most requests waiting for their connection
 * means too few connections for the rate; many sent late on a free connection means slo-gate fell behind.
 */
export function fixedRateWarnings(e: EndpointResult, load: GateConfig['load']): string[] {
  const rate = load.ratePerSecond;
  if (!rate || e.requests === 0) return [];
  const warnings: string[] = [];
  const queued = e.queuedSends ?? 0;
  if (queued > QUEUED_SENDS_WARN_SHARE * e.requests) {
    const rawMeanMs = e.rawLatencyMs?.mean ?? 0;
    const needed = Math.ceil((rate * rawMeanMs) / 1000);
    warnings.push(
      `${e.name}: ${formatPercent(queued / e.requests)} of requests waited for a free ` +
        `connection, and that wait counts as latency: ${load.connections} connections are too few ` +
        `for ${rate} req/s at ${formatMs(rawMeanMs)} a request` +
        (needed > load.connections ? ` (it takes at least ${needed}); raise load.connections` : ''),
    );
  }
  const late = e.lateSends ?? 0;
  if (late > LATE_SENDS_WARN_SHARE * e.requests) {
    warnings.push(
      `${e.name}: slo-gate could not hold ${rate} req/s: ` +
        `${formatPercent(late / e.requests)} of requests went out over ${LATE_SEND_MS} ms late ` +
        `on a free connection (the load generator's CPU was busy); fewer connections or a lower rate may help`,
    );
  }
  return warnings;
}

/** A window in which nothing happened: what an endpoint aborted before its first round measured. */
function emptyWindow(): LoadMeasurement {
  return {
    windowMs: 0,
    requests: 0,
    successes: 0,
    failures: { status: 0, timeout: 0, socket: 0 },
    statusCodes: {},
    socketErrors: {},
    latenciesMs: new Float64Array(),
    rawLatenciesMs: new Float64Array(),
    failedLatenciesMs: new Float64Array(),
    longestSilenceMs: 0,
    trailingSilenceMs: 0,
    lateSends: 0,
    queuedSends: 0,
  };
}

/** Pure: a measurement and its endpoint's SLO → the endpoint's result. */
export function toEndpointResult(
  endpoint: EndpointConfig,
  m: LoadMeasurement,
  fixedRate: boolean,
  usage?: ResourceUsage,
): EndpointResult {
  const errors = m.failures.status + m.failures.timeout + m.failures.socket;
  const windowSeconds = m.windowMs / 1000;
  const latencyMs = summarizeLatencies(m.latenciesMs) ?? null;
  const resources = usage && {
    ...usage,
    cpuMsPerRequest: m.requests > 0 ? (usage.cpuSeconds * 1000) / m.requests : 0,
  };
  const partial = {
    latencyMs,
    rps: windowSeconds > 0 ? m.requests / windowSeconds : 0,
    errorRate: m.requests > 0 ? errors / m.requests : 0,
    resources,
  };
  const checks = evaluateSlo(endpoint.slo, partial);
  const problems: string[] = [];
  if (m.requests === 0) problems.push('no request completed in the measured window');
  else if (m.successes === 0) problems.push(`no successful response (${describeFailures(m)})`);
  if (m.trailingSilenceMs >= STOPPED_ANSWERING_MS) {
    const at =
      m.lastAnswerMs === undefined
        ? 'from the start'
        : `${(m.lastAnswerMs / 1000).toFixed(1)} s into the window`;
    problems.push(
      `the target stopped answering ${at}: nothing for the last ${formatMs(m.trailingSilenceMs)}, ${m.failures.timeout} requests timed out`,
    );
  }
  return {
    name: endpoint.name,
    method: endpoint.method,
    path: endpoint.path,
    requests: m.requests,
    ...partial,
    successes: m.successes,
    errors,
    failures: m.failures,
    statusCodes: m.statusCodes,
    socketErrors: m.socketErrors,
    ...(fixedRate
      ? {
          rawLatencyMs: summarizeLatencies(m.rawLatenciesMs) ?? null,
          lateSends: m.lateSends,
          queuedSends: m.queuedSends,
        }
      : {}),
    latencyHistogram: latencyHistogram(m.latenciesMs),
    failedLatencyMs: summarizeLatencies(m.failedLatenciesMs) ?? null,
    windowMs: m.windowMs,
    longestSilenceMs: m.longestSilenceMs,
    checks,
    problems,
    passed: problems.length === 0 && checks.every((c) => c.passed),
  };
}

function describeFailures(m: LoadMeasurement): string {
  const parts: string[] = [];
  const statuses = Object.entries(m.statusCodes).map(([code, n]) => `${n}× HTTP ${code}`);
  parts.push(...statuses);
  parts.push(...Object.entries(m.socketErrors).map(([code, n]) => `${n}× ${code}`));
  if (m.failures.timeout) parts.push(`${m.failures.timeout} timeouts`);
  return parts.join(', ') || 'nothing answered';
}

/**
 * failed: the target could not be measured (no success, stopped answering, died); breached: an SLO check
 * failed (a regression against the base included); passed otherwise.
 */
function decideVerdict(result: GateResult): void {
  const broken = result.endpoints.find((e) => e.problems.length > 0);
  const breached = result.endpoints.filter((e) => e.checks.some((c) => !c.passed));
  if (broken) {
    result.verdict = 'failed';
    result.reason = `${broken.name}: ${broken.problems[0]}`;
  } else if (breached.length > 0) {
    result.verdict = 'breached';
    const names = breached.map(
      (e) =>
        `${e.name} (${e.checks
          .filter((c) => !c.passed)
          .map((c) => c.metric)
          .join(', ')})`,
    );
    result.reason = `SLO breached: ${names.join('; ')}`;
  } else {
    result.verdict = 'passed';
  }
  result.passed = result.verdict === 'passed';
}
