/**
 * The timeline's accounting on synthetic request streams, fed through the window as the load feeds it: no
 * sockets, no clocks, times in ms from the run start.
 */
import { describe, expect, it } from 'vitest';
import type { RequestOutcome } from '../../src/load/gate-client.js';
import { concatTimelines, timelineIntervalMs, type TimelinePoint } from '../../src/load/timeline.js';
import { MixAccounting } from '../../src/load/mix-accounting.js';
import { WindowAccounting } from '../../src/load/window.js';

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));

const ok: RequestOutcome = { kind: 'response', statusCode: 200 };
const serverError: RequestOutcome = { kind: 'response', statusCode: 500 };
const reset: RequestOutcome = { kind: 'socket', code: 'ECONNRESET' };
const timeout: RequestOutcome = { kind: 'timeout' };

/** A request: when it was due, when it ended, how (answered 200 by default). */
interface Req {
  dueMs: number;
  endMs: number;
  outcome?: RequestOutcome;
}

/** The window is [1000, 1000 + windowMs) ms; requests time out after 500 ms. */
function timeline(
  requests: Req[],
  {
    windowMs = 3000,
    abortedAtMs,
    intervalMs,
  }: { windowMs?: number; abortedAtMs?: number; intervalMs?: number } = {},
): TimelinePoint[] {
  const bounds = { startNs: ns(1000), endNs: ns(1000 + windowMs), requestTimeoutNs: ns(500) };
  const window = new WindowAccounting({ ...bounds, timelineIntervalMs: intervalMs }, (c) => c < 300);
  for (const r of requests) {
    window.record({
      outcome: r.outcome ?? ok,
      intendedNs: ns(r.dueMs),
      sentNs: ns(r.dueMs),
      endNs: ns(r.endMs),
    });
  }
  const m = window.close(abortedAtMs === undefined ? undefined : ns(abortedAtMs));
  return m.timeline!;
}

/** `count` requests due evenly over [fromMs, toMs), each answered after `latencyMs`. */
const steady = (fromMs: number, toMs: number, count: number, latencyMs: number): Req[] =>
  Array.from({ length: count }, (_, i) => {
    const dueMs = fromMs + ((toMs - fromMs) * i) / count;
    return { dueMs, endMs: dueMs + latencyMs };
  });

const pick = (points: TimelinePoint[], key: keyof TimelinePoint) => points.map((p) => p[key]);
const p95s = (points: TimelinePoint[]) => points.map((p) => p.latencyMs?.p95 ?? null);

describe('timelineIntervalMs', () => {
  it.each([
    [0, 1000],
    [800, 1000],
    [60_000, 1000],
    [60_001, 2000],
    [120_000, 2000],
    [120_001, 5000],
    [300_000, 5000],
    [600_000, 10_000],
    [900_000, 15_000],
    [1_800_000, 30_000],
    [3_600_000, 60_000],
    [36_000_000, 600_000],
    [216_000_000, 3_600_000],
    [300_000_000, 7_200_000],
  ])('a %i ms window is cut into intervals of %i ms', (windowMs, expected) => {
    expect(timelineIntervalMs(windowMs)).toBe(expected);
    expect(Math.ceil(windowMs / expected)).toBeLessThanOrEqual(60);
  });
});

describe('TimelineAccounting, through the window', () => {
  it('cuts the window into half-open intervals: a request due on an edge belongs to the later one', () => {
    const points = timeline([
      { dueMs: 1000, endMs: 1001 },
      { dueMs: 1999.999, endMs: 2011 },
      { dueMs: 2000, endMs: 2002 },
      { dueMs: 3999.999, endMs: 4003 },
      { dueMs: 4000, endMs: 4004 }, // due at the window's end: the drain's
      { dueMs: 999.999, endMs: 1005 }, // due in the warmup
    ]);
    expect(pick(points, 'atMs')).toEqual([0, 1000, 2000]);
    expect(pick(points, 'intervalMs')).toEqual([1000, 1000, 1000]);
    expect(pick(points, 'requests')).toEqual([2, 1, 1]);
    expect(p95s(points)).toEqual([10.501, 2, 3.001]);
  });

  it('gives each interval exact percentiles of its own samples', () => {
    const points = timeline([
      ...Array.from({ length: 20 }, (_, i) => ({ dueMs: 1000 + i, endMs: 1000 + i + (i + 1) })),
      ...Array.from({ length: 20 }, (_, i) => ({ dueMs: 2000 + i, endMs: 2000 + i + 100 })),
    ]);
    // 1…20 ms: p50 10.5, p95 19.05 (linear between the closest ranks, as the endpoint's own p95).
    expect(pick(points, 'latencyMs')).toEqual([{ p50: 10.5, p95: 19.05 }, { p50: 100, p95: 100 }, null]);
  });

  it('counts errors where they were due; fast failures count but stay out of the percentiles', () => {
    const points = timeline([
      { dueMs: 1100, endMs: 1105, outcome: serverError },
      { dueMs: 1200, endMs: 1201, outcome: reset },
      { dueMs: 1300, endMs: 1310 },
      { dueMs: 1900, endMs: 2400, outcome: timeout },
    ]);
    expect(pick(points, 'requests')).toEqual([4, 0, 0]);
    expect(pick(points, 'errors')).toEqual([3, 0, 0]);
    // The timeout is a sample at its timeout, in the interval it was due in; the 500 and the reset are not.
    expect(points[0]!.latencyMs).toEqual({ p50: 255, p95: 475.5 });
  });

  it('leaves an interval with nothing due empty: no latency, zero rates', () => {
    const points = timeline([...steady(1000, 2000, 10, 5), ...steady(3000, 4000, 10, 5)]);
    expect(points[1]).toEqual({
      atMs: 1000,
      intervalMs: 1000,
      latencyMs: null,
      requests: 0,
      errors: 0,
      offeredRps: 0,
      achievedRps: 0,
    });
    expect(pick(points, 'offeredRps')).toEqual([10, 0, 10]);
  });

  it('charges a stall to the intervals its requests were due in, and shows the answers stop', () => {
    // 20 req/s, 5 ms each, but the service froze from 1800 to 3300 ms and then answered the lot at once.
    const due = steady(1000, 4000, 60, 5).map((r) =>
      r.dueMs >= 1800 && r.dueMs < 3300 ? { ...r, endMs: 3300 } : r,
    );
    const points = timeline(due);
    expect(pick(points, 'offeredRps')).toEqual([20, 20, 20]);
    expect(pick(points, 'achievedRps')).toEqual([16, 0, 44]);
    // Interval 1 (1000-2000 ms from the start) was due entirely inside the stall: every request waited.
    expect(points[1]!.latencyMs).toEqual({ p50: 825, p95: 1252.5 });
    expect(points[0]!.latencyMs!.p95).toBeGreaterThan(1000);
    expect(points[2]!.latencyMs!.p50).toBe(5);
  });

  it('ends with a shorter interval when the window does not divide, and rates count its own length', () => {
    const points = timeline(steady(1000, 3500, 50, 2), { windowMs: 2500 });
    expect(pick(points, 'intervalMs')).toEqual([1000, 1000, 500]);
    expect(pick(points, 'requests')).toEqual([20, 20, 10]);
    expect(pick(points, 'offeredRps')).toEqual([20, 20, 20]);
  });

  it('stops at the abort: no interval after it, the last cut there', () => {
    const points = timeline(steady(1000, 2200, 12, 1), { abortedAtMs: 2200 });
    expect(pick(points, 'atMs')).toEqual([0, 1000]);
    expect(pick(points, 'intervalMs')).toEqual([1000, 200]);
    expect(pick(points, 'offeredRps')).toEqual([10, 10]);
  });

  it('takes a given interval (a baseline round chooses it for all rounds together)', () => {
    const points = timeline(steady(1000, 4000, 30, 1), { intervalMs: 2000 });
    expect(pick(points, 'intervalMs')).toEqual([2000, 1000]);
    expect(pick(points, 'requests')).toEqual([20, 10]);
  });

  it('counts answers where they arrived, warmup requests answered in the window included', () => {
    const points = timeline([
      { dueMs: 900, endMs: 1500 },
      { dueMs: 1500, endMs: 2500 },
      { dueMs: 3900, endMs: 4100 }, // answered in the drain: after the window
    ]);
    expect(pick(points, 'achievedRps')).toEqual([1, 1, 0]);
    expect(pick(points, 'requests')).toEqual([1, 0, 1]);
  });
});

describe('concatTimelines', () => {
  it("puts windows end to end in measured time (a baseline's head rounds)", () => {
    const round = (windowMs: number) => ({
      windowMs,
      timeline: timeline(steady(1000, 1000 + windowMs, 4, 1), { windowMs }),
    });
    const points = concatTimelines([round(1500), round(1500)]);
    expect(pick(points, 'atMs')).toEqual([0, 1000, 1500, 2500]);
    expect(pick(points, 'intervalMs')).toEqual([1000, 500, 1000, 500]);
    expect(pick(points, 'requests')).toEqual([3, 1, 3, 1]);
  });
});

describe('a mix (load.mode: mixed)', () => {
  it('gives each endpoint its own timeline, and the whole mix one of all', () => {
    const bounds = { startNs: ns(1000), endNs: ns(3000), requestTimeoutNs: ns(500) };
    const mix = new MixAccounting(bounds, [undefined, undefined]);
    // Every fourth request goes to the second endpoint, which answers 100 ms slower.
    steady(1000, 3000, 40, 2).forEach((r, i) => {
      mix.record(i % 4 === 3 ? 1 : 0, {
        outcome: ok,
        intendedNs: ns(r.dueMs),
        sentNs: ns(r.dueMs),
        endNs: ns(r.endMs + (i % 4 === 3 ? 100 : 0)),
      });
    });
    const { parts, total } = mix.close();
    expect(parts.map((m) => pick(m.timeline!, 'offeredRps'))).toEqual([
      [15, 15],
      [5, 5],
    ]);
    expect(parts.map((m) => p95s(m.timeline!))).toEqual([
      [2, 2],
      [102, 102],
    ]);
    expect(pick(total.timeline!, 'requests')).toEqual([20, 20]);
  });
});
