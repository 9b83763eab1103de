/**
 * Why most fixed-rate requests waited for a free connection: too few connections for the rate, or a
 * service that is saturated and would only queue more requests if given more connections.
 *
 * While every connection is busy, the service answers connections / raw latency requests a second
 * (Little's law) in both cases, so that alone does not tell them apart. What does is the raw latency
 * against the service's latency unloaded (a request sent while no other was in flight): when it is far
 * higher, requests are queueing inside the service, and more of them in flight only lengthens the queue.
 * When it is about the same, the service serves each request as fast as ever and the connections are the
 * limit.
 */

/** Raw latency at least this many times the unloaded one means requests queue inside the service. */
export const SATURATED_LATENCY_FACTOR = 2;

/** The figures of a fixed-rate window whose requests mostly waited for their connection. */
export interface QueueingFigures {
  connections: number;
  ratePerSecond: number;
  /** Mean latency from the actual send. */
  rawMeanMs: number;
  /** Median latency of requests sent while no other was in flight; undefined when none was. */
  unloadedLatencyMs?: number;
}

export type QueueDiagnosis =
  /** The service answered at most this many requests a second, however many connections sent them. */
  | { kind: 'saturated'; throughputPerSecond: number; unloadedLatencyMs: number }
  /** Enough connections for the rate at this latency (rate × latency, Little's law). */
  | { kind: 'too-few-connections'; connectionsNeeded: number };

/** Pure: which of the two it is. Without an unloaded latency to compare with, it blames the connections. */
export function diagnoseQueueing(figures: QueueingFigures): QueueDiagnosis {
  const { connections, ratePerSecond, rawMeanMs, unloadedLatencyMs } = figures;
  if (
    unloadedLatencyMs !== undefined &&
    unloadedLatencyMs > 0 &&
    rawMeanMs >= SATURATED_LATENCY_FACTOR * unloadedLatencyMs
  ) {
    return {
      kind: 'saturated',
      throughputPerSecond: rawMeanMs > 0 ? (connections * 1000) / rawMeanMs : 0,
      unloadedLatencyMs,
    };
  }
  return { kind: 'too-few-connections', connectionsNeeded: Math.ceil((ratePerSecond * rawMeanMs) / 1000) };
}
