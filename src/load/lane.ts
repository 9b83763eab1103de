/** One load connection's state in run-load.ts: its client and its timing between sends. */
import { GateClient, type RequestResult, type RequestSpec } from './gate-client.js';
import type { LaneTimes } from './schedule.js';

/** One connection: its client, fixed-rate timing (schedule.ts), closed-loop backoff and timer. */
export interface Lane extends LaneTimes {
  client: GateClient;
  /** Its place among the connections, 0 first: which per-connection setup values its requests carry. */
  connection: number;
  /** Fixed rate: the index of its next request (see schedule.ts); nextIntendedNs is when that is due. */
  nextIndex: number;
  /** Where the latency of the request in flight starts. */
  timedFromNs: bigint;
  /** The request in flight went out while no other was in flight (its latency is the unloaded one). */
  sentAlone: boolean;
  /** Which part of a mix the request in flight belongs to (0 outside a mix). */
  part: number;
  failuresInARow: number;
  /** Closed loop: after connection failures, not before this (backoff). */
  notBeforeNs: bigint;
  timer?: NodeJS.Timeout;
}

/** Connection `connection`'s lane, its first request due at `nextIntendedNs`; results go to `onResult`. */
export function newLane(
  spec: RequestSpec,
  connection: number,
  nextIntendedNs: bigint,
  onResult: (lane: Lane, result: RequestResult) => void,
): Lane {
  const lane: Lane = {
    client: undefined as unknown as GateClient,
    connection,
    nextIndex: connection,
    nextIntendedNs,
    lastEndNs: 0n,
    ownShiftNs: 0n,
    timedFromNs: 0n,
    sentAlone: false,
    part: 0,
    failuresInARow: 0,
    notBeforeNs: 0n,
  };
  lane.client = new GateClient(spec, (result) => onResult(lane, result));
  return lane;
}
