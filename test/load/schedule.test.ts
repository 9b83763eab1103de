/** Fixed-rate arithmetic and closed-loop backoff, given `now`: no sockets, no clocks. Times in ms. */
import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  dueBefore,
  firstIndexDueFrom,
  fixedRateSend,
  intendedAtNs,
  type FixedRate,
  type FixedRateSend,
} from '../../src/load/schedule.js';

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
const ms = (value: bigint): number => Number(value) / 1e6;

describe('fixed-rate lanes', () => {
  const rate = (ratePerSecond: number, connections: number): FixedRate => ({
    startNs: ns(1000),
    ratePerSecond,
    connections,
  });

  it('stagger the connections so the total arrival rate is even', () => {
    const r = rate(100, 4);
    // Connection i sends requests i, i + 4, …: the first four go 10 ms apart, then each connection every 40.
    expect([0, 1, 2, 3, 4].map((index) => ms(intendedAtNs(r, index)))).toEqual([
      1000, 1010, 1020, 1030, 1040,
    ]);
  });

  it.each([
    [3, 1, 1000],
    [3, 2, 1000],
    [6, 5, 2000],
    [6, 10, 2000],
    [7, 3, 3000],
    [200, 10, 1500],
  ])(
    'hold exactly rate × duration requests in [start, end): %i req/s over %i connections for %i ms',
    (perSecond, connections, durationMs) => {
      const r = rate(perSecond, connections);
      const lanes = Array.from({ length: connections }, (_, lane) =>
        dueBefore(r, lane, ns(1000 + durationMs)),
      );
      const due = lanes.flat();
      expect(due.length).toBe((perSecond * durationMs) / 1000);
      // Every one of them inside the window, and none twice.
      expect(due.every((at) => at >= ns(1000) && at < ns(1000 + durationMs))).toBe(true);
      expect(new Set(due).size).toBe(due.length);
    },
  );

  it('list one connection’s backlog still due before a time, in order', () => {
    const r = rate(100, 4);
    // Connection 2's requests from index 2 on: due at 1020, 1060, 1100, …
    expect(dueBefore(r, 2, ns(1140)).map(ms)).toEqual([1020, 1060, 1100]);
    expect(dueBefore(r, 14, ns(1140))).toEqual([]);
  });

  it('find the first request of a connection due at or after a time', () => {
    const r = rate(100, 4);
    expect(firstIndexDueFrom(r, 2, ns(1100))).toBe(10); // due at 1100 exactly
    expect(firstIndexDueFrom(r, 2, ns(1101))).toBe(14);
    expect(firstIndexDueFrom(r, 18, ns(1000))).toBe(18); // never goes back
  });
});

describe('fixedRateSend', () => {
  const cases: {
    name: string;
    lane: { nextMs: number; lastEndMs: number; ownShiftMs: number };
    nowMs: number;
    expected: { timedFromMs: number; ownShiftMs: number; queued: boolean; late: boolean };
  }[] = [
    {
      name: 'on time on a free connection: timer lateness is not charged, not late',
      lane: { nextMs: 100, lastEndMs: 50, ownShiftMs: 0 },
      nowMs: 100.5,
      expected: { timedFromMs: 100.5, ownShiftMs: 0.5, queued: false, late: false },
    },
    {
      name: "the gate's own late send (a CPU stall) is not charged to the server, and counts as late",
      lane: { nextMs: 100, lastEndMs: 50, ownShiftMs: 0 },
      nowMs: 130,
      expected: { timedFromMs: 130, ownShiftMs: 30, queued: false, late: true },
    },
    {
      name: 'a server stall is charged: busy at its intended time, timed from the intended time, queued',
      lane: { nextMs: 100, lastEndMs: 180, ownShiftMs: 0 },
      nowMs: 180.01,
      expected: { timedFromMs: 100.01, ownShiftMs: 0.01, queued: true, late: false },
    },
    {
      name: 'a backlog carries only our microseconds per request, never counted late',
      lane: { nextMs: 100, lastEndMs: 300, ownShiftMs: 0.003 },
      nowMs: 300.005,
      expected: { timedFromMs: 100.008, ownShiftMs: 0.008, queued: true, late: false },
    },
    {
      name: 'an answer delayed only by our own late send frees the connection when a perfect client would be',
      // The last request went out 30 ms late and its answer came at 150: a perfect client would have had
      // it at 120, free before the next one is due at 140. Sent at 150, it is 10 ms late on our side.
      lane: { nextMs: 140, lastEndMs: 150, ownShiftMs: 30 },
      nowMs: 150,
      expected: { timedFromMs: 150, ownShiftMs: 10, queued: true, late: true },
    },
  ];

  it.each(cases)('$name', ({ lane, nowMs, expected }) => {
    const send: FixedRateSend = fixedRateSend(
      { nextIntendedNs: ns(lane.nextMs), lastEndNs: ns(lane.lastEndMs), ownShiftNs: ns(lane.ownShiftMs) },
      ns(nowMs),
    );
    expect(send.intendedNs).toBe(ns(lane.nextMs));
    expect({
      timedFromMs: ms(send.timedFromNs),
      ownShiftMs: ms(send.ownShiftNs),
      queued: send.queued,
      late: send.late,
    }).toEqual(expected);
  });
});

describe('closed-loop backoff after socket failures', () => {
  it.each([
    [0, 0],
    [1, 10],
    [2, 20],
    [3, 40],
    [7, 640],
    [8, 1000],
    [30, 1000],
  ])('after %i failures in a row waits %i ms', (failures, waitMs) => {
    expect(backoffMs(failures)).toBe(waitMs);
  });
});
