import { describe, expect, it } from 'vitest';
import { latencyHistogram } from '../../src/stats/latency-histogram.js';

describe('latencyHistogram', () => {
  it('is undefined without samples', () => expect(latencyHistogram(new Float64Array())).toBeUndefined());

  it('counts every sample once, in log-spaced buckets from the fastest to the slowest', () => {
    const samples = Float64Array.from([1, 1, 2, 4, 8, 16, 16, 16]);
    const h = latencyHistogram(samples, 4)!;
    expect(h.upperMs).toEqual([2, 4, 8, 16]);
    // [1,2) [2,4) [4,8) [8,16]: edges belong to the bucket above, the top edge to the last.
    expect(h.counts).toEqual([2, 1, 1, 4]);
    expect(h.counts.reduce((a, b) => a + b)).toBe(samples.length);
  });

  it('puts a single repeated value in the first bucket, under edges that do not fall below it', () => {
    const h = latencyHistogram(Float64Array.from([5, 5, 5]), 3)!;
    expect(h.counts).toEqual([3, 0, 0]);
    expect(h.upperMs).toHaveLength(3);
    for (const [i, edge] of h.upperMs.entries()) {
      expect(edge).toBeGreaterThanOrEqual(5);
      if (i > 0) expect(edge).toBeGreaterThanOrEqual(h.upperMs[i - 1]!);
    }
  });
});
