/**
 * Drives one endpoint: a warmup, then the measured window, then a bounded drain. Every request sent (or,
 * at a fixed rate, due) in the window ends as exactly one sample: answered, failed, or timed out.
 *
 * Closed loop (no rate): each connection sends its next request when the previous one ends.
 * Fixed rate: connection i sends at start + i/rate + k·connections/rate. Latency is measured from that
 * intended time, so a server that stalls is charged for the requests it kept waiting behind a slow answer
 * (coordinated omission, corrected as wrk2 does), but not for the gate's own lateness: a timer that fires
 * ~1 ms late, or a load generator starved of CPU. Each connection keeps its "own shift", how much later
 * than a perfect client its request went out: the time it was both due and free (its previous request's
 * answer, less that request's own shift) until it was sent. A request is timed from its intended time
 * plus its own shift. Sends over LATE_SEND_MS late are counted, so a gate that could not hold the rate
 * says so; so are requests that had to wait for their connection to be free, which, when most do, means
 * too few connections for the rate at this latency. The latency from the actual send is kept beside it as
 * the raw figure.
 */
import { GateClient, type RequestResult } from './gate-client.js';
import { SampleBuffer } from './sample-buffer.js';

export interface LoadPlan {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Statuses that count as success; undefined means any 2xx. */
  expectStatus?: number[];
  connections: number;
  ratePerSecond?: number;
  warmupMs: number;
  durationMs: number;
  requestTimeoutMs: number;
}

export type LoadPhase = 'warmup' | 'measure' | 'drain';

export interface LoadProgress {
  phase: LoadPhase;
  elapsedMs: number;
  /** Requests ended in the measured window so far. */
  requests: number;
  errors: number;
}

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
  /** The same requests timed from the actual send (differs from latenciesMs only at a fixed rate). */
  rawLatenciesMs: Float64Array;
  /** Responses with an unexpected status and socket errors. */
  failedLatenciesMs: Float64Array;
  /** Time of the last answer (any status) in the window, from the window start; undefined if none. */
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
   * Fixed rate: requests due in the window that went out over LATE_SEND_MS after their intended time
   * although their connection was free: the gate itself fell behind (a busy CPU). 0 in closed loop.
   */
  lateSends: number;
  /**
   * Fixed rate: requests due in the window whose connection was still busy with the previous one at their
   * intended time. A few is a stall; most means too few connections for the rate. 0 in closed loop.
   */
  queuedSends: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Called when the measured window opens and when it closes (resource sampling hangs on these). */
  onWindow?: (edge: 'start' | 'end') => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

/** Consecutive connection failures back off up to this, so a refused port is not a request storm. */
const MAX_BACKOFF_MS = 1000;
/** A fixed-rate send on a free connection later than this after its intended time counts as late. */
export const LATE_SEND_MS = 5;
const LATE_SEND_NS = BigInt(LATE_SEND_MS * 1e6);

const msBetween = (fromNs: bigint, toNs: bigint): number => Number(toNs - fromNs) / 1e6;

export function runLoad(plan: LoadPlan, options: LoadOptions = {}): Promise<LoadMeasurement> {
  return new Promise((resolve) => {
    const { connections, ratePerSecond } = plan;
    const startNs = process.hrtime.bigint();
    const windowStartNs = startNs + BigInt(Math.round(plan.warmupMs * 1e6));
    const windowEndNs = windowStartNs + BigInt(Math.round(plan.durationMs * 1e6));
    // In-flight requests time out by themselves; the fixed-rate backlog gets the same bound.
    const drainEndNs = windowEndNs + BigInt(Math.round(plan.requestTimeoutMs * 1e6));
    const intervalNs = ratePerSecond ? BigInt(Math.round((connections / ratePerSecond) * 1e9)) : 0n;
    const isSuccess = plan.expectStatus
      ? (code: number) => plan.expectStatus!.includes(code)
      : (code: number) => code >= 200 && code < 300;

    const latencies = new SampleBuffer();
    const rawLatencies = new SampleBuffer();
    const failedLatencies = new SampleBuffer();
    const statusCodes: Record<string, number> = {};
    const socketErrors: Record<string, number> = {};
    const failures = { status: 0, timeout: 0, socket: 0 };
    let requests = 0;
    let successes = 0;
    let lastAnswerNs: bigint | undefined;
    let longestGapNs = 0n;
    let lastTimeoutIntendedNs: bigint | undefined;
    let finished = false;
    let abortedAtNs: bigint | undefined;
    let lateSends = 0;
    let queuedSends = 0;

    /** `timedFromNs`: when the request's latency starts (see the top of this file); default its intended time. */
    const record = (result: RequestResult, timedFromNs = result.intendedNs) => {
      // A request belongs to the phase it was due in.
      if (result.intendedNs < windowStartNs || result.intendedNs >= windowEndNs) return;
      requests++;
      const latencyMs = msBetween(timedFromNs, result.endNs);
      const { outcome } = result;
      if (outcome.kind === 'response') {
        statusCodes[outcome.statusCode] = (statusCodes[outcome.statusCode] ?? 0) + 1;
        noteAnswer(result.endNs);
        if (isSuccess(outcome.statusCode)) {
          successes++;
          latencies.push(latencyMs);
          rawLatencies.push(msBetween(result.sentNs, result.endNs));
        } else {
          failures.status++;
          failedLatencies.push(latencyMs);
        }
      } else if (outcome.kind === 'timeout') {
        failures.timeout++;
        latencies.push(latencyMs);
        rawLatencies.push(msBetween(result.sentNs, result.endNs));
        if (lastTimeoutIntendedNs === undefined || result.intendedNs > lastTimeoutIntendedNs) {
          lastTimeoutIntendedNs = result.intendedNs;
        }
      } else {
        failures.socket++;
        socketErrors[outcome.code] = (socketErrors[outcome.code] ?? 0) + 1;
        failedLatencies.push(latencyMs);
      }
    };

    /** Tracks the longest gap between answers inside the window. */
    const noteAnswer = (endNs: bigint) => {
      if (endNs > windowEndNs) return;
      const gapNs = endNs - (lastAnswerNs ?? windowStartNs);
      if (gapNs > longestGapNs) longestGapNs = gapNs;
      if (lastAnswerNs === undefined || endNs > lastAnswerNs) lastAnswerNs = endNs;
    };

    /** Per connection: its client, next intended send time (fixed rate), backoff and timer. */
    interface Lane {
      client: GateClient;
      nextIntendedNs: bigint;
      /** When its last request ended. */
      lastEndNs: bigint;
      /** Fixed rate: how much later than a perfect client the last request went out (see the top). */
      ownShiftNs: bigint;
      /** Where the latency of the request in flight starts. */
      timedFromNs: bigint;
      failuresInARow: number;
      /** Closed loop: after connection failures, not before this (backoff). */
      notBeforeNs: bigint;
      timer?: NodeJS.Timeout;
    }
    const lanes: Lane[] = [];

    const wakeAt = (lane: Lane, atNs: bigint, now: bigint) => {
      lane.timer = setTimeout(
        () => {
          lane.timer = undefined;
          schedule(lane);
        },
        Number(atNs - now) / 1e6,
      );
    };

    const schedule = (lane: Lane) => {
      if (finished || lane.client.busy || lane.timer) return;
      const now = process.hrtime.bigint();
      if (ratePerSecond) {
        if (lane.nextIntendedNs >= windowEndNs) return maybeFinish();
        if (lane.nextIntendedNs > now) return wakeAt(lane, lane.nextIntendedNs, now);
        const intendedNs = lane.nextIntendedNs;
        lane.nextIntendedNs += intervalNs;
        // A perfect client would have had this connection free when its last answer came, less the
        // lateness that answer inherited from our own late send.
        const idealFreeNs = lane.lastEndNs - lane.ownShiftNs;
        const dueAndFreeNs = idealFreeNs > intendedNs ? idealFreeNs : intendedNs;
        lane.ownShiftNs = now > dueAndFreeNs ? now - dueAndFreeNs : 0n;
        lane.timedFromNs = intendedNs + lane.ownShiftNs;
        if (intendedNs >= windowStartNs) {
          if (lane.lastEndNs > intendedNs) queuedSends++;
          // Late: a perfect client would have sent it on time, and we did not. (Not the shift carried along
          // a backlog, which grows by our few microseconds per request when the connection is never free.)
          if (idealFreeNs <= intendedNs && now - intendedNs > LATE_SEND_NS) lateSends++;
        }
        return lane.client.send(intendedNs);
      }
      if (now >= windowEndNs) return maybeFinish();
      if (lane.notBeforeNs > now) return wakeAt(lane, lane.notBeforeNs, now);
      lane.timedFromNs = now;
      lane.client.send(now);
    };

    const onResult = (lane: Lane, result: RequestResult) => {
      lane.lastEndNs = result.endNs;
      record(result, lane.timedFromNs);
      if (result.outcome.kind === 'socket') {
        lane.failuresInARow++;
        const backoffMs = Math.min(MAX_BACKOFF_MS, 10 * 2 ** (lane.failuresInARow - 1));
        lane.notBeforeNs = result.endNs + BigInt(Math.round(backoffMs * 1e6));
      } else {
        lane.failuresInARow = 0;
      }
      schedule(lane);
    };

    const maybeFinish = () => {
      if (finished || process.hrtime.bigint() < windowEndNs) return;
      const allIdle = lanes.every((lane) => !lane.client.busy);
      const allSent = !ratePerSecond || lanes.every((lane) => lane.nextIntendedNs >= windowEndNs);
      if (allIdle && allSent) finish();
    };

    const finish = () => {
      if (finished) return;
      finished = true;
      const now = process.hrtime.bigint();
      for (const lane of lanes) {
        clearTimeout(lane.timer);
        const abandoned = lane.client.abandon(now);
        // At the drain deadline a request still unanswered has had its full timeout.
        if (abandoned && abortedAtNs === undefined) record(abandoned, lane.timedFromNs);
        lane.client.destroy();
        // The fixed-rate backlog still due at the drain deadline never went out: it timed out too.
        for (
          let due = lane.nextIntendedNs;
          ratePerSecond && abortedAtNs === undefined && due < windowEndNs;
          due += intervalNs
        ) {
          record({ outcome: { kind: 'timeout' }, intendedNs: due, sentNs: now, endNs: now });
        }
      }
      clearTimeout(windowStartTimer);
      clearTimeout(windowTimer);
      clearTimeout(drainTimer);
      windowEdgeReached('end');
      clearInterval(progressTimer);
      options.signal?.removeEventListener('abort', onAbort);
      const windowEnd = abortedAtNs !== undefined && abortedAtNs < windowEndNs ? abortedAtNs : windowEndNs;
      const trailingNs = windowEnd - (lastAnswerNs ?? windowStartNs);
      // Silence at the end counts only when requests were left waiting in it.
      const leftWaiting =
        lastTimeoutIntendedNs !== undefined &&
        lastTimeoutIntendedNs >=
          (lastAnswerNs ?? windowStartNs) - BigInt(Math.round(plan.requestTimeoutMs * 1e6));
      const longestSilenceNs = leftWaiting && trailingNs > longestGapNs ? trailingNs : longestGapNs;
      resolve({
        windowMs: Math.max(0, msBetween(windowStartNs, windowEnd)),
        requests,
        successes,
        failures,
        statusCodes,
        socketErrors,
        latenciesMs: latencies.toArray(),
        rawLatenciesMs: rawLatencies.toArray(),
        failedLatenciesMs: failedLatencies.toArray(),
        lastAnswerMs: lastAnswerNs === undefined ? undefined : msBetween(windowStartNs, lastAnswerNs),
        longestSilenceMs: Number(longestSilenceNs) / 1e6,
        trailingSilenceMs: leftWaiting ? Math.max(0, Number(trailingNs) / 1e6) : 0,
        abortedAtMs: abortedAtNs === undefined ? undefined : msBetween(windowStartNs, abortedAtNs),
        lateSends,
        queuedSends,
      });
    };

    const onAbort = () => {
      abortedAtNs = process.hrtime.bigint();
      finish();
    };

    const phaseAt = (now: bigint): LoadPhase =>
      now < windowStartNs ? 'warmup' : now < windowEndNs ? 'measure' : 'drain';
    const progressTimer = setInterval(() => {
      const now = process.hrtime.bigint();
      options.onProgress?.({
        phase: phaseAt(now),
        elapsedMs: msBetween(now < windowStartNs ? startNs : windowStartNs, now),
        requests,
        errors: failures.status + failures.timeout + failures.socket,
      });
    }, options.progressIntervalMs ?? 1000);
    let windowEdge: 'before' | 'open' | 'closed' = 'before';
    const windowEdgeReached = (edge: 'start' | 'end') => {
      if (edge === 'start' && windowEdge === 'before') windowEdge = 'open';
      else if (edge === 'end' && windowEdge === 'open') windowEdge = 'closed';
      else return;
      options.onWindow?.(edge);
    };
    const windowStartTimer = setTimeout(() => windowEdgeReached('start'), plan.warmupMs);
    // After the window, idle lanes need a nudge to notice; the drain deadline ends whatever is left.
    const windowTimer = setTimeout(
      () => {
        windowEdgeReached('end');
        maybeFinish();
      },
      Math.ceil(msBetween(startNs, windowEndNs)) + 1,
    );
    const drainTimer = setTimeout(() => finish(), Math.ceil(msBetween(startNs, drainEndNs)) + 50);

    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });

    const spec = {
      url: plan.url,
      method: plan.method,
      headers: plan.headers,
      body: plan.body,
      requestTimeoutMs: plan.requestTimeoutMs,
    };
    for (let i = 0; i < connections; i++) {
      const lane: Lane = {
        client: undefined as unknown as GateClient,
        // Stagger the lanes so the total arrival rate is even.
        nextIntendedNs: ratePerSecond ? startNs + BigInt(Math.round((i / ratePerSecond) * 1e9)) : startNs,
        failuresInARow: 0,
        notBeforeNs: 0n,
        lastEndNs: 0n,
        ownShiftNs: 0n,
        timedFromNs: 0n,
      };
      lane.client = new GateClient(spec, (result) => onResult(lane, result));
      lanes.push(lane);
    }
    for (const lane of lanes) schedule(lane);
  });
}
