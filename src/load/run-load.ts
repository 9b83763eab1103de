/**
 * Drives one endpoint: a warmup, then the measured window, then a bounded drain. Every request sent (or,
 * at a fixed rate, due) in the window ends as exactly one sample: answered, failed, or timed out.
 *
 * This is the shell: connections (lanes), timers and abort. When a request is due is schedule.ts; what a
 * result counts as is window.ts. Both are pure.
 *
 * Closed loop (no rate): each connection sends its next request when the previous one ends. Fixed rate:
 * each connection sends on its own staggered schedule, and latency is measured from the intended time
 * (see schedule.ts for the coordinated-omission rules); the latency from the actual send is kept beside
 * it as the raw figure.
 */
import type { RequestResult } from './gate-client.js';
import { newLane, type Lane } from './lane.js';
import {
  backoffMs,
  dueBefore,
  firstIndexDueFrom,
  fixedRateSend,
  intendedAtNs,
  nsFromMs,
  type RateSchedule,
} from './schedule.js';
import { nextActiveNs, stagedShape, type StagedShape, type StageTarget } from './stages.js';
import { MixAccounting, type MixedMeasurement } from './mix-accounting.js';
import { weightedOrder } from './weighted.js';
import { msBetween, type LoadMeasurement } from './window.js';

export { LATE_SEND_MS } from './schedule.js';
export type { LoadMeasurement } from './window.js';
export type { MixedMeasurement } from './mix-accounting.js';

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
  /** The measured window: with `stages`, their sum. */
  durationMs: number;
  /**
   * Load that changes over the window (stages.ts), all by rate (then `connections` open, `ratePerSecond`
   * unset) or all by connections (closed loop).
   */
  stages?: StageTarget[];
  requestTimeoutMs: number;
  /** The timeline's interval (timeline.ts); by default a round one for the window's length. */
  timelineIntervalMs?: number;
  /**
   * A templated endpoint's next request (requests.ts), or undefined when its data ran out (order: unique):
   * then the load stops there. `connection` (0 to connections - 1) is the connection it goes out on, for
   * values a setup request captured per connection. Without it every request is the one prebuilt from url,
   * headers and body.
   */
  nextRequest?: (connection: number) => Buffer | undefined;
}

/**
 * One endpoint of a mixed load (load.mode: mixed): its share of the sends, what counts as its success, and
 * its next request's bytes (undefined when its unique data ran out: then the whole mix stops there).
 */
export interface MixPart {
  weight: number;
  /** Statuses that count as success; undefined means any 2xx. */
  expectStatus?: number[];
  /** `connection`: as LoadPlan.nextRequest's. */
  nextRequest: (connection: number) => Buffer | undefined;
}

export type LoadPhase = 'warmup' | 'measure' | 'drain';

export interface LoadProgress {
  phase: LoadPhase;
  elapsedMs: number;
  /** Requests ended in the measured window so far. */
  requests: number;
  errors: number;
}

export interface LoadOptions {
  onProgress?: (progress: LoadProgress) => void;
  /** Called when the measured window opens and when it closes (resource sampling hangs on these). */
  onWindow?: (edge: 'start' | 'end') => void;
  progressIntervalMs?: number;
  signal?: AbortSignal;
}

export function runLoad(plan: LoadPlan, options: LoadOptions = {}): Promise<LoadMeasurement> {
  return new Promise((resolve) => new LoadRun(plan, [], options, (m) => resolve(m.total)).start());
}

/**
 * Several endpoints over one set of connections, one warmup and one window (issue #10). Which endpoint a
 * request goes to follows smooth weighted round-robin (weighted.ts) over the request's index: at a fixed
 * rate the index of its slot in the schedule, so whatever order the lanes send in, any run of
 * sum(weights) consecutive slots holds each endpoint exactly its weight, and each request is still timed
 * from its slot's intended time; in a closed loop the order of sends.
 */
export function runMixedLoad(
  plan: LoadPlan,
  mix: readonly MixPart[],
  options: LoadOptions = {},
): Promise<MixedMeasurement> {
  return new Promise((resolve) => new LoadRun(plan, mix, options, resolve).start());
}

const nowNs = (): bigint => process.hrtime.bigint();

class LoadRun {
  private readonly startNs = nowNs();
  private readonly windowStartNs: bigint;
  private readonly windowEndNs: bigint;
  /** In-flight requests time out by themselves; the fixed-rate backlog gets the same bound. */
  private readonly drainEndNs: bigint;
  private readonly rate: RateSchedule | undefined;
  /** With stages: their timing (stages.ts). */
  private readonly staged: StagedShape;
  private readonly window: MixAccounting;
  /** Part indices in smooth weighted round-robin order over one cycle (a single 0 outside a mix). */
  private readonly partOrder: number[];
  /** Closed loop: sends so far, which picks the next part. */
  private closedSends = 0;
  private readonly lanes: Lane[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private finished = false;
  /** Requests in flight over all lanes. */
  private inFlight = 0;
  private abortedAtNs: bigint | undefined;
  /** When nextRequest first had no request: a unique data set ran out, and the load stops. */
  private ranOutAtNs: bigint | undefined;
  private windowEdge: 'before' | 'open' | 'closed' = 'before';

  constructor(
    private readonly plan: LoadPlan,
    private readonly mix: readonly MixPart[],
    private readonly options: LoadOptions,
    private readonly resolve: (m: MixedMeasurement) => void,
  ) {
    this.windowStartNs = this.startNs + nsFromMs(plan.warmupMs);
    this.windowEndNs = this.windowStartNs + nsFromMs(plan.durationMs);
    const requestTimeoutNs = nsFromMs(plan.requestTimeoutMs);
    this.drainEndNs = this.windowEndNs + requestTimeoutNs;
    const staged = (this.staged = stagedShape(plan, this.startNs));
    this.rate = plan.ratePerSecond
      ? { startNs: this.startNs, ratePerSecond: plan.ratePerSecond, connections: plan.connections }
      : staged.rate;
    const bounds = { startNs: this.windowStartNs, endNs: this.windowEndNs, requestTimeoutNs };
    const parts = mix.length > 0 ? mix : [plan];
    this.window = new MixAccounting(
      { ...bounds, timelineIntervalMs: plan.timelineIntervalMs },
      parts.map((part) => part.expectStatus),
      staged.stageWindows,
    );
    this.partOrder = mix.length > 0 ? weightedOrder(mix.map((part) => part.weight)) : [0];
  }

  start(): void {
    this.startTimers();
    const { signal } = this.options;
    if (signal?.aborted) return this.onAbort();
    signal?.addEventListener('abort', this.onAbort, { once: true });
    const { plan } = this;
    const spec = {
      url: plan.url,
      method: plan.method,
      headers: plan.headers,
      body: plan.body,
      requestTimeoutMs: plan.requestTimeoutMs,
    };
    for (let i = 0; i < this.staged.lanes; i++) {
      const dueNs = this.rate ? intendedAtNs(this.rate, i) : this.startNs;
      this.lanes.push(newLane(spec, i, dueNs, (lane, result) => this.onResult(lane, result)));
    }
    for (const lane of this.lanes) this.schedule(lane);
  }

  private startTimers(): void {
    const untilNs = (atNs: bigint) => Math.ceil(msBetween(this.startNs, atNs));
    const progressTimer = setInterval(() => this.reportProgress(), this.options.progressIntervalMs ?? 1000);
    const windowStartTimer = setTimeout(() => this.windowEdgeReached('start'), this.plan.warmupMs);
    // After the window, idle lanes need a nudge to notice; the drain deadline ends whatever is left.
    const windowTimer = setTimeout(
      () => {
        this.windowEdgeReached('end');
        this.maybeFinish();
      },
      untilNs(this.windowEndNs) + 1,
    );
    const drainTimer = setTimeout(() => this.finish(), untilNs(this.drainEndNs) + 50);
    this.timers.push(progressTimer, windowStartTimer, windowTimer, drainTimer);
  }

  private schedule(lane: Lane): void {
    if (this.finished || lane.client.busy || lane.timer) return;
    const now = nowNs();
    if (this.rate) {
      // The warmup's backlog is not carried into the window: a warmup warms the service up, and requests
      // due in it but still unsent would have the window measure the warmup's queue instead of its own.
      if (now >= this.windowStartNs && lane.nextIntendedNs < this.windowStartNs) {
        lane.nextIndex = firstIndexDueFrom(this.rate, lane.nextIndex, this.windowStartNs);
        lane.nextIntendedNs = intendedAtNs(this.rate, lane.nextIndex);
      }
      if (lane.nextIntendedNs >= this.windowEndNs) return this.maybeFinish();
      if (lane.nextIntendedNs > now) return this.wakeAt(lane, lane.nextIntendedNs, now);
      lane.part = this.partOf(lane.nextIndex);
      const request = this.nextRequest(now, lane);
      if (request === null) return this.maybeFinish();
      const send = fixedRateSend(lane, now);
      lane.nextIndex += this.rate.connections;
      lane.nextIntendedNs = intendedAtNs(this.rate, lane.nextIndex);
      lane.ownShiftNs = send.ownShiftNs;
      lane.timedFromNs = send.timedFromNs;
      this.window.noteSend(lane.part, send);
      return this.send(lane, send.intendedNs, request);
    }
    if (now >= this.windowEndNs) return this.maybeFinish();
    // Closed-loop stages: a connection sends only while its stage has it on.
    const segments = this.staged.connectionSegments;
    const activeNs = segments ? nextActiveNs(segments, lane.connection, now) : now;
    if (activeNs === undefined) return this.maybeFinish();
    if (activeNs > now) return this.wakeAt(lane, activeNs, now);
    if (lane.notBeforeNs > now) return this.wakeAt(lane, lane.notBeforeNs, now);
    lane.part = this.partOf(this.closedSends);
    const request = this.nextRequest(now, lane);
    if (request === null) return this.maybeFinish();
    this.closedSends++;
    lane.timedFromNs = now;
    this.send(lane, now, request);
  }

  /** The part of the mix that request `index` goes to. */
  private partOf(index: number): number {
    return this.partOrder[index % this.partOrder.length]!;
  }

  /** The templated request to send, undefined for the prebuilt one, null once the data has run out. */
  private nextRequest(now: bigint, lane: Lane): Buffer | undefined | null {
    if (this.ranOutAtNs !== undefined) return null;
    const next = this.mix.length > 0 ? this.mix[lane.part]!.nextRequest : this.plan.nextRequest;
    if (!next) return undefined;
    const request = next(lane.connection);
    if (request) return request;
    this.ranOutAtNs = now;
    return null;
  }

  private send(lane: Lane, intendedNs: bigint, request: Buffer | undefined): void {
    lane.sentAlone = this.inFlight === 0;
    this.inFlight++;
    lane.client.send(intendedNs, request);
  }

  private wakeAt(lane: Lane, atNs: bigint, now: bigint): void {
    lane.timer = setTimeout(
      () => {
        lane.timer = undefined;
        this.schedule(lane);
      },
      msBetween(now, atNs),
    );
  }

  private onResult(lane: Lane, result: RequestResult): void {
    lane.lastEndNs = result.endNs;
    this.inFlight--;
    this.window.record(lane.part, result, lane.timedFromNs);
    if (lane.sentAlone) this.window.recordUnloaded(lane.part, result);
    lane.failuresInARow = result.outcome.kind === 'socket' ? lane.failuresInARow + 1 : 0;
    if (lane.failuresInARow > 0) lane.notBeforeNs = result.endNs + nsFromMs(backoffMs(lane.failuresInARow));
    this.schedule(lane);
  }

  private maybeFinish(): void {
    const ranOut = this.ranOutAtNs !== undefined;
    if (this.finished || (nowNs() < this.windowEndNs && !ranOut)) return;
    const allIdle = this.lanes.every((lane) => !lane.client.busy);
    const allSent =
      !this.rate || ranOut || this.lanes.every((lane) => lane.nextIntendedNs >= this.windowEndNs);
    if (allIdle && allSent) this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    const now = nowNs();
    const aborted = this.abortedAtNs !== undefined;
    for (const lane of this.lanes) {
      clearTimeout(lane.timer);
      const abandoned = lane.client.abandon(now);
      // At the drain deadline a request still unanswered has had its full timeout.
      if (abandoned && !aborted) this.window.record(lane.part, abandoned, lane.timedFromNs);
      lane.client.destroy();
      // The fixed-rate backlog still due at the drain deadline never went out: it timed out too. After the
      // data ran out nothing more was due: the window ends there.
      if (aborted || !this.rate || this.ranOutAtNs !== undefined) continue;
      const rate = this.rate;
      dueBefore(rate, lane.nextIndex, this.windowEndNs).forEach((due, i) => {
        const index = lane.nextIndex + i * rate.connections;
        this.window.recordUnsent(this.partOf(index), due, now);
      });
    }
    for (const timer of this.timers) clearTimeout(timer);
    this.windowEdgeReached('end');
    this.options.signal?.removeEventListener('abort', this.onAbort);
    this.resolve(this.window.close(this.abortedAtNs, this.ranOutAtNs));
  }

  private readonly onAbort = (): void => {
    this.abortedAtNs = nowNs();
    this.finish();
  };

  private reportProgress(): void {
    const now = nowNs();
    const phase: LoadPhase =
      now < this.windowStartNs ? 'warmup' : now < this.windowEndNs ? 'measure' : 'drain';
    this.options.onProgress?.({
      phase,
      elapsedMs: msBetween(now < this.windowStartNs ? this.startNs : this.windowStartNs, now),
      ...this.window.progress(),
    });
  }

  private windowEdgeReached(edge: 'start' | 'end'): void {
    if (edge === 'start' && this.windowEdge === 'before') this.windowEdge = 'open';
    else if (edge === 'end' && this.windowEdge === 'open') this.windowEdge = 'closed';
    else return;
    this.options.onWindow?.(edge);
  }
}
