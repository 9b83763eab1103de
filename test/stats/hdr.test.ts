import { describe, expect, it } from 'vitest';
import {
  addHistograms,
  bucketsOf,
  decodeHistogram,
  encodeHistogram,
  encodeLatencies,
  HDR_RELATIVE_PRECISION,
  histogramOf,
  percentileMs,
} from '../../src/stats/hdr.js';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';

/** A seeded generator: the same samples every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Latencies with a body and a long tail, like a service's. */
function latencies(n: number, seed: number, scaleMs: number): Float64Array {
  const random = seeded(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scaleMs * (0.2 - Math.log(1 - random()) * (random() < 0.02 ? 20 : 1));
  return out;
}

/** Within the histogram's precision: 1 part in 1000, and the microsecond the samples are recorded in. */
const near = (actualMs: number, exactMs: number) =>
  Math.abs(actualMs - exactMs) <= exactMs * HDR_RELATIVE_PRECISION + 0.001;

const CASES = [
  { name: 'sub-millisecond', samples: latencies(5000, 1, 0.3) },
  { name: 'milliseconds', samples: latencies(20000, 2, 4) },
  { name: 'seconds', samples: latencies(3000, 3, 900) },
  { name: 'one sample', samples: new Float64Array([12.345]) },
  { name: 'two samples', samples: new Float64Array([1, 3000]) },
];

describe('HDR histograms of latencies', () => {
  it.each(CASES)('$name: survives an encode/decode round trip', ({ samples }) => {
    const encoded = encodeHistogram(histogramOf(samples));
    expect(encoded).toMatchObject({ encoding: 'hdr-v2-base64', unit: 'us', significantDigits: 3 });
    const decoded = decodeHistogram(JSON.parse(JSON.stringify(encoded)));
    expect(decoded.totalCount).toBe(samples.length);
    expect(bucketsOf(decoded)).toEqual(bucketsOf(histogramOf(samples)));
  });

  it.each(CASES)('$name: percentiles within the stated precision of the exact ones', ({ samples }) => {
    const exact = summarizeLatencies(samples)!;
    const buckets = bucketsOf(decodeHistogram(encodeHistogram(histogramOf(samples))));
    const checked = (['p50', 'p90', 'p95', 'p99'] as const).map((key) => {
      const p = Number(key.slice(1)) / 100;
      return { key, fromHistogram: percentileMs(buckets, p), exact: exact[key] };
    });
    expect(checked).toHaveLength(4);
    for (const c of checked) expect(near(c.fromHistogram, c.exact), JSON.stringify(c)).toBe(true);
    expect(near(percentileMs(buckets, 1), exact.max)).toBe(true);
    expect(near(percentileMs(buckets, 0), exact.min)).toBe(true);
  });

  it('adds histograms as if every sample had been recorded into one', () => {
    const parts = [latencies(4000, 4, 2), latencies(100, 5, 40), latencies(7000, 6, 0.5)];
    const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      all.set(p, offset);
      offset += p.length;
    }
    const sum = addHistograms(parts.map((p) => decodeHistogram(encodeHistogram(histogramOf(p)))));
    expect(sum.totalCount).toBe(all.length);
    expect(bucketsOf(sum)).toEqual(bucketsOf(histogramOf(all)));
  });

  it('reads no histogram from no samples, and NaN percentiles from an empty one', () => {
    expect(encodeLatencies(new Float64Array())).toBeNull();
    expect(percentileMs(bucketsOf(addHistograms([])), 0.95)).toBeNaN();
  });

  it('refuses an encoding it does not know', () => {
    const encoded = { ...encodeHistogram(histogramOf(new Float64Array([1]))), unit: 'ms' };
    expect(() => decodeHistogram(encoded as never)).toThrow(/unsupported histogram encoding/);
  });

  it('keeps a 20 s shard at 50,000 req/s (1,000,000 latencies) far under 200 KB', () => {
    const encoded = JSON.stringify(encodeLatencies(latencies(1_000_000, 7, 3)));
    // Measured: about 4 KB; a report carries one per endpoint and two per baseline round.
    expect(encoded.length).toBeLessThan(20_000);
  });
});
