/**
 * When requests are due, as pure arithmetic given `now` (monotonic nanoseconds).
 *
 * Fixed rate: request n is due at start + n/rate; connection i sends requests i, i + connections, …. Latency is measured from that
 * intended time, so a server that stalls is charged for the requests it kept waiting behind a slow answer
 * (coordinated omission, corrected as wrk2 does), but not for the gate's own lateness: a timer that fires
 * ~1 ms late, or a load generator starved of CPU. Each connection keeps its "own shift", how much later
 * than a perfect client its request went out: the time it was both due and free (its previous request's
 * answer, less that request's own shift) until it was sent. A request is timed from its intended time
 * plus its own shift. Sends over LATE_SEND_MS late are counted, so a gate that could not hold the rate
 * says so; so are requests that had to wait for their connection to be free, which, when most do, means
 * too few connections for the rate at this latency.
 *
 * Closed loop: a connection sends when its previous request ends, backing off after socket failures.
 */
import { stagedIntendedAtNs, type StagedRate } from './stages.js';
import type { SendNote } from './window.js';

/** A fixed-rate send on a free connection later than this after its intended time counts as late. */
export const LATE_SEND_MS = 5;
const LATE_SEND_NS = BigInt(LATE_SEND_MS * 1e6);
/** Consecutive connection failures back off up to this, so a refused port is not a request storm. */
export const MAX_BACKOFF_MS = 1000;

export { nsFromMs } from './stages.js';

/** A fixed arrival rate from `startNs`: request n (0, 1, 2, …, over all connections) is due at start + n/rate. */
export interface FixedRate {
  startNs: bigint;
  ratePerSecond: number;
  connections: number;
}

/** A fixed rate, or stages whose rate changes over time (stages.ts); both send request n at its due time. */
export type RateSchedule = FixedRate | StagedRate;

/**
 * When request `index` is due. Computed from the index, never by adding a rounded interval, so that
 * rounding cannot pull the request due exactly at the end of a window into it: [start, end) holds exactly
 * rate × duration requests.
 */
export function intendedAtNs(rate: RateSchedule, index: number): bigint {
  if ('segments' in rate) return stagedIntendedAtNs(rate, index);
  return rate.startNs + BigInt(Math.round((index * 1e9) / rate.ratePerSecond));
}

/**
 * The first index at or after `fromIndex` on the same connection (connection i sends requests i,
 * i + connections, …) that is due at or after `atNs`.
 */
export function firstIndexDueFrom(rate: RateSchedule, fromIndex: number, atNs: bigint): number {
  let index = fromIndex;
  while (intendedAtNs(rate, index) < atNs) index += rate.connections;
  return index;
}

/** The intended times of one connection's requests from `fromIndex` on that fall before `untilNs`. */
export function dueBefore(rate: RateSchedule, fromIndex: number, untilNs: bigint): bigint[] {
  const due: bigint[] = [];
  for (let index = fromIndex; intendedAtNs(rate, index) < untilNs; index += rate.connections) {
    due.push(intendedAtNs(rate, index));
  }
  return due;
}

/** Fixed rate: one connection's timing state between sends. */
export interface LaneTimes {
  /** When its next request is due. */
  nextIntendedNs: bigint;
  /** When its last request ended (0 before the first). */
  lastEndNs: bigint;
  /** How much later than a perfect client its last request went out. */
  ownShiftNs: bigint;
}

/** A fixed-rate send decided at `now`: when it was due, where its latency starts, and how it went out. */
export interface FixedRateSend extends SendNote {
  timedFromNs: bigint;
  ownShiftNs: bigint;
}

/** The send of the request due next on a connection that is free at `nowNs` (and due: nextIntendedNs ≤ now). */
export function fixedRateSend(lane: LaneTimes, nowNs: bigint): FixedRateSend {
  const intendedNs = lane.nextIntendedNs;
  // A perfect client would have had this connection free when its last answer came, less the lateness that
  // answer inherited from our own late send.
  const idealFreeNs = lane.lastEndNs - lane.ownShiftNs;
  const dueAndFreeNs = idealFreeNs > intendedNs ? idealFreeNs : intendedNs;
  const ownShiftNs = nowNs > dueAndFreeNs ? nowNs - dueAndFreeNs : 0n;
  return {
    intendedNs,
    timedFromNs: intendedNs + ownShiftNs,
    ownShiftNs,
    queued: lane.lastEndNs > intendedNs,
    // Late: a perfect client would have sent it on time, and we did not. (Not the shift carried along a
    // backlog, which grows by our few microseconds per request when the connection is never free.)
    late: idealFreeNs <= intendedNs && nowNs - intendedNs > LATE_SEND_NS,
  };
}

/** Closed loop: the wait before the next attempt after `failuresInARow` socket failures (0: none). */
export function backoffMs(failuresInARow: number): number {
  return failuresInARow === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 10 * 2 ** (failuresInARow - 1));
}
