/**
 * The one pipeline both the CLI and the Action run: config → running service → per-endpoint measurements →
 * verdicts → result. It knows nothing of GitHub or of the terminal; it logs through a Logger and returns
 * plain data. A failure of the service is a result (verdict "failed"), so reports are still written.
 */
import path from 'node:path';
import type { EndpointConfig, GateConfig } from './config/types.js';
import { formatMs } from './config/units.js';
import { GateError } from './errors.js';
import type { Logger } from './log.js';
import { runLoad, type LoadMeasurement } from './load/run-load.js';
import type { EndpointResult, GateResult, ServiceInfo } from './report/model.js';
import { waitUntilReady } from './service/readiness.js';
import { ResourceMonitor, type ResourceUsage } from './service/resources.js';
import { describeExit, startService, type RunningService } from './service/service-process.js';
import { evaluateSlo } from './slo/evaluate.js';
import { summarizeLatencies } from './stats/latency-summary.js';

export interface GateOptions {
  log: Logger;
  /** Aborts the run (SIGINT, a cancelled workflow); the service is still stopped. */
  signal?: AbortSignal;
  /** Where the service log goes. Default: .slo-gate/ beside the config. */
  workDir?: string;
}

/** Silence at the end of a window longer than this, with requests left waiting, is "stopped answering". */
const STOPPED_ANSWERING_MS = 1000;

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
    warnings: [],
  };
  const workDir = options.workDir ?? path.join(path.dirname(path.resolve(config.source)), '.slo-gate');
  let service: RunningService | undefined;
  try {
    if (config.service) {
      const serviceConfig = config.service;
      const info: ServiceInfo = { logFile: path.join(workDir, 'service.log') };
      result.service = info;
      await log.group(`Start the service: ${serviceConfig.command}`, async () => {
        service = startService(serviceConfig, info.logFile!);
        log.info(`started (pid ${service.pid}); output in ${info.logFile}`);
        const readiness = await waitUntilReady(service, serviceConfig, log, options.signal);
        info.readyAfterMs = readiness.readyAfterMs;
        if (readiness.health) {
          info.status = readiness.health.status;
          info.version = readiness.health.version;
          info.dependencies = readiness.health.dependencies;
          if (readiness.health.status === 'degraded')
            result.warnings.push('the service reported itself degraded at start');
        }
        log.info(
          `ready after ${formatMs(readiness.readyAfterMs)}${info.version ? `, version ${info.version}` : ''}`,
        );
      });
    }

    for (const endpoint of config.endpoints) {
      const measured = await log.group(`Load ${endpoint.name}`, () =>
        measureEndpoint(config, endpoint, service, options),
      );
      result.endpoints.push(measured);
      if (options.signal?.aborted) throw new GateError('service', 'interrupted');
      const exit = service?.exit();
      if (exit)
        throw new GateError(
          'service',
          `the service ${describeExit(exit)} while ${endpoint.name} was under load`,
        );
    }
    decideVerdict(result);
  } catch (error) {
    if (!(error instanceof GateError) || error.kind !== 'service') throw error;
    result.verdict = 'failed';
    result.passed = false;
    result.reason = error.message;
  } finally {
    if (service) {
      const running = service;
      if (result.service) result.service.logTail = running.logTail();
      await log.group('Stop the service', async () => {
        await running.stop();
        log.info(`stopped (${describeExit(running.exit() ?? { code: null, signal: null })})`);
      });
      if (result.service) result.service.logTail = running.logTail();
    }
    result.durationMs = Date.now() - startedAt.getTime();
  }
  return result;
}

async function measureEndpoint(
  config: GateConfig,
  endpoint: EndpointConfig,
  service: RunningService | undefined,
  options: GateOptions,
): Promise<EndpointResult> {
  const { log } = options;
  const { load } = config;
  // Stop the load at once when the service dies or the gate is interrupted.
  const stopLoad = new AbortController();
  const onAbort = () => stopLoad.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  void service?.exited.then(onAbort);
  // The service's cost is sampled over the measured window only, like the latencies.
  const monitor = service ? new ResourceMonitor(service.pid) : undefined;
  let resources: ResourceUsage | undefined;
  const shape = load.ratePerSecond
    ? `${load.ratePerSecond} req/s over ${load.connections} connections`
    : `${load.connections} connections`;
  log.info(
    `${endpoint.method} ${endpoint.url}: ${formatMs(load.warmupMs)} warmup, ${formatMs(load.durationMs)} measured, ${shape}`,
  );
  const measurement = await runLoad(
    {
      url: endpoint.url,
      method: endpoint.method,
      headers: endpoint.headers,
      body: endpoint.body,
      expectStatus: endpoint.expectStatus,
      connections: load.connections,
      ratePerSecond: load.ratePerSecond,
      warmupMs: load.warmupMs,
      durationMs: load.durationMs,
      requestTimeoutMs: load.requestTimeoutMs,
    },
    {
      signal: stopLoad.signal,
      onWindow: (edge) => {
        if (edge === 'start') monitor?.start();
        else resources = monitor?.stop();
      },
      onProgress: (p) => {
        const total = p.phase === 'warmup' ? load.warmupMs : load.durationMs;
        const seconds = `${(Math.min(total, p.elapsedMs) / 1000) | 0}/${Math.round(total / 1000)} s`;
        const counts = p.phase === 'warmup' ? '' : `, ${p.requests} requests, ${p.errors} errors`;
        log.info(
          `  ${endpoint.name}: ${p.phase === 'drain' ? 'waiting for the last answers' : p.phase} ${seconds}${counts}`,
        );
      },
    },
  );
  options.signal?.removeEventListener('abort', onAbort);
  const result = toEndpointResult(endpoint, measurement, config.load.ratePerSecond !== undefined, resources);
  const exit = service?.exit();
  if (exit) result.problems.push(`the service ${describeExit(exit)} during the run`);
  result.passed = result.passed && result.problems.length === 0;
  log.info(
    `${endpoint.name}: ${result.requests} requests, ${result.rps.toFixed(1)} req/s, ` +
      `p95 ${result.latencyMs ? formatMs(result.latencyMs.p95) : 'n/a'}, ${result.errors} errors`,
  );
  return result;
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
    ...(fixedRate ? { rawLatencyMs: summarizeLatencies(m.rawLatenciesMs) ?? null } : {}),
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
 * failed; passed otherwise.
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
