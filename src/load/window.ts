/**
 * The accounting of one measured window, as plain data in and out: no clock, no socket. The driver passes
 * every request result (with the time its latency starts) and every fixed-rate send; `close` turns the
 * lot into a LoadMeasurement. All times are monotonic nanoseconds.
 *
 * Invariant: every request due in [startNs, endNs) that is recorded ends as exactly one outcome.
 */
import type { RequestResult } from './gate-client.js';
import { SampleBuffer } from './sample-buffer.js';

export interface LoadMeasurement {
  /** Length of the measured window actually run. */
  windowMs: number;
  /** Requests sent (or due, at a fixed rate) in the window; each ended in exactly one outcome below. */
  requests: number;
  successes: number;
  failures: { status: number; timeout: number; socket: number };
  statusCodes: Record<string, number>;
  /** Socket error codes (ECONNREFUSED, ECONNRESET, …) and how often each ended a request. */
  socketErrors: Record<string, number>;
  /**
   * The latencies SLOs are judged on: successful responses and timed-out requests (at their timeout),
   * from the intended send time. Fast failures are kept apart in `failedLatenciesMs`.
   */
  latenciesMs: Float64Array;
  /**
   * The same requests timed from the actual send (differs from latenciesMs only at a fixed rate), for those
   * answered or timed out after their full timeout: the fixed-rate backlog that never went out, and a
   * request the drain deadline cut short, have no raw latency.
   */
  rawLatenciesMs: Float64Array;
  /** Responses with an unexpected status and socket errors. */
  failedLatenciesMs: Float64Array;
  /**
   * Raw latencies of successful requests sent while no other request of the run was in flight, warmup
   * included: the service's latency unloaded, to tell a saturated service from too few connections.
   */
  unloadedLatenciesMs?: Float64Array;
  /**
   * Time of the last answer (any status, to a request due in the window or in the warmup) inside the window,
   * from the window start; undefined if none.
   */
  lastAnswerMs?: number;
  /** Longest time inside the window with no answer at all, counting the end only if requests waited. */
  longestSilenceMs: number;
  /**
   * Time from the last answer to the end of the window, when requests due in it timed out: a target that
   * stopped answering. 0 otherwise.
   */
  trailingSilenceMs: number;
  /** Set when the load was stopped early (the service died, the gate was interrupted). */
  abortedAtMs?: number;
  /**
   * Set when a `unique` data set ran out: the load stopped there, and the window ends there (from the
   * window start; negative when it ran out in the warmup).
   */
  dataRanOutAtMs?: number;
  /**
   * Fixed rate: requests due in the window that went out over LATE_SEND_MS after their intended time
   * although their connection was free: the gate itself fell behind (a busy CPU). 0 in closed loop.
   */
  lateSends: number;
  /**
   * Fixed rate: requests due in the window whose connection was still busy with the previous one at their
   * intended time, the backlog never sent included. A few is a stall; most means too few connections for
   * the rate, or a saturated service. 0 in closed loop.
   */
  queuedSends: number;
  /**
   * Answers (any status, to requests due in the window or before it) that came inside the window: the
   * throughput the service achieved, which the capacity search holds against the rate offered.
   */
  answersInWindow?: number;
}

/** Where the measured window lies, and how long a request may take (monotonic nanoseconds). */
export interface WindowBounds {
  startNs: bigint;
  /** Exclusive: a request due at endNs belongs to the drain, not the window. */
  endNs: bigint;
  requestTimeoutNs: bigint;
}

/** How a fixed-rate request went out (see schedule.ts). */
export interface SendNote {
  intendedNs: bigint;
  /** Its connection was still busy with the previous request at its intended time. */
  queued: boolean;
  /** It went out over LATE_SEND_MS late on a free connection: the gate's own lateness. */
  late: boolean;
}

export const msBetween = (fromNs: bigint, toNs: bigint): number => Number(toNs - fromNs) / 1e6;

export class WindowAccounting {
  private readonly latencies = new SampleBuffer();
  private readonly rawLatencies = new SampleBuffer();
  private readonly failedLatencies = new SampleBuffer();
  private readonly unloadedLatencies = new SampleBuffer();
  private readonly statusCodes: Record<string, number> = {};
  private readonly socketErrors: Record<string, number> = {};
  private readonly failures = { status: 0, timeout: 0, socket: 0 };
  private requests = 0;
  private successes = 0;
  private lateSends = 0;
  private queuedSends = 0;
  private lastAnswerNs: bigint | undefined;
  private longestGapNs = 0n;
  private lastTimeoutIntendedNs: bigint | undefined;
  private answersInWindow = 0;

  constructor(
    private readonly bounds: WindowBounds,
    private readonly isSuccess: (statusCode: number) => boolean,
  ) {}

  /** Whether a request due at `intendedNs` belongs to the window (the phase it was due in). */
  isDueIn(intendedNs: bigint): boolean {
    return intendedNs >= this.bounds.startNs && intendedNs < this.bounds.endNs;
  }

  /** Counts a fixed-rate send that was queued or late, if it was due in the window. */
  noteSend(send: SendNote): void {
    if (!this.isDueIn(send.intendedNs)) return;
    if (send.queued) this.queuedSends++;
    if (send.late) this.lateSends++;
  }

  /**
   * Records how a request ended, if it was due in the window. `timedFromNs`: where its latency starts
   * (its intended time, at a fixed rate shifted by the gate's own lateness); by default its intended time.
   */
  record(result: RequestResult, timedFromNs = result.intendedNs): void {
    this.count(result, timedFromNs, true);
  }

  /** A fixed-rate request due in the window that never went out by `atNs` (the drain deadline). */
  recordUnsent(intendedNs: bigint, atNs: bigint): void {
    // Its connection was busy from its intended time to the end: it waited for it, for good.
    if (this.isDueIn(intendedNs)) this.queuedSends++;
    this.count({ outcome: { kind: 'timeout' }, intendedNs, sentNs: atNs, endNs: atNs }, intendedNs, false);
  }

  private count(result: RequestResult, timedFromNs: bigint, sent: boolean): void {
    // Any answer inside the window shows the service alive, even one to a request due in the warmup.
    if (result.outcome.kind === 'response') this.noteAnswer(result.endNs);
    if (!this.isDueIn(result.intendedNs)) return;
    this.requests++;
    const latencyMs = msBetween(timedFromNs, result.endNs);
    const rawLatencyMs = msBetween(result.sentNs, result.endNs);
    const { outcome } = result;
    if (outcome.kind === 'response') {
      this.statusCodes[outcome.statusCode] = (this.statusCodes[outcome.statusCode] ?? 0) + 1;
      if (this.isSuccess(outcome.statusCode)) {
        this.successes++;
        this.latencies.push(latencyMs);
        this.rawLatencies.push(rawLatencyMs);
      } else {
        this.failures.status++;
        this.failedLatencies.push(latencyMs);
      }
    } else if (outcome.kind === 'timeout') {
      this.failures.timeout++;
      this.latencies.push(latencyMs);
      // Raw latency only for a request that had its full timeout from its send. One that never went out,
      // or went out just before the drain deadline cut it short, has none known: 0 ms or a few would
      // flatter the raw figures.
      if (sent && result.endNs - result.sentNs >= this.bounds.requestTimeoutNs) {
        this.rawLatencies.push(rawLatencyMs);
      }
      if (this.lastTimeoutIntendedNs === undefined || result.intendedNs > this.lastTimeoutIntendedNs) {
        this.lastTimeoutIntendedNs = result.intendedNs;
      }
    } else {
      this.failures.socket++;
      this.socketErrors[outcome.code] = (this.socketErrors[outcome.code] ?? 0) + 1;
      this.failedLatencies.push(latencyMs);
    }
  }

  /**
   * A request that was sent while no other was in flight, in any phase: if it succeeded, its raw latency
   * is a sample of the service's latency unloaded.
   */
  recordUnloaded(result: RequestResult): void {
    if (result.outcome.kind === 'response' && this.isSuccess(result.outcome.statusCode)) {
      this.unloadedLatencies.push(msBetween(result.sentNs, result.endNs));
    }
  }

  /** Requests ended in the window so far, and how many failed (for progress lines). */
  progress(): { requests: number; errors: number } {
    const { status, timeout, socket } = this.failures;
    return { requests: this.requests, errors: status + timeout + socket };
  }

  /**
   * Ends the accounting; `abortedAtNs` when the load was stopped early, `ranOutAtNs` when its data ran out
   * (the window ends at the earlier of the two).
   */
  close(abortedAtNs?: bigint, ranOutAtNs?: bigint): LoadMeasurement {
    const { startNs, endNs, requestTimeoutNs } = this.bounds;
    let windowEndNs = abortedAtNs !== undefined && abortedAtNs < endNs ? abortedAtNs : endNs;
    if (ranOutAtNs !== undefined && ranOutAtNs < windowEndNs) windowEndNs = ranOutAtNs;
    const lastAnswerNs = this.lastAnswerNs ?? startNs;
    const trailingNs = windowEndNs - lastAnswerNs;
    // Silence at the end counts only when requests were left waiting in it.
    const leftWaiting =
      this.lastTimeoutIntendedNs !== undefined &&
      this.lastTimeoutIntendedNs >= lastAnswerNs - requestTimeoutNs;
    const longestSilenceNs = leftWaiting && trailingNs > this.longestGapNs ? trailingNs : this.longestGapNs;
    return {
      windowMs: Math.max(0, msBetween(startNs, windowEndNs)),
      requests: this.requests,
      successes: this.successes,
      failures: { ...this.failures },
      statusCodes: { ...this.statusCodes },
      socketErrors: { ...this.socketErrors },
      latenciesMs: this.latencies.toArray(),
      rawLatenciesMs: this.rawLatencies.toArray(),
      failedLatenciesMs: this.failedLatencies.toArray(),
      unloadedLatenciesMs: this.unloadedLatencies.toArray(),
      lastAnswerMs: this.lastAnswerNs === undefined ? undefined : msBetween(startNs, this.lastAnswerNs),
      longestSilenceMs: Number(longestSilenceNs) / 1e6,
      trailingSilenceMs: leftWaiting ? Math.max(0, Number(trailingNs) / 1e6) : 0,
      abortedAtMs: abortedAtNs === undefined ? undefined : msBetween(startNs, abortedAtNs),
      ...(ranOutAtNs === undefined ? {} : { dataRanOutAtMs: msBetween(startNs, ranOutAtNs) }),
      lateSends: this.lateSends,
      queuedSends: this.queuedSends,
      answersInWindow: this.answersInWindow,
    };
  }

  /** Tracks the longest gap between answers inside the window. */
  private noteAnswer(endNs: bigint): void {
    if (endNs < this.bounds.startNs || endNs > this.bounds.endNs) return;
    this.answersInWindow++;
    const gapNs = endNs - (this.lastAnswerNs ?? this.bounds.startNs);
    if (gapNs > this.longestGapNs) this.longestGapNs = gapNs;
    if (this.lastAnswerNs === undefined || endNs > this.lastAnswerNs) this.lastAnswerNs = endNs;
  }
}
