/** A coarse picture of a latency distribution, for the PR comment's chart. */
export interface LatencyHistogram {
  /** Upper edge of each bucket, ms; the first bucket starts at the fastest sample. */
  upperMs: number[];
  counts: number[];
}

/**
 * `buckets` bins with edges spaced evenly on a log scale from the fastest to the slowest sample, where
 * latency distributions are readable (a long tail does not squash the body into one bar).
 */
export function latencyHistogram(samplesMs: Float64Array, buckets = 12): LatencyHistogram | undefined {
  if (samplesMs.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of samplesMs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const low = Math.max(min, 0.001);
  const high = Math.max(max, low * 1.0001);
  const ratio = Math.log(high / low) / buckets;
  const upperMs = Array.from(
    { length: buckets },
    (_, i) => Math.round(low * Math.exp(ratio * (i + 1)) * 1000) / 1000,
  );
  upperMs[buckets - 1] = Math.round(high * 1000) / 1000;
  const counts = new Array<number>(buckets).fill(0);
  for (const v of samplesMs) {
    const index = v <= low ? 0 : Math.min(buckets - 1, Math.floor(Math.log(v / low) / ratio));
    counts[index]!++;
  }
  return { upperMs, counts };
}
