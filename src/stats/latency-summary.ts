import { quantileSorted } from 'simple-statistics';

/** Exact statistics of a set of latency samples, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  max: number;
  min: number;
  mean: number;
}

/** Samples are kept at nanosecond precision; figures are reported to the microsecond. */
const roundToMicroseconds = (ms: number) => Math.round(ms * 1000) / 1000;

/**
 * Percentiles computed from every sample, not from autocannon's histogram, which has no p95 and floors to
 * whole milliseconds. The definition is simple-statistics' quantileSorted: linear interpolation between the
 * closest ranks (numpy's default, R's type 7). Undefined when there are no samples.
 */
export function summarizeLatencies(samplesMs: Float64Array): LatencySummary | undefined {
  if (samplesMs.length === 0) return undefined;
  const sorted = samplesMs.slice().sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const at = (p: number) => roundToMicroseconds(quantileSorted(sorted as unknown as number[], p));
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: roundToMicroseconds(sorted[sorted.length - 1]!),
    min: roundToMicroseconds(sorted[0]!),
    mean: roundToMicroseconds(sum / sorted.length),
  };
}
