/**
 * Stages (issue #11 part 1): load that changes over the measured window, as pure arithmetic.
 *
 * By rate: the offered rate is a piecewise-linear function of time. Each stage ramps linearly from the
 * previous stage's end rate (0 before the first) to its own; the warmup, unmeasured, holds the lowest
 * rate of the stages. Request n is due at the time t where the cumulative count ∫rate reaches n, solved
 * per segment from the index (a quadratic), never by adding intervals: no drift over a long run, and a
 * stage whose count is a whole number holds exactly that many requests.
 *
 * By connections (closed loop): the number of active connections ramps the same way. In a rising stage
 * from a to b over D, connection k (a ≤ k < b) starts at (k − a)·D/(b − a) into it, so the first starts at
 * once and the stage ends with b; in a falling one from a to b, connection k (b ≤ k < a) stops at
 * (a − k)·D/(a − b) into it, the highest first, so the stage ends with b. A stopped connection finishes
 * the request it has in flight and sends no more until a later stage starts it again.
 */

/** One stage as the config gives it: its length and the rate or connection count it ramps to. */
export interface StageTarget {
  durationMs: number;
  ratePerSecond?: number;
  connections?: number;
}

/** One linear piece of the offered rate, from `startNs` for `durationNs` (monotonic nanoseconds). */
export interface RateSegment {
  startNs: bigint;
  durationNs: bigint;
  fromRate: number;
  toRate: number;
  /**
   * Requests due before the segment, × 2000 (rates in req/s, durations in ms: (r0 + r1)·D_ms is an exact
   * integer for whole rates, so comparisons at stage boundaries are exact).
   */
  countBeforeX2000: number;
}

/** The stages' rate from `startNs`: the warmup's hold (if any), then the stages. */
export interface StagedRate {
  startNs: bigint;
  connections: number;
  segments: RateSegment[];
}

/**
 * The rate the warmup holds. The first stage ramps up from 0, so "the rate the first stage starts from"
 * would warm nothing; the lowest rate any stage reaches is one the service is meant to hold (in a ramp
 * up, the first stage's target), so the warmup warms connections and caches without turning a ramp into
 * a spike.
 */
export function warmupRate(stages: readonly StageTarget[]): number {
  const rates = stages.map((s) => s.ratePerSecond ?? 0).filter((r) => r > 0);
  return rates.length > 0 ? Math.min(...rates) : 0;
}

/** The closed-loop warmup's connections, for the same reason: the lowest count any stage reaches. */
export function warmupConnections(stages: readonly StageTarget[]): number {
  const counts = stages.map((s) => s.connections ?? 0).filter((n) => n > 0);
  return counts.length > 0 ? Math.min(...counts) : 0;
}

/** Connections a closed-loop stage list needs at most (the warmup's included). */
export function maxConnections(stages: readonly StageTarget[]): number {
  return Math.max(0, ...stages.map((s) => s.connections ?? 0));
}

/** The highest rate a stage list offers. */
export function peakRate(stages: readonly StageTarget[]): number {
  return Math.max(0, ...stages.map((s) => s.ratePerSecond ?? 0));
}

/** Milliseconds to monotonic nanoseconds, rounded to the nanosecond. */
export const nsFromMs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/**
 * The stage list as linear pieces of a value (a rate, or connections) from `startNs`: the warmup's hold at
 * `warmupValue` when there is a warmup, then each stage ramping from the previous stage's end (0 at first)
 * to its own value.
 */
function ramps(
  startNs: bigint,
  warmupMs: number,
  warmupValue: () => number,
  stages: readonly StageTarget[],
  valueOf: (stage: StageTarget) => number,
): { startNs: bigint; durationNs: bigint; durationMs: number; from: number; to: number }[] {
  const pieces = warmupMs > 0 ? [{ durationMs: warmupMs, from: warmupValue(), to: warmupValue() }] : [];
  let previous = 0;
  for (const stage of stages) {
    pieces.push({ durationMs: stage.durationMs, from: previous, to: valueOf(stage) });
    previous = valueOf(stage);
  }
  let atNs = startNs;
  return pieces.map((piece) => {
    const durationNs = nsFromMs(piece.durationMs);
    const at = atNs;
    atNs += durationNs;
    return { startNs: at, durationNs, ...piece };
  });
}

/** The segments of a staged rate whose warmup starts at `startNs` and lasts `warmupMs`. */
export function rateSegments(
  startNs: bigint,
  warmupMs: number,
  stages: readonly StageTarget[],
): RateSegment[] {
  let countX2000 = 0;
  const pieces = ramps(
    startNs,
    warmupMs,
    () => warmupRate(stages),
    stages,
    (s) => s.ratePerSecond ?? 0,
  );
  return pieces.map(({ startNs: at, durationNs, durationMs, from, to }) => {
    const segment = { startNs: at, durationNs, fromRate: from, toRate: to, countBeforeX2000: countX2000 };
    countX2000 += (from + to) * durationMs;
    return segment;
  });
}

/** When request `index` (0, 1, 2, … over all connections) of a staged rate is due. */
export function stagedIntendedAtNs(rate: StagedRate, index: number): bigint {
  const { segments } = rate;
  const x2000 = index * 2000;
  // The last segment whose start count is at or below the index (binary search: a long list stays cheap).
  let low = 0;
  let high = segments.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid]!.countBeforeX2000 <= x2000) low = mid;
    else high = mid - 1;
  }
  const segment = segments[low];
  if (!segment) return rate.startNs;
  const m = (x2000 - segment.countBeforeX2000) / 2000;
  const durationS = Number(segment.durationNs) / 1e9;
  const segmentCount = ((segment.fromRate + segment.toRate) * durationS) / 2;
  if (m >= segmentCount && low === segments.length - 1) {
    // Past the last stage: nothing more is due in the window; keep the times increasing beyond its end.
    const beyondS = (m - segmentCount) / Math.max(segment.toRate, 1);
    return segment.startNs + segment.durationNs + BigInt(Math.round(beyondS * 1e9));
  }
  return segment.startNs + BigInt(Math.round(secondsToCount(segment, durationS, m) * 1e9));
}

/**
 * Seconds into a segment at which `m` requests have been due: r0·t + a·t²/2 = m with a = (r1 − r0)/D, in the
 * form 2m / (r0 + √(r0² + 2am)), which loses no precision when a is small or r0 is 0.
 */
function secondsToCount(segment: RateSegment, durationS: number, m: number): number {
  if (m <= 0) return 0;
  const r0 = segment.fromRate;
  const slope = durationS > 0 ? (segment.toRate - r0) / durationS : 0;
  const root = Math.sqrt(Math.max(0, r0 * r0 + 2 * slope * m));
  const t = (2 * m) / (r0 + root);
  return Math.min(t, durationS);
}

/** One closed-loop stage in time: connections ramp from `from` to `to` over [startNs, startNs + durationNs). */
export interface ConnectionSegment {
  startNs: bigint;
  durationNs: bigint;
  from: number;
  to: number;
}

/** The closed-loop segments: the warmup's hold at `warmupConnections`, then the stages from 0. */
export function connectionSegments(
  startNs: bigint,
  warmupMs: number,
  stages: readonly StageTarget[],
): ConnectionSegment[] {
  const warmup = () => warmupConnections(stages);
  return ramps(startNs, warmupMs, warmup, stages, (s) => s.connections ?? 0).map(
    ({ startNs: at, durationNs, from, to }) => ({ startNs: at, durationNs, from, to }),
  );
}

/** Connection `k`'s start (rising) or stop (falling) time in a segment, from its start. */
function edgeOffsetNs(segment: ConnectionSegment, k: number): bigint {
  const { from, to, durationNs } = segment;
  const share = to > from ? (k - from) / (to - from) : (from - k) / (from - to);
  return BigInt(Math.round(Number(durationNs) * share));
}

/** Whether connection `k` (0 first) may send at `atNs`, in the segment that holds it. */
function activeIn(segment: ConnectionSegment, k: number, atNs: bigint): boolean {
  const { from, to } = segment;
  if (k < Math.min(from, to)) return true;
  if (k >= Math.max(from, to)) return false;
  const edgeNs = segment.startNs + edgeOffsetNs(segment, k);
  return to > from ? atNs >= edgeNs : atNs < edgeNs;
}

/**
 * When connection `k` may next send, at or after `atNs`: `atNs` itself when it is active then, the time a
 * later ramp starts it otherwise, undefined when no stage starts it again.
 */
export function nextActiveNs(
  segments: readonly ConnectionSegment[],
  k: number,
  atNs: bigint,
): bigint | undefined {
  for (const segment of segments) {
    const endNs = segment.startNs + segment.durationNs;
    if (endNs <= atNs) continue;
    const fromNs = atNs > segment.startNs ? atNs : segment.startNs;
    if (activeIn(segment, k, fromNs)) return fromNs;
    // Inactive at fromNs: only a rising ramp through k starts it in this segment.
    if (segment.to > segment.from && k >= segment.from && k < segment.to) {
      return segment.startNs + edgeOffsetNs(segment, k);
    }
  }
  return undefined;
}

/** Connections active at `atNs` (for tests and progress): how many of 0, 1, … may send then. */
export function activeConnectionsAt(segments: readonly ConnectionSegment[], atNs: bigint): number {
  const segment = segments.find((s) => atNs >= s.startNs && atNs < s.startNs + s.durationNs);
  if (!segment) return 0;
  let count = 0;
  for (let k = 0; k < Math.max(segment.from, segment.to); k++) if (activeIn(segment, k, atNs)) count++;
  return count;
}

/** The measured stages as windows [startNs, endNs), from the window start, in order. */
export function stageWindows(
  windowStartNs: bigint,
  stages: readonly StageTarget[],
): { startNs: bigint; endNs: bigint }[] {
  let atNs = windowStartNs;
  return stages.map((stage) => {
    const startNs = atNs;
    atNs += nsFromMs(stage.durationMs);
    return { startNs, endNs: atNs };
  });
}

/** What a load plan's stages make of its timing, for run-load.ts (all undefined or empty without stages). */
export interface StagedShape {
  /** By rate: the staged schedule of sends. */
  rate?: StagedRate;
  /** By connections: when each connection may send. */
  connectionSegments?: ConnectionSegment[];
  /** Connections to open: the plan's, or the most a closed-loop stage asks for. */
  lanes: number;
  /** The measured stages' windows, for the accounting. */
  stageWindows: { startNs: bigint; endNs: bigint }[];
}

/** The timing of a plan with `stages`, its warmup starting at `startNs`. */
export function stagedShape(
  plan: { stages?: readonly StageTarget[]; connections: number; warmupMs: number },
  startNs: bigint,
): StagedShape {
  const { stages, connections, warmupMs } = plan;
  if (!stages || stages.length === 0) return { lanes: connections, stageWindows: [] };
  const windows = stageWindows(startNs + nsFromMs(warmupMs), stages);
  if (stages.some((s) => s.ratePerSecond !== undefined)) {
    const segments = rateSegments(startNs, warmupMs, stages);
    return { rate: { startNs, connections, segments }, lanes: connections, stageWindows: windows };
  }
  return {
    connectionSegments: connectionSegments(startNs, warmupMs, stages),
    lanes: maxConnections(stages),
    stageWindows: windows,
  };
}

/** The stage (0 first) that `elapsedMs` into the measured window falls in; the last one past the end. */
export function stageIndexAt(stages: readonly StageTarget[], elapsedMs: number): number {
  let endMs = 0;
  for (const [index, stage] of stages.entries()) {
    endMs += stage.durationMs;
    if (elapsedMs < endMs) return index;
  }
  return stages.length - 1;
}
