import { describe, expect, it } from 'vitest';
import { formatHistogramEdge } from '../../src/report/format.js';
import { histogramEdgesMs, latencyHistogram } from '../../src/stats/latency-histogram.js';

/** `count` samples spread evenly from `fromMs` to `toMs`, both included. */
const spread = (fromMs: number, toMs: number, count: number) =>
  Float64Array.from({ length: count }, (_, i) => fromMs + ((toMs - fromMs) * i) / (count - 1));

/** Each sample's bucket found the slow way: the first upper edge at or above it. */
const expectedCounts = (samples: Float64Array, upperMs: number[]) => {
  const counts = upperMs.map(() => 0);
  for (const v of samples)
    counts[
      Math.max(
        0,
        upperMs.findIndex((edge) => v <= edge),
      )
    ]!++;
  return counts;
};

describe('latencyHistogram', () => {
  it('is undefined without samples', () => expect(latencyHistogram(new Float64Array())).toBeUndefined());

  // Issue #14 item 14: /delay/0.2 at 10 connections, every latency ~1000-1015 ms, read "≤ 1.01 s" on every bar.
  it.each([
    {
      name: 'wide spread: 1-2-5 steps on a log scale',
      samples: Float64Array.from([0.8, 1.5, 3, 3, 7, 12, 40, 40, 90, 150, 480, 950]),
      upperMs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      counts: [1, 1, 2, 1, 1, 2, 1, 1, 1, 1],
    },
    {
      name: 'very wide spread: decades',
      samples: Float64Array.from([0.05, 0.5, 5, 50, 500, 5000, 30_000]),
      upperMs: [0.1, 1, 10, 100, 1000, 10_000, 100_000],
      counts: [1, 1, 1, 1, 1, 1, 1],
    },
    {
      name: 'narrow spread (the /delay/0.2 case): 2 ms steps',
      samples: spread(1000.3, 1015, 50),
      upperMs: [1002, 1004, 1006, 1008, 1010, 1012, 1014, 1016],
    },
    {
      name: 'moderate spread: linear steps of 5',
      samples: spread(10, 45, 36),
      upperMs: [10, 15, 20, 25, 30, 35, 40, 45],
    },
    {
      name: 'a single value: one bin at it',
      samples: Float64Array.from([5, 5, 5]),
      upperMs: [5],
      counts: [3],
    },
    {
      name: 'a single odd value: one bin at the next round edge',
      samples: Float64Array.from([1012.345]),
      upperMs: [1013],
      counts: [1],
    },
    {
      name: 'sub-millisecond: steps of 0.05 ms',
      samples: spread(0.05, 0.3, 26),
      upperMs: [0.05, 0.1, 0.15, 0.2, 0.25, 0.3],
    },
    {
      name: 'sub-millisecond, narrow: steps of 0.002 ms',
      samples: spread(0.101, 0.115, 15),
      upperMs: [0.102, 0.104, 0.106, 0.108, 0.11, 0.112, 0.114, 0.116],
    },
  ])('$name', ({ samples, upperMs, counts }) => {
    const h = latencyHistogram(samples)!;
    expect(h.upperMs).toEqual(upperMs);
    expect(h.counts).toEqual(counts ?? expectedCounts(samples, upperMs));
    expect(h.counts.reduce((a, b) => a + b)).toBe(samples.length);
    // Few bins, increasing edges, covering every sample, and labels a reader can tell apart.
    expect(h.upperMs.length).toBeLessThanOrEqual(10);
    for (let i = 1; i < h.upperMs.length; i++) expect(h.upperMs[i]!).toBeGreaterThan(h.upperMs[i - 1]!);
    expect(h.upperMs.at(-1)!).toBeGreaterThanOrEqual(Math.max(...samples));
    const labels = h.upperMs.map(formatHistogramEdge);
    expect(new Set(labels).size).toBe(labels.length);
    for (const label of labels) expect(label.length).toBeLessThanOrEqual(9);
  });

  it('draws the finite samples and counts a non-finite one in the last bucket', () => {
    const h = latencyHistogram(Float64Array.from([2, 3, Number.POSITIVE_INFINITY]))!;
    expect(h.upperMs).toEqual([2, 2.2, 2.4, 2.6, 2.8, 3]);
    expect(h.counts).toEqual([1, 0, 0, 0, 0, 2]);
    expect(latencyHistogram(Float64Array.from([Number.NaN]))).toBeUndefined();
  });

  it('counts a sample on an edge in the bucket that edge closes, as its "≤" label says', () => {
    const samples = Float64Array.from([1, 1, 2, 4, 8, 16, 16, 16]);
    const h = latencyHistogram(samples)!;
    expect(h.upperMs).toEqual([1, 2, 5, 10, 20]);
    expect(h.counts).toEqual([2, 1, 1, 1, 3]);
  });
});

describe('histogramEdgesMs', () => {
  it.each([
    [1000.3, 1015, 10, [1002, 1004, 1006, 1008, 1010, 1012, 1014, 1016]],
    // Fewer bins allowed: a coarser round step.
    [1000.3, 1015, 4, [1005, 1010, 1015]],
    [0.8, 950, 10, [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]],
    [0.8, 950, 5, [1, 10, 100, 1000]],
    // More decades than bins: every other decade, down from the one that covers the slowest sample.
    [0.001, 1e8, 10, [0.01, 1, 100, 10_000, 1_000_000, 100_000_000]],
    // Edges that floating point makes inexact (0.1 + 0.2) come out as written.
    [0.1, 0.3, 10, [0.1, 0.125, 0.15, 0.175, 0.2, 0.225, 0.25, 0.275, 0.3]],
  ])('%d…%d ms in at most %d bins → %j', (minMs, maxMs, maxBins, upperMs) => {
    expect(histogramEdgesMs(minMs, maxMs, maxBins)).toEqual(upperMs);
  });
});

describe('formatHistogramEdge', () => {
  it.each([
    [0.05, '0.05 ms'],
    [0.1 + 0.2, '0.3 ms'],
    [2.5, '2.5 ms'],
    [999, '999 ms'],
    [1000, '1 s'],
    [1002, '1.002 s'],
    [1002.5, '1.0025 s'],
    [20_000, '20 s'],
  ])('%d → %j', (ms, label) => expect(formatHistogramEdge(ms)).toBe(label));
});
