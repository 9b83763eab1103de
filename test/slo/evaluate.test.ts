import { describe, expect, it } from 'vitest';
import type { SloTargets } from '../../src/config/types.js';
import { evaluateSlo } from '../../src/slo/evaluate.js';
import type { LatencySummary } from '../../src/stats/latency-summary.js';

const latency: LatencySummary = {
  count: 100,
  p50: 10,
  p90: 40,
  p95: 50,
  p99: 90,
  max: 120,
  min: 1,
  mean: 15,
};
const measured = { latencyMs: latency, errorRate: 0.02, rps: 80 };

describe('evaluateSlo', () => {
  it.each<[string, SloTargets, { metric: string; limit: number; actual: number | null; passed: boolean }[]]>([
    ['no targets, no checks', {}, []],
    [
      'p95 under its target passes',
      { p95Ms: 100 },
      [{ metric: 'p95', limit: 100, actual: 50, passed: true }],
    ],
    [
      'p95 exactly at its target passes',
      { p95Ms: 50 },
      [{ metric: 'p95', limit: 50, actual: 50, passed: true }],
    ],
    [
      'p95 over its target fails',
      { p95Ms: 49.9 },
      [{ metric: 'p95', limit: 49.9, actual: 50, passed: false }],
    ],
    [
      'every latency key',
      { p50Ms: 10, p90Ms: 30, p99Ms: 100, maxMs: 100 },
      [
        { metric: 'p50', limit: 10, actual: 10, passed: true },
        { metric: 'p90', limit: 30, actual: 40, passed: false },
        { metric: 'p99', limit: 100, actual: 90, passed: true },
        { metric: 'max', limit: 100, actual: 120, passed: false },
      ],
    ],
    [
      'error rate over its target fails',
      { errorRate: 0.01 },
      [{ metric: 'error-rate', limit: 0.01, actual: 0.02, passed: false }],
    ],
    [
      'min-rps is a lower bound',
      { minRps: 50 },
      [{ metric: 'min-rps', limit: 50, actual: 80, passed: true }],
    ],
    [
      'min-rps above the throughput fails',
      { minRps: 100 },
      [{ metric: 'min-rps', limit: 100, actual: 80, passed: false }],
    ],
  ])('%s', (_name, slo, expected) => {
    expect(evaluateSlo(slo, measured)).toMatchObject(expected);
  });

  it('fails a latency target when there is nothing to measure it on', () => {
    expect(evaluateSlo({ p95Ms: 100, errorRate: 0.01 }, { latencyMs: null, errorRate: 1, rps: 0 })).toEqual([
      { metric: 'p95', limit: 100, actual: null, unit: 'ms', passed: false },
      { metric: 'error-rate', limit: 0.01, actual: 1, unit: 'fraction', passed: false },
    ]);
  });
});
