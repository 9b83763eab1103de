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

/**
 * Percentiles computed from every sample (nearest rank, as simple-statistics defines it), not from
 * autocannon's histogram, which has no p95 and floors to whole milliseconds. Undefined when there are none.
 */
export function summarizeLatencies(samplesMs: Float64Array): LatencySummary | undefined {
  if (samplesMs.length === 0) return undefined;
  const sorted = samplesMs.slice().sort();
  let sum = 0;
  for (const value of sorted) sum += value;
  const at = (p: number) => quantileSorted(sorted as unknown as number[], p);
  return {
    count: sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p95: at(0.95),
    p99: at(0.99),
    max: sorted[sorted.length - 1]!,
    min: sorted[0]!,
    mean: sum / sorted.length,
  };
}
