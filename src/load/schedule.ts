/**
 * When requests are due, as pure arithmetic given `now` (monotonic nanoseconds).
 *
 * Fixed rate: connection i sends at start + i/rate + k·connections/rate. Latency is measured from that
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
import type { SendNote } from './window.js';

/** A fixed-rate send on a free connection later than this after its intended time counts as late. */
export const LATE_SEND_MS = 5;
const LATE_SEND_NS = BigInt(LATE_SEND_MS * 1e6);
/** Consecutive connection failures back off up to this, so a refused port is not a request storm. */
export const MAX_BACKOFF_MS = 1000;

export const nsFromMs = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

/** Fixed rate: the first intended send of connection `lane`, staggered so the total arrival is even. */
export function firstIntendedNs(startNs: bigint, lane: number, ratePerSecond: number): bigint {
  return startNs + BigInt(Math.round((lane / ratePerSecond) * 1e9));
}

/** Fixed rate: the time between two sends of one connection. */
export function laneIntervalNs(connections: number, ratePerSecond: number): bigint {
  return BigInt(Math.round((connections / ratePerSecond) * 1e9));
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

/** Fixed rate: the intended times from `nextIntendedNs` on that fall before `untilNs` (a lane's backlog). */
export function dueBefore(nextIntendedNs: bigint, untilNs: bigint, intervalNs: bigint): bigint[] {
  const due: bigint[] = [];
  if (intervalNs <= 0n) return due;
  for (let at = nextIntendedNs; at < untilNs; at += intervalNs) due.push(at);
  return due;
}

/** Closed loop: the wait before the next attempt after `failuresInARow` socket failures (0: none). */
export function backoffMs(failuresInARow: number): number {
  return failuresInARow === 0 ? 0 : Math.min(MAX_BACKOFF_MS, 10 * 2 ** (failuresInARow - 1));
}
