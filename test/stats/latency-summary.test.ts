import { describe, expect, it } from 'vitest';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';

describe('summarizeLatencies', () => {
  it('is undefined for no samples', () => {
    expect(summarizeLatencies(new Float64Array())).toBeUndefined();
  });

  it.each([
    // 1..100 ms: rank (n-1)·p, interpolated linearly.
    {
      samples: Array.from({ length: 100 }, (_, i) => i + 1),
      p50: 50.5,
      p90: 90.1,
      p95: 95.05,
      p99: 99.01,
      max: 100,
      mean: 50.5,
    },
    { samples: [7], p50: 7, p90: 7, p95: 7, p99: 7, max: 7, mean: 7 },
    // Sub-millisecond samples keep their precision (autocannon floors them to 0).
    {
      samples: [0.25, 0.5, 0.75, 0.125],
      p50: 0.375,
      p90: 0.675,
      p95: 0.712,
      p99: 0.742,
      max: 0.75,
      mean: 0.406,
    },
  ])('computes exact percentiles of $samples.length samples', ({ samples, ...expected }) => {
    const summary = summarizeLatencies(Float64Array.from(samples))!;
    expect(summary).toMatchObject(expected);
    expect(summary.count).toBe(samples.length);
  });

  it('sorts numerically, not as text, and leaves the input alone', () => {
    const input = Float64Array.from([100, 9, 20]);
    const summary = summarizeLatencies(input)!;
    expect(summary.max).toBe(100);
    expect(summary.min).toBe(9);
    expect(Array.from(input)).toEqual([100, 9, 20]);
  });

  it('finds the tail in a million samples', () => {
    const samples = new Float64Array(1_000_000).fill(1);
    for (let i = 0; i < 20_000; i++) samples[i * 50] = 500; // 2% slow
    const summary = summarizeLatencies(samples)!;
    expect(summary.p95).toBe(1);
    expect(summary.p99).toBe(500);
  });
});
