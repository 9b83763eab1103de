/** Per-stage results from a staged window (issue #11), on synthetic measurements. */
import { describe, expect, it } from 'vitest';
import type { LoadStage } from '../../src/config/types.js';
import type { LoadMeasurement } from '../../src/load/run-load.js';
import { emptyWindow } from '../../src/verdict/endpoint-result.js';
import { peakOfferedRate, stageResults } from '../../src/verdict/stage-results.js';

/** A stage's window: `requests` due, `failed` of them timed out, `answers` answers in it, over `windowMs`. */
function stageWindow(windowMs: number, requests: number, failed: number, answers: number): LoadMeasurement {
  return {
    ...emptyWindow(),
    windowMs,
    requests,
    successes: requests - failed,
    failures: { status: 0, timeout: failed, socket: 0 },
    latenciesMs: Float64Array.from({ length: requests }, (_, i) => i + 1),
    answers,
    queuedSends: failed,
  };
}

describe('stageResults', () => {
  it('gives each stage by rate its offered ramp, due and answered rates, errors and latency', () => {
    const stages: LoadStage[] = [
      { durationMs: 2000, ratePerSecond: 50 },
      { durationMs: 4000, ratePerSecond: 200 },
    ];
    const m = { ...emptyWindow(), stages: [stageWindow(2000, 50, 0, 50), stageWindow(4000, 500, 100, 320)] };
    const [first, second] = stageResults(stages, m)!;
    expect(first).toMatchObject({
      index: 0,
      durationMs: 2000,
      offeredRps: { from: 0, to: 50 },
      requests: 50,
    });
    expect(first).toMatchObject({ rps: 25, answeredRps: 25, errors: 0, errorRate: 0, queuedSends: 0 });
    expect(second).toMatchObject({ index: 1, offeredRps: { from: 50, to: 200 }, requests: 500, rps: 125 });
    expect(second).toMatchObject({ answeredRps: 80, errors: 100, errorRate: 0.2, queuedSends: 100 });
    expect(second!.latencyMs!.max).toBe(500);
    expect(second!.connections).toBeUndefined();
  });

  it('gives closed-loop stages their connections from and to, and no send counts', () => {
    const stages: LoadStage[] = [
      { durationMs: 5000, connections: 10 },
      { durationMs: 5000, connections: 2 },
    ];
    const m = { ...emptyWindow(), stages: [stageWindow(5000, 100, 0, 100), stageWindow(5000, 0, 0, 0)] };
    const results = stageResults(stages, m)!;
    expect(results.map((s) => s.connections)).toEqual([
      { from: 0, to: 10 },
      { from: 10, to: 2 },
    ]);
    expect(results[1]).toMatchObject({ requests: 0, rps: 0, errorRate: 0, latencyMs: null });
    expect('queuedSends' in results[0]!).toBe(false);
  });

  it('gives nothing for a flat load, or a window that never ran', () => {
    expect(stageResults(undefined, emptyWindow())).toBeUndefined();
    expect(stageResults([{ durationMs: 1000, ratePerSecond: 5 }], emptyWindow())).toBeUndefined();
  });
});

describe('peakOfferedRate', () => {
  it.each([
    ['a flat rate', { ratePerSecond: 120 }, 120],
    ['a closed loop', {}, undefined],
    [
      'stages by rate: their top',
      {
        stages: [
          { durationMs: 1, ratePerSecond: 50 },
          { durationMs: 1, ratePerSecond: 200 },
          { durationMs: 1, ratePerSecond: 0 },
        ],
      },
      200,
    ],
    ['stages by connections', { stages: [{ durationMs: 1, connections: 10 }] }, undefined],
  ])('%s', (_, load, expected) => {
    expect(peakOfferedRate(load)).toBe(expected);
  });
});
