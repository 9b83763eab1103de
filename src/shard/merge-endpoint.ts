/**
 * One endpoint's figures merged from the shard reports that measured it (issue #12): histograms added,
 * counts summed, rates added (a load split across shards) or pooled (replicates), and the replicates'
 * baseline rounds pooled pair by pair. The figures are then judged by the run's own code (judgeEndpoint,
 * compareSummaries, judgeComparison), so merging and running agree from the measurements on.
 *
 * What cannot be merged exactly is left out when several shards measured the endpoint: the fixed-rate raw
 * and unloaded latencies and the failed responses' latencies (summaries without a histogram), stages,
 * timelines and capacity. An endpoint one shard measured alone is that shard's, whole.
 */
import { compareSummaries } from '../baseline/compare.js';
import { judgeComparison, type BaselineVerdict } from '../baseline/rounds.js';
import type {
  BaselineComparison,
  BaselineRound,
  EndpointResources,
  EndpointResult,
} from '../report/model.js';
import { targetsOfChecks } from '../slo/evaluate.js';
import {
  addHistograms,
  bucketsOf,
  decodeHistogram,
  encodeHistogram,
  percentileMs,
  type EncodedHistogram,
} from '../stats/hdr.js';
import { latencyHistogramOfCounts } from '../stats/latency-histogram.js';
import type { LatencySummary } from '../stats/latency-summary.js';
import { judgeEndpoint } from '../verdict/endpoint-result.js';

/** One shard's result for the endpoint, with the shard's label ("shard 2/4") for its problems. */
export interface EndpointPart {
  shard: string;
  result: EndpointResult;
}

/**
 * How the shards' windows relate: `split`, the same window run at once by each shard on its share of the
 * load (rates add); `replicates`, the same measurement repeated (baseline rounds: rates average).
 */
export type PartsRelation = 'split' | 'replicates';

/** Summaries and histograms of the same kind of window, one per part. */
interface Latencies {
  latencyMs: LatencySummary | null;
  histogram?: EncodedHistogram | null;
}

const roundToMicroseconds = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * Pooled latencies: percentiles from the added histograms (within their precision of the exact ones);
 * count, min, max and mean exact from the parts' summaries.
 */
export function mergeLatencies(parts: readonly Latencies[]): {
  latencyMs: LatencySummary | null;
  histogram: EncodedHistogram | null;
  buckets?: ReturnType<typeof bucketsOf>;
} {
  const measured = parts.filter((p) => p.latencyMs !== null && p.latencyMs.count > 0);
  if (measured.length === 0) return { latencyMs: null, histogram: null };
  const sum = addHistograms(measured.map((p) => decodeHistogram(p.histogram!)));
  const buckets = bucketsOf(sum);
  const count = measured.reduce((n, p) => n + p.latencyMs!.count, 0);
  const at = (p: number) => roundToMicroseconds(percentileMs(buckets, p));
  const latencyMs: LatencySummary = {
    count,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: Math.max(...measured.map((p) => p.latencyMs!.max)),
    min: Math.min(...measured.map((p) => p.latencyMs!.min)),
    mean: roundToMicroseconds(
      measured.reduce((s, p) => s + p.latencyMs!.mean * p.latencyMs!.count, 0) / count,
    ),
  };
  return { latencyMs, histogram: encodeHistogram(sum), buckets };
}

function addCounts(records: readonly Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const record of records) for (const [key, n] of Object.entries(record)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}

const total = (parts: readonly EndpointPart[], pick: (e: EndpointResult) => number | undefined) =>
  parts.reduce((n, p) => n + (pick(p.result) ?? 0), 0);

/** Resources of several service copies: the worst peak and growth, CPU added and spread over all requests. */
function mergeResources(parts: readonly EndpointPart[]): EndpointResources | undefined {
  const all = parts.map((p) => p.result.resources);
  if (all.some((r) => r === undefined)) return undefined;
  const usages = all as EndpointResources[];
  if (usages.length === 1) return usages[0];
  const cpuSeconds = usages.reduce((s, r) => s + r.cpuSeconds, 0);
  const requests = total(parts, (e) => e.requests);
  return {
    rssStartBytes: Math.max(...usages.map((r) => r.rssStartBytes)),
    rssEndBytes: Math.max(...usages.map((r) => r.rssEndBytes)),
    rssPeakBytes: Math.max(...usages.map((r) => r.rssPeakBytes)),
    rssGrowthBytes: Math.max(...usages.map((r) => r.rssGrowthBytes)),
    cpuSeconds,
    cpuSource: usages[0]!.cpuSource,
    samples: usages.reduce((n, r) => n + r.samples, 0),
    cpuMsPerRequest: requests > 0 ? (cpuSeconds * 1000) / requests : 0,
  };
}

/**
 * The replicates' baseline pooled: every shard's rounds as pairs of one comparison (N replicates of R
 * rounds are N×R pairs), each side's rounds pooled through their histograms.
 */
export function mergeBaseline(parts: readonly EndpointPart[]): BaselineVerdict | undefined {
  const baselines = parts.map((p) => p.result.baseline).filter((b) => b !== undefined);
  if (baselines.length === 0) return undefined;
  const perRound: BaselineRound[] = baselines.flatMap((b) => b.perRound ?? []);
  const side = (key: 'base' | 'head') => ({
    rounds: perRound.map((r) => r[key].latencyMs),
    pooled: mergeLatencies(perRound.map((r) => r[key])).latencyMs,
  });
  const base = side('base');
  const requests = baselines.reduce((n, b) => n + b.requests, 0);
  const errors = baselines.reduce((n, b) => n + Math.round(b.errorRate * b.requests), 0);
  const baseline: BaselineComparison = {
    latencyMs: base.pooled,
    requests,
    errorRate: requests > 0 ? errors / requests : 0,
    ...compareSummaries(base, side('head'), baselines[0]!.maxRegression),
    ...(baselines[0]!.onInconclusive ? { onInconclusive: baselines[0]!.onInconclusive } : {}),
    perRound: perRound.map(({ base, head }) => ({
      base: { latencyMs: base.latencyMs },
      head: { latencyMs: head.latencyMs },
    })),
  };
  // A base that answered nothing but failures, in every replicate, cannot be compared with.
  return judgeComparison(baseline, errors < requests);
}

/** The endpoint's figures from its parts, judged against the SLO its reports were judged against. */
export function mergeEndpoint(parts: readonly EndpointPart[], relation: PartsRelation): EndpointResult {
  if (parts.length === 1) {
    // Measured by one shard alone (endpoints dealt over shards): its figures are the endpoint's, exactly, and
    // what cannot be added over shards (stages, timeline, capacity, raw latencies) is kept.
    const only = parts[0]!;
    return { ...only.result, problems: only.result.problems.map((p) => `${only.shard}: ${p}`) };
  }
  const first = parts[0]!.result;
  const requests = total(parts, (e) => e.requests);
  const errors = total(parts, (e) => e.errors);
  const windowMs =
    relation === 'split' ? Math.max(...parts.map((p) => p.result.windowMs)) : total(parts, (e) => e.windowMs);
  const rps =
    relation === 'split' ? total(parts, (e) => e.rps) : windowMs > 0 ? requests / (windowMs / 1000) : 0;
  const { latencyMs, histogram, buckets } = mergeLatencies(parts.map((p) => p.result));
  const fixedRate = parts.every((p) => p.result.lateSends !== undefined);
  const resources = mergeResources(parts);
  return judgeEndpoint(targetsOfChecks(first.checks), {
    name: first.name,
    method: first.method,
    path: first.path,
    requests,
    latencyMs,
    rps,
    errorRate: requests > 0 ? errors / requests : 0,
    ...(resources ? { resources } : {}),
    successes: total(parts, (e) => e.successes),
    errors,
    failures: {
      status: total(parts, (e) => e.failures.status),
      timeout: total(parts, (e) => e.failures.timeout),
      socket: total(parts, (e) => e.failures.socket),
    },
    statusCodes: addCounts(parts.map((p) => p.result.statusCodes)),
    socketErrors: addCounts(parts.map((p) => p.result.socketErrors)),
    ...(fixedRate
      ? { lateSends: total(parts, (e) => e.lateSends), queuedSends: total(parts, (e) => e.queuedSends) }
      : {}),
    histogram,
    latencyHistogram:
      latencyMs && buckets
        ? latencyHistogramOfCounts(
            buckets.valuesUs.map((us) => us / 1000),
            buckets.counts,
            { minMs: latencyMs.min, maxMs: latencyMs.max },
          )
        : undefined,
    windowMs,
    longestSilenceMs: Math.max(...parts.map((p) => p.result.longestSilenceMs)),
    ...(first.data ? { data: first.data } : {}),
    ...(first.weight !== undefined ? { weight: first.weight } : {}),
    problems: parts.flatMap((p) => p.result.problems.map((problem) => `${p.shard}: ${problem}`)),
  });
}
