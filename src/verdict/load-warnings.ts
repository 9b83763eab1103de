/** What a fixed-rate window says about the load itself, as warnings for the report. */
import type { GateConfig } from '../config/types.js';
import { formatMs, formatPercent } from '../report/format.js';
import { diagnoseQueueing } from '../load/queue-diagnosis.js';
import { LATE_SEND_MS } from '../load/run-load.js';
import type { EndpointResult } from '../report/model.js';
import { peakOfferedRate } from './stage-results.js';

/** Warn when more than this share of a fixed-rate window's requests waited for their connection. */
const QUEUED_SENDS_WARN_SHARE = 0.5;
/** Warn when more than this share of a fixed-rate window's requests went out late (see run-load.ts). */
const LATE_SENDS_WARN_SHARE = 0.01;
/**
 * No load warning on fewer requests: below 20, one request is 5% or more of them, so a single late timer
 * or slow answer would decide a share; from 20, half queued is 10 requests.
 */
const MIN_WARNING_REQUESTS = 20;

/**
 * Pure: what a fixed-rate window says about the load itself. Most requests waiting for their connection
 * means too few connections for the rate; many sent late on a free connection means slo-gate fell behind.
 */
export function fixedRateWarnings(e: EndpointResult, load: GateConfig['load']): string[] {
  // With stages by rate, the connections must keep up with the top of the ramp.
  const rate = peakOfferedRate(load);
  if (!rate || e.requests < MIN_WARNING_REQUESTS) return [];
  const warnings: string[] = [];
  const queued = e.queuedSends ?? 0;
  if (queued > QUEUED_SENDS_WARN_SHARE * e.requests) {
    const rawMeanMs = e.rawLatencyMs?.mean ?? 0;
    const { connections } = load;
    const why = diagnoseQueueing({
      connections,
      ratePerSecond: rate,
      rawMeanMs,
      unloadedLatencyMs: e.unloadedLatencyMs ?? undefined,
    });
    const waited = `${e.name}: ${formatPercent(queued / e.requests)} of requests waited for a free connection, and that wait counts as latency: `;
    warnings.push(
      why.kind === 'saturated'
        ? waited +
            `the service is saturated, not short of connections: it answered about ${why.throughputPerSecond.toFixed(1)} req/s ` +
            `of the ${rate} asked, at ${formatMs(rawMeanMs)} a request against ${formatMs(why.unloadedLatencyMs)} unloaded; ` +
            `more connections would only queue longer inside it`
        : waited +
            `${connections} connections are too few for ${rate} req/s at ${formatMs(rawMeanMs)} a request` +
            (why.connectionsNeeded > connections
              ? ` (it takes at least ${why.connectionsNeeded}); raise load.connections`
              : ''),
    );
  }
  const late = e.lateSends ?? 0;
  if (late > LATE_SENDS_WARN_SHARE * e.requests) {
    warnings.push(
      `${e.name}: slo-gate could not hold ${rate} req/s: ` +
        `${formatPercent(late / e.requests)} of requests went out over ${LATE_SEND_MS} ms late ` +
        `on a free connection (the load generator's CPU was busy); fewer connections or a lower rate may help`,
    );
  }
  return warnings;
}
