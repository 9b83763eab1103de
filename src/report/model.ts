/**
 * The result model: one plain-data value that the terminal table, the markdown report, the JSON report and
 * the Action's outputs are all functions of. JSON names are part of the public interface.
 */
import type { ResourceUsage } from '../service/resources.js';
import type { ShardSpec } from '../shard/spec.js';
import type { EncodedHistogram } from '../stats/hdr.js';
import type { LatencyHistogram } from '../stats/latency-histogram.js';
import type { LatencySummary } from '../stats/latency-summary.js';
import type { TimelinePoint } from '../load/timeline.js';

export type { TimelinePoint } from '../load/timeline.js';
export type * from './model-baseline.js';
export type * from './model-load.js';
import type { BaselineComparison, ChangeVerdict } from './model-baseline.js';
import type { CapacityResult, StageResult } from './model-load.js';

/** What the service's process tree cost over an endpoint's measured window. */
export interface EndpointResources extends ResourceUsage {
  /** Service CPU time per request of the window. */
  cpuMsPerRequest: number;
}

export type Verdict = 'passed' | 'breached' | 'failed';

export type CheckUnit = 'ms' | 'fraction' | 'rps' | 'bytes';

export interface CheckResult {
  /** The SLO key as written in slo-gate.yml: p95, error-rate, min-rps, … */
  metric: string;
  limit: number;
  /** Null when there was nothing to measure it on (no successful response, say). */
  actual: number | null;
  unit: CheckUnit;
  passed: boolean;
}

export interface EndpointResult {
  name: string;
  method: string;
  path: string;
  /** Requests sent (or due, at a fixed rate) in the measured window, each with one outcome. */
  requests: number;
  /** requests / window seconds. */
  rps: number;
  successes: number;
  errors: number;
  /** errors / requests; a failure is an unexpected status, a socket error or a timeout. */
  errorRate: number;
  failures: { status: number; timeout: number; socket: number };
  statusCodes: Record<string, number>;
  socketErrors: Record<string, number>;
  /**
   * Successful responses and timed-out requests (at their timeout). At a fixed rate, timed from each
   * request's intended send time. Null when there was no such sample.
   */
  latencyMs: LatencySummary | null;
  /** At a fixed rate: the same requests timed from the actual send, for comparison. */
  rawLatencyMs?: LatencySummary | null;
  /**
   * At a fixed rate: the median latency of requests sent while no other was in flight (the service
   * unloaded), which tells a saturated service from too few connections.
   */
  unloadedLatencyMs?: number | null;
  /**
   * At a fixed rate: requests that went out late on a free connection because slo-gate itself fell behind
   * (timed from when they went out, not charged to the service).
   */
  lateSends?: number;
  /** At a fixed rate: requests that waited for their connection to be free (counted in their latency). */
  queuedSends?: number;
  /**
   * latencyMs's samples as an HDR histogram (issue #12), so that shard reports merge exactly; null when
   * there was no sample. Absent in reports from before it.
   */
  histogram?: EncodedHistogram | null;
  /** How latencyMs's samples spread, in buckets with round edges: the comment charts it. */
  latencyHistogram?: LatencyHistogram;
  /** Failed responses and socket errors, kept apart so fast failures cannot flatter the percentiles. */
  failedLatencyMs?: LatencySummary | null;
  windowMs: number;
  longestSilenceMs: number;
  /**
   * The measured window interval by interval (about 60 points at most): p50, p95, requests, errors and the
   * offered and achieved rates. With a baseline, the head's rounds end to end (atMs in measured time).
   */
  timeline?: TimelinePoint[];
  /** When slo-gate started the service and /proc is readable. */
  resources?: EndpointResources;
  /** With a baseline: the base branch measured in alternating rounds, and the change. */
  baseline?: BaselineComparison;
  /** The data sets its `{{ }}` templates took rows from (issue #10), one per set. */
  data?: DataSetUse[];
  /**
   * A `unique` data set ran out: the load stopped there, and the window ended there (ms from the window
   * start; negative when it ran out in the warmup).
   */
  dataRanOut?: { set: string; atMs: number };
  /** With load.mode mixed: its share of the mix's requests, as configured (issue #10). */
  weight?: number;
  /**
   * With load.stages (issue #11): each stage's own figures, in order. The checks judge the whole window,
   * all stages together; these show how the service fared as the load changed.
   */
  stages?: StageResult[];
  /** With a `capacity` block: the highest rate it held within its SLO, and every step tried (issue #11). */
  capacity?: CapacityResult;
  checks: CheckResult[];
  /** Why the endpoint failed beyond its checks: no successful response, stopped answering, service died. */
  problems: string[];
  passed: boolean;
}

/** A data set an endpoint's templates use: its name, row count and how rows are taken. */
export interface DataSetUse {
  set: string;
  rows: number;
  order: 'sequential' | 'random' | 'unique';
}

export interface ServiceInfo {
  /** From the health check, when it has the standard shape. */
  version?: string;
  status?: string;
  dependencies?: Record<string, string>;
  /** The service's combined stdout and stderr. */
  logFile?: string;
  /** The last lines of its output, kept for failure reports. */
  logTail?: string[];
  readyAfterMs?: number;
}

export interface GateResult {
  passed: boolean;
  verdict: Verdict;
  /** One line: why the gate failed, when it did. */
  reason?: string;
  target: string;
  configFile: string;
  startedAt: string;
  durationMs: number;
  load: {
    durationMs: number;
    warmupMs: number;
    connections: number;
    ratePerSecond?: number;
    /** With stages (issue #11), as configured; durationMs is their sum. */
    stages?: { durationMs: number; ratePerSecond?: number; connections?: number }[];
    requestTimeoutMs: number;
    /** isolated or mixed (issue #10); absent in reports from before it. */
    mode?: 'isolated' | 'mixed';
  };
  service?: ServiceInfo;
  /** With a baseline that slo-gate started: the base copy of the service. */
  baselineService?: ServiceInfo;
  /** The setup requests sent before any load (issue #10 part 2), in order; absent without a `setup` key. */
  setup?: SetupStepResult[];
  endpoints: EndpointResult[];
  /** With load.mode mixed: the whole mix over its one window, every endpoint's requests together. */
  mix?: MixResult;
  /** Problems that were recovered from or worth a look (a degraded dependency, say). */
  warnings: string[];
  /**
   * sha256 of the normalized config, secrets masked before hashing (issue #12): shard reports merge only
   * when it matches. Absent in merged reports' inputs from before it.
   */
  configHash?: string;
  /** The commit measured: GITHUB_SHA, else `git rev-parse HEAD` beside the config, else null. */
  commit?: string | null;
  /** A report merged by `slo-gate merge` from this many shard reports. */
  merged?: { shards: number };
  /** What the comment's charts show, added to the JSON report (withCharts); absent in older reports. */
  charts?: ReportCharts;
  /** In a shard's report (`run --shard I/N`, issue #12): which shard it is and what part it ran. */
  shard?: ShardRecord;
}

/**
 * How a shard shares the work (src/shard/plan.ts). rate: a fixed rate split over the shards, all against
 * one running target; connections: closed-loop connections split likewise; endpoints: the endpoints split,
 * each shard booting its own copy of the service; replicate: the whole run repeated (a baseline's rounds,
 * or a mixed load on its own copy).
 */
export type ShardPart = 'rate' | 'connections' | 'endpoints' | 'replicate';

/**
 * A shard's `index` and `total`, and what it ran. `part`, `endpoints` and `totalLoad` are in every shard
 * report slo-gate writes; they are optional so that `{ index, total }` alone is still a ShardSpec.
 */
export interface ShardRecord extends ShardSpec {
  part?: ShardPart;
  /** The endpoints this shard loaded, by name, in config order; empty when it had none to run. */
  endpoints?: string[];
  /** The whole run's load, of which the report's `load` is this shard's share. */
  totalLoad?: { connections: number; ratePerSecond?: number };
}

/**
 * The whole mix of a mixed load (issue #10): every request of the window, whatever its endpoint, each judged
 * by its own endpoint's expected statuses. Not held to an SLO: each endpoint is, on its own figures.
 */
export interface MixResult {
  requests: number;
  /** requests / window seconds. */
  rps: number;
  errors: number;
  errorRate: number;
  /** Latencies of every endpoint's successful and timed-out requests together. */
  latencyMs: LatencySummary | null;
  windowMs: number;
  /** With load.stages: the whole mix's figures per stage. */
  stages?: StageResult[];
  /** With a `capacity` block: the highest total rate the mix held, every endpoint within its SLO (issue #11). */
  capacity?: CapacityResult;
  /** The capacity's checks (slo.min-capacity on the total rate, the change against the base). */
  checks?: CheckResult[];
  /** The capacity search could not tell (as an endpoint's problems). */
  problems?: string[];
}

/** One setup request as sent: the names it captured, never their values. */
export interface SetupStepResult {
  name: string;
  /** With a baseline, each side runs its own setup; absent without one. */
  side?: 'head' | 'base';
  /** A per-connection step: the connection (0 first) this request logged in for. */
  connection?: number;
  /** The response's status; 0 when none came (a timeout or a socket error). */
  status: number;
  latencyMs: number;
  captured: string[];
}

/** One endpoint's p95 against its own p95 target, for a chart of "who broke the budget, by how much". */
export interface P95ShareOfTarget {
  endpoint: string;
  p95Ms: number;
  targetMs: number;
  /** p95 / target × 100: 100 is on target, 218 is more than twice over. */
  percentOfTarget: number;
  /** The p95 check failed. */
  breached: boolean;
}

/** One endpoint's p95 against the base branch, as percentages, with the interval and the budget. */
export interface P95ChangeAgainstBase {
  endpoint: string;
  /** head/base - 1, in percent: 32 is 32% slower. */
  changePercent: number;
  /** The 95% confidence interval of the change, in percent. */
  lowPercent: number;
  highPercent: number;
  /** The largest regression allowed, in percent. */
  budgetPercent: number;
  verdict: ChangeVerdict;
}

/**
 * What the comment's charts show, as data, so other tools can draw their own. In the JSON report as
 * `charts`; derived from the endpoints (src/report/chart-data.ts), never measured separately.
 */
export interface ReportCharts {
  /** Every endpoint with a p95 target and a measured p95, in config order. */
  p95ShareOfTarget: P95ShareOfTarget[];
  /** Every endpoint compared with the base (with enough rounds), in config order; empty without a baseline. */
  p95ChangeAgainstBase: P95ChangeAgainstBase[];
  /** The endpoint whose latency histogram the comment draws: the furthest over its p95 target. */
  histogramEndpoint: string | null;
  /**
   * The endpoint whose timeline (latency over time) the comment draws open: the worst, as for the
   * histogram, among those with a timeline; the others are in collapsed sections. Absent in older reports.
   */
  timelineEndpoint?: string | null;
}
