/** What a fixed-rate window says about the load itself, as warnings for the report. */
import type { GateConfig } from '../config/types.js';
import { formatMs, formatPercent } from '../config/units.js';
import { LATE_SEND_MS } from '../load/run-load.js';
import type { EndpointResult } from '../report/model.js';

/** Warn when more than this share of a fixed-rate window's requests waited for their connection. */
const QUEUED_SENDS_WARN_SHARE = 0.5;
/** Warn when more than this share of a fixed-rate window's requests went out late (see run-load.ts). */
const LATE_SENDS_WARN_SHARE = 0.01;

/**
 * Pure: what a fixed-rate window says about the load itself. Most requests waiting for their connection
 * means too few connections for the rate; many sent late on a free connection means slo-gate fell behind.
 */
export function fixedRateWarnings(e: EndpointResult, load: GateConfig['load']): string[] {
  const rate = load.ratePerSecond;
  if (!rate || e.requests === 0) return [];
  const warnings: string[] = [];
  const queued = e.queuedSends ?? 0;
  if (queued > QUEUED_SENDS_WARN_SHARE * e.requests) {
    const rawMeanMs = e.rawLatencyMs?.mean ?? 0;
    const needed = Math.ceil((rate * rawMeanMs) / 1000);
    warnings.push(
      `${e.name}: ${formatPercent(queued / e.requests)} of requests waited for a free ` +
        `connection, and that wait counts as latency: ${load.connections} connections are too few ` +
        `for ${rate} req/s at ${formatMs(rawMeanMs)} a request` +
        (needed > load.connections ? ` (it takes at least ${needed}); raise load.connections` : ''),
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
