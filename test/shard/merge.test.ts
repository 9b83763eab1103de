/**
 * Merging shard reports (issue #12), pure: one measurement's samples split into N shard reports and merged
 * must read as the single run did, percentiles within the histogram's precision and counts identical.
 */
import { describe, expect, it } from 'vitest';
import { judgeRounds } from '../../src/baseline/rounds.js';
import type { EndpointResult } from '../../src/report/model.js';
import { mergeShardReports } from '../../src/shard/merge.js';
import { HDR_RELATIVE_PRECISION } from '../../src/stats/hdr.js';
import { toEndpointResult } from '../../src/verdict/endpoint-result.js';
import { inconclusiveWarnings } from '../../src/verdict/inconclusive.js';
import { endpoint } from '../verdict/fixtures.js';
import { everyNth, latencies, measuredWindow, quiet, shardReport } from './fixtures.js';

const SLO = endpoint({ name: 'api', slo: { p95Ms: 20, errorRate: 0.01, minRps: 1000 } });

/** Within the histogram's precision of the exact value (and the microsecond figures are rounded to). */
function expectNear(actualMs: number | undefined, exactMs: number | undefined, what: string) {
  expect(actualMs, what).toBeDefined();
  const tolerance = exactMs! * HDR_RELATIVE_PRECISION + 0.001;
  expect(Math.abs(actualMs! - exactMs!), `${what}: ${actualMs} against ${exactMs}`).toBeLessThanOrEqual(
    tolerance,
  );
}

function expectSameFigures(merged: EndpointResult, single: EndpointResult) {
  for (const key of ['requests', 'successes', 'errors', 'statusCodes', 'failures', 'socketErrors'] as const)
    expect(merged[key], key).toEqual(single[key]);
  expect(merged.rps).toBeCloseTo(single.rps, 6);
  expect(merged.errorRate).toBeCloseTo(single.errorRate, 12);
  const keys = ['p50', 'p90', 'p95', 'p99'] as const;
  for (const key of keys) expectNear(merged.latencyMs?.[key], single.latencyMs?.[key], key);
  for (const key of ['count', 'min', 'max'] as const)
    expect(merged.latencyMs?.[key]).toBe(single.latencyMs?.[key]);
  expect(merged.latencyMs!.mean).toBeCloseTo(single.latencyMs!.mean, 2);
  expect(merged.checks.map((c) => [c.metric, c.passed])).toEqual(
    single.checks.map((c) => [c.metric, c.passed]),
  );
  expect(merged.latencyHistogram?.upperMs).toEqual(single.latencyHistogram?.upperMs);
}

describe('mergeShardReports: a load split across shards', () => {
  it.each([
    { shards: 1, samples: 5000, scaleMs: 3, failed: 0 },
    { shards: 3, samples: 30000, scaleMs: 3, failed: 0 },
    { shards: 4, samples: 12000, scaleMs: 0.4, failed: 40 },
    { shards: 16, samples: 16000, scaleMs: 150, failed: 16 },
  ])('$shards shards of $samples samples read as the single run', ({ shards, samples, scaleMs, failed }) => {
    const all = latencies(samples, shards, scaleMs);
    const single = toEndpointResult(SLO, measuredWindow(all, failed), false);
    // Each shard ran the same 1 s window on its share: the single run's rate is the sum of theirs.
    const reports = Array.from({ length: shards }, (_, i) =>
      shardReport(i + 1, shards, [
        toEndpointResult(SLO, measuredWindow(everyNth(all, shards, i), failed / shards), false),
      ]),
    );
    const merged = mergeShardReports(reports, quiet);
    expect(merged.merged).toEqual({ shards });
    expect(merged.endpoints).toHaveLength(1);
    expectSameFigures(merged.endpoints[0]!, single);
    expect(merged.verdict).toBe(single.passed ? 'passed' : 'breached');
    expect(merged.shard).toBeUndefined();
  });

  it('sums the connections and rates a split load ran with', () => {
    const load = {
      durationMs: 1000,
      warmupMs: 0,
      connections: 5,
      ratePerSecond: 250,
      requestTimeoutMs: 1000,
    };
    const part = toEndpointResult(SLO, measuredWindow(latencies(100, 1, 1)), true);
    const merged = mergeShardReports(
      [1, 2, 3, 4].map((i) => shardReport(i, 4, [part], { load })),
      quiet,
    );
    expect(merged.load).toMatchObject({ connections: 20, ratePerSecond: 1000 });
    expect(merged.endpoints[0]!.rps).toBeCloseTo(4 * part.rps, 9);
  });

  it('joins endpoints measured by different shards, each as its shard measured it', () => {
    const a = toEndpointResult({ ...SLO, name: 'a' }, measuredWindow(latencies(2000, 1, 1)), false);
    const b = toEndpointResult({ ...SLO, name: 'b' }, measuredWindow(latencies(3000, 2, 50)), false);
    const service = { logFile: '/tmp/service.log' };
    const merged = mergeShardReports(
      [shardReport(1, 2, [a], { service }), shardReport(2, 2, [b], { service })],
      quiet,
    );
    expect(merged.endpoints.map((e) => e.name)).toEqual(['a', 'b']);
    expectSameFigures(merged.endpoints[0]!, a);
    expectSameFigures(merged.endpoints[1]!, b);
    expect(merged.verdict).toBe('breached');
    expect(merged.reason).toBe('SLO breached: b (p95)');
  });
});

describe('mergeShardReports: an endpoint one shard measured alone', () => {
  it('is that shard’s, whole: its stages and timeline kept, which several shards could not add up', () => {
    const window = measuredWindow(latencies(2000, 1, 1));
    const a = {
      ...toEndpointResult({ ...SLO, name: 'a' }, window, false),
      stages: [
        {
          index: 0,
          durationMs: 1000,
          requests: 2000,
          rps: 2000,
          answeredRps: 2000,
          errors: 0,
          errorRate: 0,
          latencyMs: null,
        },
      ],
      timeline: [
        {
          atMs: 0,
          intervalMs: 1000,
          latencyMs: { p50: 1, p95: 2 },
          requests: 2000,
          errors: 0,
          offeredRps: 2000,
          achievedRps: 2000,
        },
      ],
    };
    const b = toEndpointResult({ ...SLO, name: 'b' }, measuredWindow(latencies(3000, 2, 1)), false);
    const merged = mergeShardReports([shardReport(1, 2, [a]), shardReport(2, 2, [b])], quiet);
    expect(merged.endpoints[0]).toEqual(JSON.parse(JSON.stringify(a)));
    expect(merged.endpoints[1]).toEqual(JSON.parse(JSON.stringify(b)));
  });
});

describe('mergeShardReports: replicates of a baseline comparison', () => {
  /** One shard's rounds: base and head windows whose samples shift with the round, like drift. */
  function rounds(replicate: number, count: number) {
    const window = (side: number, round: number) =>
      measuredWindow(latencies(3000, 100 * replicate + 10 * round + side, 2 + round * 0.3 + side * 0.2));
    return {
      base: Array.from({ length: count }, (_, r) => window(0, r)),
      head: Array.from({ length: count }, (_, r) => window(1, r)),
    };
  }

  it('pools every shard’s rounds into one interval, as one run of all the rounds', () => {
    const replicates = [rounds(1, 3), rounds(2, 3), rounds(3, 3)];
    const reports = replicates.map((r, i) => {
      const result = toEndpointResult(
        SLO,
        measuredWindow(new Float64Array(r.head.flatMap((w) => [...w.latenciesMs])), 0, 3000),
        false,
      );
      const judged = judgeRounds(r, 0.1)!;
      return shardReport(i + 1, 3, [
        { ...result, baseline: judged.baseline, checks: [...result.checks, judged.check] },
      ]);
    });
    const all = { base: replicates.flatMap((r) => r.base), head: replicates.flatMap((r) => r.head) };
    const single = judgeRounds(all, 0.1)!.baseline;
    const merged = mergeShardReports(reports, quiet).endpoints[0]!.baseline!;
    expect(merged.rounds).toBe(9);
    expect(merged.perRound).toHaveLength(9);
    expect(merged.p95!.change).toEqual(single.p95!.change);
    expect(merged.mean!.change).toEqual(single.mean!.change);
    expectNear(merged.p95!.baseMs, single.p95!.baseMs, 'pooled base p95');
    expectNear(merged.p95!.headMs, single.p95!.headMs, 'pooled head p95');
    expect(merged.requests).toBe(single.requests);
    expect(merged.verdict).toBe(single.verdict);
  });

  it('drops each shard’s inconclusive warning: the pooled rounds are judged again', () => {
    const reports = [rounds(1, 3), rounds(2, 3)].map((r, i) => {
      const result = toEndpointResult(SLO, measuredWindow(r.head[0]!.latenciesMs), false);
      const judged = judgeRounds(r, 0.1)!;
      // As a shard whose own rounds could not tell: its run warned so.
      const endpoint = {
        ...result,
        baseline: { ...judged.baseline, verdict: 'inconclusive' as const },
        checks: [...result.checks, { ...judged.check, passed: true }],
      };
      return shardReport(i + 1, 2, [endpoint], { warnings: inconclusiveWarnings([endpoint]) });
    });
    expect(reports.every((r) => r.result.warnings.length === 1)).toBe(true);
    const merged = mergeShardReports(reports, quiet);
    expect(merged.warnings.filter((w) => w.startsWith('shard '))).toEqual([]);
    expect(merged.warnings).toEqual(inconclusiveWarnings(merged.endpoints));
  });
});

describe('mergeShardReports: never a pass on partial data', () => {
  const passing = toEndpointResult(SLO, measuredWindow(latencies(2000, 1, 1)), false);

  it('fails naming the missing shard', () => {
    const merged = mergeShardReports([shardReport(1, 3, [passing]), shardReport(3, 3, [passing])], quiet);
    expect(merged.verdict).toBe('failed');
    expect(merged.passed).toBe(false);
    expect(merged.reason).toBe('shard 2 of 3 missing (got 1, 3): no verdict on partial data');
  });

  it('fails when a shard’s service failed, with its reason', () => {
    const failed = shardReport(2, 2, [], {
      verdict: 'failed',
      passed: false,
      reason: 'the service exited with code 1',
    });
    const merged = mergeShardReports([shardReport(1, 2, [passing]), failed], quiet);
    expect(merged.verdict).toBe('failed');
    expect(merged.reason).toBe('shard 2/2 failed: the service exited with code 1');
  });

  it('carries an endpoint’s problems with the shard they came from', () => {
    const broken = { ...passing, problems: ['no successful response (3× HTTP 500)'], passed: false };
    const merged = mergeShardReports([shardReport(1, 2, [passing]), shardReport(2, 2, [broken])], quiet);
    expect(merged.verdict).toBe('failed');
    expect(merged.reason).toBe('api: shard 2/2: no successful response (3× HTTP 500)');
  });
});
