/** Stage arithmetic (issue #11): the staged rate's due times and the closed-loop connection ramp. No sockets. */
import { describe, expect, it } from 'vitest';
import { dueBefore, intendedAtNs } from '../../src/load/schedule.js';
import {
  activeConnectionsAt,
  connectionSegments,
  nextActiveNs,
  rateSegments,
  stagedShape,
  stageIndexAt,
  warmupConnections,
  warmupRate,
  type StagedRate,
  type StageTarget,
} from '../../src/load/stages.js';

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
const ms = (value: bigint): number => Number(value) / 1e6;
const START = ns(5000);

const staged = (stages: StageTarget[], warmupMs = 0, connections = 1): StagedRate => ({
  startNs: START,
  connections,
  segments: rateSegments(START, warmupMs, stages),
});

/** Requests due in [START, START + untilMs), counted one by one from index 0. */
function countDueBefore(rate: StagedRate, untilMs: number): number {
  let n = 0;
  while (intendedAtNs(rate, n) < START + ns(untilMs)) n++;
  return n;
}

const stage = (durationMs: number, ratePerSecond: number): StageTarget => ({ durationMs, ratePerSecond });

describe('a staged rate', () => {
  // [name, stages, [boundary ms, requests due before it = ∫rate up to it]]
  const CASES: [string, StageTarget[], [number, number][]][] = [
    ['one ramp from 0', [stage(1000, 10)], [[1000, 5]]],
    [
      'the issue ramp',
      [stage(10_000, 50), stage(20_000, 200), stage(10_000, 200)],
      [
        [10_000, 250],
        [30_000, 2750],
        [40_000, 4750],
      ],
    ],
    [
      'ramp up, hold, ramp down to 0',
      [stage(2000, 10), stage(1000, 10), stage(1000, 0)],
      [
        [2000, 10],
        [3000, 20],
        [4000, 25],
      ],
    ],
    [
      'ramp down to a lower rate',
      [stage(1000, 100), stage(1000, 20)],
      [
        [1000, 50],
        [2000, 110],
      ],
    ],
    [
      'a step up after a hold',
      [stage(1000, 4), stage(1000, 4), stage(2000, 40)],
      [
        [1000, 2],
        [2000, 6],
        [4000, 50],
      ],
    ],
    [
      'uneven rates',
      [stage(3000, 7), stage(1500, 3)],
      [
        [3000, 10.5],
        [4500, 18],
      ],
    ],
  ];

  it.each(CASES)(
    '%s: the count due before each boundary is the integral of the rate',
    (_, stages, boundaries) => {
      const rate = staged(stages);
      expect(boundaries.length).toBeGreaterThan(0);
      for (const [atMs, integral] of boundaries) expect(countDueBefore(rate, atMs)).toBe(Math.ceil(integral));
    },
  );

  it.each(CASES)('%s: due times never go back, and the first is at the start', (_, stages) => {
    const rate = staged(stages);
    const total =
      stages.reduce(
        (sum, s, i) => sum + ((stages[i - 1]?.ratePerSecond ?? 0) + s.ratePerSecond!) * s.durationMs,
        0,
      ) / 2000;
    expect(intendedAtNs(rate, 0)).toBe(START);
    for (let n = 1; n <= total + 5; n++)
      expect(intendedAtNs(rate, n)).toBeGreaterThanOrEqual(intendedAtNs(rate, n - 1));
  });

  it('ramps from 0 as the square root: request n of 0 → 100 req/s over 1 s is due at √(2n/100) s', () => {
    const rate = staged([stage(1000, 100)]);
    expect([0, 2, 8, 18, 32, 50].map((n) => ms(intendedAtNs(rate, n)) - 5000)).toEqual([
      0, 200, 400, 600, 800, 1000,
    ]);
  });

  it('holds evenly: 1/rate apart at a hold', () => {
    const rate = staged([stage(1000, 10), stage(1000, 10)]);
    // 5 due in the ramp, then every 100 ms from 1 s.
    expect([5, 6, 7, 14].map((n) => ms(intendedAtNs(rate, n)) - 5000)).toEqual([1000, 1100, 1200, 1900]);
  });

  it('ramps down symmetrically: 100 → 0 req/s over 1 s', () => {
    const rate = staged([stage(1000, 100), stage(1000, 0)]);
    // Falling: 100 − 100t req/s; 50 + 100t − 50t² requests due by t, so request 50 + 32 at t = 0.4 s.
    expect(ms(intendedAtNs(rate, 82)) - 6000).toBeCloseTo(400, 6);
    expect(ms(intendedAtNs(rate, 100)) - 5000).toBe(2000);
    expect(intendedAtNs(rate, 101)).toBeGreaterThan(START + ns(2000));
  });

  it('does not drift over a long run: an hour at 1000 req/s after a ramp ends on the nanosecond', () => {
    const rate = staged([stage(60_000, 1000), stage(3_600_000, 1000)]);
    const rampCount = 30_000;
    expect(intendedAtNs(rate, rampCount)).toBe(START + ns(60_000));
    expect(intendedAtNs(rate, rampCount + 3_600_000)).toBe(START + ns(3_660_000));
    expect(intendedAtNs(rate, rampCount + 3_600_000 - 1)).toBe(START + ns(3_660_000) - 1_000_000n);
  });

  it('holds the lowest stage rate in the warmup, then ramps from 0 at the window start', () => {
    const stages = [stage(1000, 50), stage(1000, 20)];
    expect(warmupRate(stages)).toBe(20);
    const rate = staged(stages, 500);
    // 10 due in the 500 ms warmup at 20 req/s; request 10 opens the window's ramp.
    expect(ms(intendedAtNs(rate, 9)) - 5000).toBe(450);
    expect(ms(intendedAtNs(rate, 10)) - 5000).toBe(500);
    expect(countDueBefore(rate, 1500)).toBe(10 + 25);
  });

  it('hands each connection its share: connection i sends i, i + connections, …', () => {
    const rate = staged([stage(1000, 8)], 0, 2);
    // 4 due in the ramp, at √(2n/8) s: 0, 500, 707, 866 ms; connection 1 has requests 1 and 3.
    expect(dueBefore(rate, 1, START + ns(1000)).map((t) => Math.round(ms(t) - 5000))).toEqual([500, 866]);
  });
});

describe('closed-loop stages', () => {
  const conns = (durationMs: number, connections: number): StageTarget => ({ durationMs, connections });

  // [name, stages, warmup ms, [at ms from the warmup start, connections active]]
  const CASES: [string, StageTarget[], number, [number, number][]][] = [
    [
      'ten users, two more each second',
      [conns(5000, 10), conns(5000, 10)],
      0,
      [
        [0, 1],
        [499, 1],
        [500, 2],
        [4500, 10],
        [9999, 10],
        [10_000, 0],
      ],
    ],
    [
      'down to 0',
      [conns(1000, 4), conns(1000, 0)],
      0,
      [
        [999, 4],
        [1000, 4],
        [1250, 3],
        [1500, 2],
        [1750, 1],
        [1999, 1],
      ],
    ],
    [
      'a warmup at the lowest count, then up from 0',
      [conns(1000, 2), conns(1000, 6)],
      300,
      [
        [0, 2],
        [299, 2],
        [300, 1],
        [800, 2],
        [1300, 3],
        [2299, 6],
      ],
    ],
  ];

  it.each(CASES)('%s', (_, stages, warmupMs, expected) => {
    const segments = connectionSegments(START, warmupMs, stages);
    expect(expected.length).toBeGreaterThan(0);
    for (const [atMs, active] of expected) {
      expect([atMs, activeConnectionsAt(segments, START + ns(atMs))]).toEqual([atMs, active]);
    }
  });

  it('a stopped connection is woken when a later stage starts it again, and never after the last', () => {
    const segments = connectionSegments(START, 0, [conns(1000, 4), conns(1000, 1), conns(1000, 4)]);
    // Connection 3 starts at 750 ms, stops at 1333 ms (4 → 1), starts again at 2667 ms (1 → 4).
    expect(ms(nextActiveNs(segments, 3, START)!) - 5000).toBe(750);
    expect(ms(nextActiveNs(segments, 3, START + ns(1000))!) - 5000).toBe(1000);
    expect(Math.round(ms(nextActiveNs(segments, 3, START + ns(1400))!) - 5000)).toBe(2667);
    expect(nextActiveNs(segments, 3, START + ns(3000))).toBeUndefined();
    expect(warmupConnections([conns(1000, 4), conns(1000, 0)])).toBe(4);
  });

  it('opens as many connections as the highest stage asks for, and times the measured stages', () => {
    const shape = stagedShape(
      { stages: [conns(1000, 3), conns(500, 8)], connections: 10, warmupMs: 200 },
      START,
    );
    expect(shape.lanes).toBe(8);
    expect(shape.rate).toBeUndefined();
    expect(shape.stageWindows.map((w) => [ms(w.startNs) - 5000, ms(w.endNs) - 5000])).toEqual([
      [200, 1200],
      [1200, 1700],
    ]);
  });
});

describe('stageIndexAt', () => {
  const stages = [stage(1000, 5), stage(500, 5)];
  it.each([
    [0, 0],
    [999, 0],
    [1000, 1],
    [1499, 1],
    [1500, 1],
    [9000, 1],
  ])('%i ms into the window is stage %i', (elapsedMs, index) => {
    expect(stageIndexAt(stages, elapsedMs)).toBe(index);
  });
});
