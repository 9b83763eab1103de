/** One endpoint's measured window and SLO → its result: checks, and the problems that fail it outright. */
import type { EndpointConfig, SloTargets } from '../config/types.js';
import { formatMs } from '../report/format.js';
import type { LoadMeasurement } from '../load/run-load.js';
import type { EndpointResult } from '../report/model.js';
import type { ResourceUsage } from '../service/resources.js';
import { evaluateSlo } from '../slo/evaluate.js';
import { encodeLatencies } from '../stats/hdr.js';
import { latencyHistogram } from '../stats/latency-histogram.js';
import { summarizeLatencies } from '../stats/latency-summary.js';

/** Silence at the end of a window longer than this, with requests left waiting, is "stopped answering". */
export const STOPPED_ANSWERING_MS = 1000;

/**
 * Pure: a measurement and its endpoint's SLO → the endpoint's result. `usageRequests`: the requests the
 * resource usage was spent on (in a mixed load, the whole mix's: resources are judged on the whole window).
 */
export function toEndpointResult(
  endpoint: EndpointConfig,
  m: LoadMeasurement,
  fixedRate: boolean,
  usage?: ResourceUsage,
  usageRequests = m.requests,
): EndpointResult {
  const errors = m.failures.status + m.failures.timeout + m.failures.socket;
  const windowSeconds = m.windowMs / 1000;
  const latencyMs = summarizeLatencies(m.latenciesMs) ?? null;
  const resources = usage && {
    ...usage,
    cpuMsPerRequest: usageRequests > 0 ? (usage.cpuSeconds * 1000) / usageRequests : 0,
  };
  const partial = {
    latencyMs,
    rps: windowSeconds > 0 ? m.requests / windowSeconds : 0,
    errorRate: m.requests > 0 ? errors / m.requests : 0,
    resources,
  };
  return judgeEndpoint(endpoint.slo, {
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
          unloadedLatencyMs: summarizeLatencies(m.unloadedLatenciesMs ?? new Float64Array())?.p50 ?? null,
          lateSends: m.lateSends,
          queuedSends: m.queuedSends,
        }
      : {}),
    histogram: encodeLatencies(m.latenciesMs),
    latencyHistogram: latencyHistogram(m.latenciesMs),
    failedLatencyMs: summarizeLatencies(m.failedLatenciesMs) ?? null,
    windowMs: m.windowMs,
    longestSilenceMs: m.longestSilenceMs,
    ...(m.timeline ? { timeline: m.timeline } : {}),
    problems: windowProblems(m),
  });
}

/**
 * Pure: an endpoint's figures → its checks and whether it passed. A run's figures come from its samples, a
 * merge's from the shards' histograms and counts (issue #12): both are judged here, alike.
 */
export function judgeEndpoint(
  slo: SloTargets,
  figures: Omit<EndpointResult, 'checks' | 'passed'>,
): EndpointResult {
  const { problems, ...rest } = figures;
  const checks = evaluateSlo(slo, figures);
  return { ...rest, checks, problems, passed: problems.length === 0 && checks.every((c) => c.passed) };
}

/** Pure: why a window cannot be judged on its SLO: nothing completed, nothing succeeded, or the target went quiet. */
export function windowProblems(m: LoadMeasurement): string[] {
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
  return problems;
}

/** Pure: "3× HTTP 500, 2× ECONNRESET, 1 timeouts", or "nothing answered". */
export function describeFailures(m: LoadMeasurement): string {
  const parts: string[] = [];
  const statuses = Object.entries(m.statusCodes).map(([code, n]) => `${n}× HTTP ${code}`);
  parts.push(...statuses);
  parts.push(...Object.entries(m.socketErrors).map(([code, n]) => `${n}× ${code}`));
  if (m.failures.timeout) parts.push(`${m.failures.timeout} timeouts`);
  return parts.join(', ') || 'nothing answered';
}

/** A window in which nothing happened: what an endpoint aborted before its first round measured. */
export function emptyWindow(): LoadMeasurement {
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
