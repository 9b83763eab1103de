/**
 * The result model's load-over-time parts (issue #11): each stage's figures and the capacity search. Plain
 * data in the JSON report; re-exported by model.ts, the model's one entry point.
 */
import type { CapacityLimit } from '../load/capacity.js';
import type { LatencySummary } from '../stats/latency-summary.js';
import type { ChangeVerdict } from './model-baseline.js';

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
  /**
   * A step of the mix's search: the endpoint whose p95 is `latencyMs` (the worst of the mix at this step),
   * and the one that broke first when the step broke an endpoint's own SLO.
   */
  worstEndpoint?: string;
  brokenBy?: string;
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
