/**
 * The result model: one plain-data value that the terminal table, the markdown report, the JSON report and
 * the Action's outputs are all functions of. JSON names are part of the public interface.
 */
import type { CapacityLimit } from '../load/capacity.js';
import type { ResourceUsage } from '../service/resources.js';
import type { ShardSpec } from '../shard/spec.js';
import type { EncodedHistogram } from '../stats/hdr.js';
import type { LatencyHistogram } from '../stats/latency-histogram.js';
import type { LatencySummary } from '../stats/latency-summary.js';
import type { TimelinePoint } from '../load/timeline.js';

export type { TimelinePoint } from '../load/timeline.js';

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

/** One stage of a staged load: what it offered and what the endpoint did in it (not judged on its own). */
export interface StageResult {
  /** 0 first, as in load.stages. */
  index: number;
  durationMs: number;
  /** By rate: the offered rate at the stage's start and end (a ramp, or a hold when equal). */
  offeredRps?: { from: number; to: number };
  /** By connections: the connections open at the stage's start and end. */
  connections?: { from: number; to: number };
  /** Requests due (fixed rate) or sent (closed loop) in the stage, each with one outcome. */
  requests: number;
  /** requests / the stage's length: at a fixed rate, what was offered (due) on average. */
  rps: number;
  /** Answers that came in the stage / its length: what the service achieved (short of rps past capacity). */
  answeredRps: number;
  errors: number;
  errorRate: number;
  /** As the endpoint's latencyMs, over this stage's requests. */
  latencyMs: LatencySummary | null;
  /** At a fixed rate: as the endpoint's, over this stage's requests. */
  lateSends?: number;
  queuedSends?: number;
}

/** One rate tried by the capacity search. */
export interface CapacityStep {
  offeredRps: number;
  /** Answers that came inside the step's window, per second of it. */
  achievedRps: number;
  /** Timed from the intended send; null when no request succeeded or timed out. */
  latencyMs: { p50: number; p95: number; p99: number } | null;
  errorRate: number;
  passed: boolean;
  /** What broke, first the one reported (p95, errors, rate; or load-generator alone); empty when passed. */
  broke: CapacityLimit[];
  requests: number;
  connections: number;
  /** Sends over 5 ms late on a free connection: the gate's own lateness. */
  lateSends: number;
  windowMs: number;
}

/** One side's capacity search: what it found and how. */
export interface CapacitySearch {
  /** The highest offered rate that held the SLO below every rate that broke it; 0 when `from` broke it. */
  rps: number;
  /** What broke first at the lowest rate that broke the SLO; null when none did. */
  limitedBy: CapacityLimit | null;
  /** Every rate up to `to` held: the capacity is at least `to`. */
  reachedTo: boolean;
  /** Why the search ended before its precision: its time cap, or the run being stopped. */
  stoppedBy?: 'max-time' | 'interrupted';
  /** The search as configured. */
  fromRps: number;
  toRps: number;
  precision: number;
  /** Wall time of the search, warmups and pauses included. */
  durationMs: number;
  /** In the order tried. */
  steps: CapacityStep[];
}

/** The head's capacity search and, with a baseline, the base's and the change. */
export interface CapacityResult extends CapacitySearch {
  /** The base's search, its steps alternating with the head's on the same runner. */
  base?: CapacitySearch;
  /** head / base − 1 of the capacities: −0.23 is 23% less. Null when either side cannot be compared. */
  change?: number | null;
  /** Against baseline.max-regression; not-judged when either side's capacity is not the service's. */
  verdict?: ChangeVerdict | 'not-judged';
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

/**
 * How head compares with base, once the p95 change's 95% interval is weighed against the budget b
 * (max-regression): regressed when the whole interval lies above b; within-budget when it lies at or below
 * b; improved when it lies wholly below −b (faster, and within budget too); inconclusive when it straddles
 * b, or there were too few rounds to compare: the run cannot tell whether the budget was exceeded.
 */
export type ChangeVerdict = 'regressed' | 'inconclusive' | 'within-budget' | 'improved';

/** The relative change of a statistic, head against base, from paired rounds. */
export interface RelativeChange {
  /** head/base - 1 over all rounds: 0.2 is 20% slower. */
  change: number;
  /** 95% confidence interval of the change, from round-to-round variation. */
  low: number;
  high: number;
  rounds: number;
  /**
   * The smallest change this run could tell from no change: the interval's half-width as a relative change,
   * exp(t(n−1)·sd/√n) − 1 over the n rounds' log-ratios. A change of this size or less would have left
   * zero inside the interval; 0.05 means only changes beyond about ±5% show. Absent in older reports.
   */
  smallestDetectableChange?: number;
}

/** What would settle an inconclusive verdict, estimated from the rounds' spread at the observed change. */
export interface RoundsToSettle {
  /**
   * Paired rounds in all for the interval to clear the budget, were the change and the spread as observed:
   * the least n with t(n−1)·sd/√n below |log(1 + change) − log(1 + budget)|. Null past 100 rounds (the
   * change sits too close to the budget to settle).
   */
  rounds: number | null;
  /** The same as replicates of this run's rounds, pooled (issue #12); null past 100 rounds. */
  replicates: number | null;
}

/** A statistic of head against base: pooled values and the change with its 95% interval. */
export interface StatisticChange {
  baseMs: number;
  headMs: number;
  change: RelativeChange;
}

export interface BaselineComparison {
  /** The base's latencies, pooled over its rounds. */
  latencyMs: LatencySummary | null;
  requests: number;
  errorRate: number;
  rounds: number;
  /** Null when fewer than two rounds had samples on both sides. */
  p95: StatisticChange | null;
  mean: StatisticChange | null;
  /** The largest p95 regression allowed, as a fraction (0.1 is 10%). */
  maxRegression: number;
  /**
   * regressed fails the endpoint; inconclusive fails it only with baseline.on-inconclusive: fail;
   * within-budget and improved never do.
   */
  verdict: ChangeVerdict;
  /**
   * Each round's two windows, measured back to back (issue #12): what merging replicates pools, pair by
   * pair. Absent in reports from before it.
   */
  perRound?: BaselineRound[];
  /** With an inconclusive verdict and a p95 change: the rounds (or replicates) that would settle it. */
  toSettle?: RoundsToSettle;
  /**
   * What an inconclusive verdict does to the check (baseline.on-inconclusive), kept so that a merge of
   * replicates judges as the run did.
   */
  onInconclusive?: 'fail' | 'pass';
}

/** One round of a baseline comparison: the base's window and the head's. */
export interface BaselineRound {
  base: RoundSide;
  head: RoundSide;
}

/**
 * One side's window in a round: its exact summary (p95 and mean pair up) and its HDR histogram. A merged
 * report keeps the summaries of every shard's rounds but not their histograms (its size would grow with
 * shards × rounds); the pooled figures are in the endpoint's.
 */
export interface RoundSide {
  latencyMs: LatencySummary | null;
  histogram?: EncodedHistogram | null;
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
