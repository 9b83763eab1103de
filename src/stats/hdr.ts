/**
 * HDR histograms of latencies (issue #12): what a report carries so that shard reports merge exactly.
 * Adding two histograms loses nothing; a percentile read from one is within its precision (3 significant
 * digits: 1 part in 1000) of the exact value. Recorded in whole microseconds, encoded in the standard
 * compressed base64 form ("V2", as HdrHistogram's Java, C and Go ports read it).
 */
import { build, decodeFromCompressedBase64, encodeIntoCompressedBase64, JsHistogram } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

/** The histogram as it stands in a JSON report: `endpoints[].histogram` and per baseline round. */
export interface EncodedHistogram {
  encoding: 'hdr-v2-base64';
  unit: 'us';
  significantDigits: 3;
  /** HdrHistogram's compressed V2 encoding, base64. */
  data: string;
}

export const HDR_SIGNIFICANT_DIGITS = 3;
/** Relative error of a value read from the histogram: 3 significant digits. */
export const HDR_RELATIVE_PRECISION = 10 ** -HDR_SIGNIFICANT_DIGITS;

/**
 * The pure JS build: the WebAssembly one needs an async init and is no faster at our sizes. 64-bit counts,
 * so that 16 shards of millions of requests add without overflow.
 */
export function emptyHistogram(): JsHistogram {
  const histogram = build({
    bitBucketSize: 64,
    numberOfSignificantValueDigits: HDR_SIGNIFICANT_DIGITS,
    useWebAssembly: false,
  });
  if (!(histogram instanceof JsHistogram)) throw new Error('hdr-histogram-js did not build a JS histogram');
  return histogram;
}

/** Latencies in ms recorded in whole microseconds; non-finite samples are left out. */
export function histogramOf(latenciesMs: Float64Array): JsHistogram {
  const histogram = emptyHistogram();
  for (const ms of latenciesMs) {
    if (Number.isFinite(ms)) histogram.recordValue(Math.max(0, Math.round(ms * 1000)));
  }
  return histogram;
}

export function encodeHistogram(histogram: Histogram): EncodedHistogram {
  return {
    encoding: 'hdr-v2-base64',
    unit: 'us',
    significantDigits: HDR_SIGNIFICANT_DIGITS,
    data: encodeIntoCompressedBase64(histogram),
  };
}

/** Null when there is nothing to record: a report says "no samples" rather than carrying an empty one. */
export function encodeLatencies(latenciesMs: Float64Array): EncodedHistogram | null {
  return latenciesMs.length === 0 ? null : encodeHistogram(histogramOf(latenciesMs));
}

/** A histogram in a report that cannot be read: callers say which report it came from. */
export class HistogramDecodeError extends Error {}

export function decodeHistogram(encoded: EncodedHistogram): JsHistogram {
  if (encoded.encoding !== 'hdr-v2-base64' || encoded.unit !== 'us' || typeof encoded.data !== 'string') {
    throw new HistogramDecodeError(`unsupported histogram encoding ${encoded.encoding} in ${encoded.unit}`);
  }
  let histogram;
  try {
    histogram = decodeFromCompressedBase64(encoded.data, 64, false);
  } catch (error) {
    throw new HistogramDecodeError(`histogram data is not hdr-v2-base64 (${(error as Error).message})`);
  }
  if (!(histogram instanceof JsHistogram)) throw new Error('hdr-histogram-js did not decode a JS histogram');
  return histogram;
}

/** The sum of histograms: every sample of each, as if recorded into one. */
export function addHistograms(histograms: readonly JsHistogram[]): JsHistogram {
  const sum = emptyHistogram();
  for (const histogram of histograms) sum.add(histogram);
  return sum;
}

/** A histogram's distinct recorded values (the middle of each bucket, µs) and their counts, ascending. */
export interface HistogramBuckets {
  valuesUs: number[];
  counts: number[];
  total: number;
}

export function bucketsOf(histogram: JsHistogram): HistogramBuckets {
  const valuesUs: number[] = [];
  const counts: number[] = [];
  let total = 0;
  const iterator = histogram.recordedValuesIterator;
  iterator.reset();
  while (iterator.hasNext()) {
    const step = iterator.next();
    valuesUs.push(histogram.medianEquivalentValue(step.valueIteratedTo));
    counts.push(step.countAtValueIteratedTo);
    total += step.countAtValueIteratedTo;
  }
  return { valuesUs, counts, total };
}

/** The value of the sample at 0-based rank `rank` in sorted order, µs. */
function valueAtRank(buckets: HistogramBuckets, rank: number): number {
  let seen = 0;
  for (let i = 0; i < buckets.counts.length; i++) {
    seen += buckets.counts[i]!;
    if (seen > rank) return buckets.valuesUs[i]!;
  }
  return buckets.valuesUs.at(-1) ?? 0;
}

/**
 * The percentile `p` (0…1) in ms, by the same definition as the exact summary (linear interpolation between
 * the closest ranks, rank (n-1)·p), so the two differ only by the histogram's precision. NaN when empty.
 */
export function percentileMs(buckets: HistogramBuckets, p: number): number {
  if (buckets.total === 0) return NaN;
  const rank = (buckets.total - 1) * p;
  const low = valueAtRank(buckets, Math.floor(rank));
  const high = valueAtRank(buckets, Math.ceil(rank));
  return (low + (rank - Math.floor(rank)) * (high - low)) / 1000;
}
