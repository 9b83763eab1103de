/**
 * Latency over time (issue #11 part 2): the measured window cut into intervals of a round length, each
 * request counted in the interval it was due in (at a fixed rate: its intended send time; in a closed loop:
 * its send time), so a stall shows where the requests were due, not where their answers finally came.
 * Pure, like window.ts that feeds it: times in, points out.
 *
 * Memory: the latency samples themselves stay in window.ts's buffer; this keeps one 2-byte interval index
 * per sample, in the same order, and counts per interval. `close` groups the samples by interval once.
 */
import { summarizeLatencies } from '../stats/latency-summary.js';

/** A long window gets longer intervals so it stays at about this many points (a chart's worth). */
export const MAX_TIMELINE_POINTS = 60;

/** Interval lengths a reader counts in without thinking, shortest first. */
const ROUND_INTERVALS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600].map((s) => s * 1000);

/** The shortest round interval (1 s at least) that cuts a window of `windowMs` into at most 60 points. */
export function timelineIntervalMs(windowMs: number): number {
  const fits = ROUND_INTERVALS_MS.find((ms) => windowMs <= ms * MAX_TIMELINE_POINTS);
  if (fits !== undefined) return fits;
  const hourMs = 3_600_000;
  return Math.ceil(windowMs / MAX_TIMELINE_POINTS / hourMs) * hourMs;
}

/** One interval of the measured window. */
export interface TimelinePoint {
  /** Where the interval starts, ms from the window start. */
  atMs: number;
  /** Its length: the interval, or less for the last one when the window ends inside it. */
  intervalMs: number;
  /**
   * p50 and p95 of the interval's SLO latencies (successes and timeouts, timed as the endpoint's latencyMs),
   * exact from its own samples; null when it has none.
   */
  latencyMs: { p50: number; p95: number } | null;
  /** Requests due (fixed rate) or sent (closed loop) in the interval, each with one outcome. */
  requests: number;
  /** Of those, the failed: an unexpected status, a socket error or a timeout. */
  errors: number;
  /** requests per second of the interval: what was asked of the service then. */
  offeredRps: number;
  /** Answers (any status) that came in during the interval, per second: what the service gave. */
  achievedRps: number;
}

/** A growable Uint16Array: one interval index per latency sample. */
class IndexBuffer {
  private data = new Uint16Array(4096);
  size = 0;

  push(value: number): void {
    if (this.size === this.data.length) {
      const bigger = new Uint16Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.size++] = value;
  }

  at(i: number): number {
    return this.data[i]!;
  }
}

const round2 = (value: number) => Math.round(value * 100) / 100;

export class TimelineAccounting {
  private readonly plannedPoints: number;
  /** Interval edges, monotonic ns: interval i is [edges[i], edges[i + 1]). */
  private readonly edgesNs: bigint[];
  /** The interval found last: requests come roughly in order, so it is usually the next one's too. */
  private lastIndex = 0;
  private readonly requests: number[];
  private readonly errors: number[];
  private readonly answers: number[];
  private readonly sampleIntervals = new IndexBuffer();

  /** The window's planned bounds, monotonic ns; `intervalMs` by default from its length. */
  constructor(
    private readonly startNs: bigint,
    plannedEndNs: bigint,
    readonly intervalMs = timelineIntervalMs(Math.max(0, Number(plannedEndNs - startNs) / 1e6)),
  ) {
    const intervalNs = BigInt(Math.round(intervalMs * 1e6));
    const windowNs = Math.max(0, Number(plannedEndNs - startNs));
    this.plannedPoints = Math.ceil(windowNs / Number(intervalNs));
    if (this.plannedPoints > 0xffff) throw new RangeError(`${this.plannedPoints} timeline intervals`);
    this.requests = new Array<number>(this.plannedPoints).fill(0);
    this.errors = new Array<number>(this.plannedPoints).fill(0);
    this.answers = new Array<number>(this.plannedPoints).fill(0);
    this.edgesNs = Array.from({ length: this.plannedPoints + 1 }, (_, i) => startNs + BigInt(i) * intervalNs);
  }

  /** The interval `atNs` falls in (half-open: [start, start + interval)); -1 outside the window. */
  intervalOf(atNs: bigint): number {
    // Comparisons only: bigint arithmetic allocates, and this runs twice per request.
    const edges = this.edgesNs;
    if (atNs < edges[0]! || atNs >= edges[this.plannedPoints]!) return -1;
    const last = this.lastIndex;
    if (atNs >= edges[last]! && atNs < edges[last + 1]!) return last;
    let low = 0;
    let high = this.plannedPoints - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (atNs >= edges[middle]!) low = middle;
      else high = middle - 1;
    }
    this.lastIndex = low;
    return low;
  }

  /**
   * A request of the window ended: counted where it was due. `sample`: its latency was pushed to the SLO
   * latencies just now (the same order is how close() finds each sample's interval).
   */
  noteRequest(dueNs: bigint, failed: boolean, sample: boolean): void {
    const index = this.intervalOf(dueNs);
    // The window only records requests due in it; keep the samples and their indices in step regardless.
    if (sample) this.sampleIntervals.push(Math.max(0, index));
    if (index < 0) return;
    this.requests[index]!++;
    if (failed) this.errors[index]!++;
  }

  /** An answer (any status, to any request) arrived at `endNs`: counted where it arrived. */
  noteAnswer(endNs: bigint): void {
    const index = this.intervalOf(endNs);
    if (index >= 0) this.answers[index]!++;
  }

  /**
   * The points up to `windowEndNs` (the planned end, or earlier when the load stopped early). `latenciesMs`:
   * the SLO latencies, one per noteRequest(…, sample: true), in that order.
   */
  close(latenciesMs: Float64Array, windowEndNs: bigint): TimelinePoint[] {
    const samples = this.sampleIntervals;
    if (samples.size !== latenciesMs.length) {
      throw new Error(`timeline: ${samples.size} interval indices for ${latenciesMs.length} samples`);
    }
    const windowMs = Math.max(0, Number(windowEndNs - this.startNs) / 1e6);
    const points = Math.min(this.plannedPoints, Math.ceil(windowMs / this.intervalMs));
    const grouped = groupByInterval(latenciesMs, samples, this.plannedPoints);
    return Array.from({ length: points }, (_, i) => {
      const atMs = i * this.intervalMs;
      const lengthMs = Math.min(this.intervalMs, windowMs - atMs);
      const summary = summarizeLatencies(grouped[i]!);
      return {
        atMs,
        intervalMs: round2(lengthMs),
        latencyMs: summary ? { p50: summary.p50, p95: summary.p95 } : null,
        requests: this.requests[i]!,
        errors: this.errors[i]!,
        offeredRps: round2(this.requests[i]! / (lengthMs / 1000)),
        achievedRps: round2(this.answers[i]! / (lengthMs / 1000)),
      };
    });
  }
}

/** Each interval's samples, as views of one array sorted by interval (a counting sort: one pass each way). */
function groupByInterval(latenciesMs: Float64Array, indices: IndexBuffer, intervals: number): Float64Array[] {
  const counts = new Array<number>(intervals + 1).fill(0);
  for (let i = 0; i < indices.size; i++) counts[indices.at(i) + 1]!++;
  for (let k = 1; k <= intervals; k++) counts[k]! += counts[k - 1]!;
  const starts = counts.slice();
  const grouped = new Float64Array(latenciesMs.length);
  for (let i = 0; i < indices.size; i++) grouped[counts[indices.at(i)]!++] = latenciesMs[i]!;
  return Array.from({ length: intervals }, (_, k) => grouped.subarray(starts[k]!, starts[k + 1]!));
}

/**
 * Several windows' timelines end to end (a baseline's head rounds): each point moved by the windows before
 * it, so atMs counts measured time only.
 */
export function concatTimelines(
  windows: { windowMs: number; timeline?: TimelinePoint[] }[],
): TimelinePoint[] {
  let offsetMs = 0;
  const points: TimelinePoint[] = [];
  for (const w of windows) {
    for (const p of w.timeline ?? []) points.push({ ...p, atMs: round2(p.atMs + offsetMs) });
    offsetMs += w.windowMs;
  }
  return points;
}
