/** What every report carries for merging (issue #12): the endpoint's histogram and each round's two sides. */
import { describe, expect, it } from 'vitest';
import { judgeRounds } from '../../src/baseline/rounds.js';
import { bucketsOf, decodeHistogram, histogramOf } from '../../src/stats/hdr.js';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';
import { toEndpointResult } from '../../src/verdict/endpoint-result.js';
import { endpoint } from '../verdict/fixtures.js';
import { latencies, measuredWindow } from './fixtures.js';

describe('the report fields a merge reads', () => {
  it('an endpoint carries the histogram of the latencies its SLO is judged on, and no other', () => {
    const samples = latencies(3000, 1, 2);
    const result = toEndpointResult(endpoint(), measuredWindow(samples, 25), false);
    const decoded = decodeHistogram(result.histogram!);
    // The 25 failed responses are kept apart (failedLatencyMs): not in the histogram either.
    expect(decoded.totalCount).toBe(3000);
    expect(bucketsOf(decoded)).toEqual(bucketsOf(histogramOf(samples)));
    expect(toEndpointResult(endpoint(), measuredWindow(new Float64Array(), 5), false).histogram).toBeNull();
  });

  it('a baseline carries each round’s two windows, in round order, with summary and histogram', () => {
    const window = (seed: number) => measuredWindow(latencies(500 + seed, seed, 1 + seed / 10));
    const rounds = { base: [window(1), window(2), window(3)], head: [window(4), window(5), window(6)] };
    const perRound = judgeRounds(rounds, 0.1)!.baseline.perRound!;
    expect(perRound).toHaveLength(3);
    perRound.forEach((round, i) => {
      for (const side of ['base', 'head'] as const) {
        const samples = rounds[side][i]!.latenciesMs;
        expect(round[side].latencyMs).toEqual(summarizeLatencies(samples));
        expect(decodeHistogram(round[side].histogram!).totalCount).toBe(samples.length);
      }
    });
  });
});
