/** A coarse picture of a latency distribution, for the PR comment's chart. */
export interface LatencyHistogram {
  /**
   * Upper edge of each bucket, ms, increasing; a bucket holds the samples above the previous edge up to and
   * including its own (the first from the fastest sample), so a chart can label it "≤ edge".
   */
  upperMs: number[];
  counts: number[];
}

/** At most this many bars: the chart must stay readable at comment width. */
const MAX_BINS = 10;
/** A log scale needs this many bins to say something; a narrower spread gets even linear steps. */
const MIN_LOG_BINS = 5;
/** Round steps of a log scale, per decade: 1-2-5 first, whole decades when that is too many bins. */
const LOG_LADDERS = [[1, 2, 5], [1]];
/** Round steps of a linear scale, per decade (the finer 2.5 keeps a narrow spread in enough bins). */
const LINEAR_STEPS = [1, 2, 2.5, 5];
/** Edges never go finer than 4 significant digits of the slowest sample: labels stay short. */
const SIGNIFICANT_DIGITS = 4;
/** Edges start no lower than a microsecond: HTTP latencies are never shorter, and labels stay short. */
const FLOOR_MS = 0.001;
/** Tolerance of floating point when a value is divided by a step: 0.3 / 0.1 is 2.9999999999999996. */
const EPSILON = 1e-9;

/** A round value as written: 0.1 + 0.2 → 0.3, so edges compare and print as they were meant. */
const roundValue = (value: number) => Number(value.toPrecision(12));

/** The values of a ladder (mantissas × powers of ten) from the first ≥ low to the first ≥ high. */
function ladderEdges(lowMs: number, highMs: number, mantissas: number[]): number[] {
  const edges: number[] = [];
  for (let exponent = Math.floor(Math.log10(lowMs)); ; exponent++) {
    for (const mantissa of mantissas) {
      const edge = roundValue(mantissa * 10 ** exponent);
      if (edge >= lowMs || edges.length > 0) edges.push(edge);
      if (edge >= highMs) return edges;
    }
  }
}

/** Evenly spaced edges at the finest round step that covers low…high in at most `maxBins` bins. */
function linearEdges(lowMs: number, highMs: number, maxBins: number): number[] {
  for (let exponent = Math.floor(Math.log10(highMs)) - SIGNIFICANT_DIGITS + 1; ; exponent++) {
    for (const mantissa of LINEAR_STEPS) {
      const step = mantissa * 10 ** exponent;
      const first = Math.ceil(lowMs / step - EPSILON);
      const last = Math.ceil(highMs / step - EPSILON);
      if (last - first + 1 <= maxBins) {
        return Array.from({ length: last - first + 1 }, (_, i) => roundValue((first + i) * step));
      }
    }
  }
}

/**
 * Upper bucket edges at round values for samples from `minMs` to `maxMs`: 1-2-5 steps on a log scale when
 * the spread is wide (1, 2, 5, 10, 20 ms …), so a long tail does not squash the body into one bar; even steps
 * of 1, 2, 2.5 or 5 × 10^k when it is narrow (1002, 1004, 1006 ms …), so the bars still differ.
 */
export function histogramEdgesMs(minMs: number, maxMs: number, maxBins = MAX_BINS): number[] {
  // The ladders below climb until they pass highMs: an infinite or NaN bound would never end.
  if (!Number.isFinite(minMs) || !Number.isFinite(maxMs))
    throw new RangeError(`histogram of ${minMs}…${maxMs} ms`);
  const lowMs = Math.max(minMs, FLOOR_MS);
  const highMs = Math.max(maxMs, lowMs);
  // Wide or narrow is judged on the finest ladder; a wide spread then takes the finest that fits.
  const wide = ladderEdges(lowMs, highMs, LOG_LADDERS[0]!).length >= Math.min(MIN_LOG_BINS, maxBins);
  if (!wide) return linearEdges(lowMs, highMs, maxBins);
  for (const ladder of LOG_LADDERS) {
    const edges = ladderEdges(lowMs, highMs, ladder);
    if (edges.length <= maxBins) return edges;
  }
  // More decades than bins: every n-th decade, counted back from the one that covers the slowest sample.
  const decades = ladderEdges(lowMs, highMs, [1]);
  const stride = Math.ceil(decades.length / maxBins);
  return decades.filter((_, i) => (decades.length - 1 - i) % stride === 0);
}

/** The first bucket whose upper edge is at or above the value; the last for anything above them all. */
function bucketOf(upperMs: number[], valueMs: number): number {
  let low = 0;
  let high = upperMs.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (valueMs <= upperMs[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** The samples counted into round-edged buckets (see histogramEdgesMs). */
export function latencyHistogram(samplesMs: Float64Array, maxBins = MAX_BINS): LatencyHistogram | undefined {
  if (samplesMs.length === 0) return undefined;
  let min = Infinity;
  let max = -Infinity;
  for (const v of samplesMs) {
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // Only non-finite samples: nothing to draw. Otherwise such a sample lands in the last bucket.
  if (min > max) return undefined;
  const upperMs = histogramEdgesMs(min, max, maxBins);
  const counts = new Array<number>(upperMs.length).fill(0);
  for (const v of samplesMs) counts[bucketOf(upperMs, v)]!++;
  return { upperMs, counts };
}

/**
 * The same buckets from distinct values and their counts (a merged HDR histogram's, issue #12), with edges
 * from the exact fastest and slowest samples, as a run draws them.
 */
export function latencyHistogramOfCounts(
  valuesMs: readonly number[],
  counts: readonly number[],
  range: { minMs: number; maxMs: number },
  maxBins = MAX_BINS,
): LatencyHistogram | undefined {
  if (valuesMs.length === 0) return undefined;
  const upperMs = histogramEdgesMs(range.minMs, range.maxMs, maxBins);
  const bucketCounts = new Array<number>(upperMs.length).fill(0);
  valuesMs.forEach((v, i) => (bucketCounts[bucketOf(upperMs, v)]! += counts[i]!));
  return { upperMs, counts: bucketCounts };
}
