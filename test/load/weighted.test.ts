/** Smooth weighted round-robin and the mix's per-endpoint accounting, on synthetic data: no sockets, no clocks. */
import { describe, expect, it } from 'vitest';
import type { RequestOutcome, RequestResult } from '../../src/load/gate-client.js';
import { MixAccounting } from '../../src/load/mix-accounting.js';
import { WeightedRoundRobin, weightedOrder } from '../../src/load/weighted.js';

const counts = (picks: number[], parts: number) =>
  Array.from({ length: parts }, (_, i) => picks.filter((p) => p === i).length);

describe('smooth weighted round-robin', () => {
  it.each([
    // nginx's own example: 5:1:1 gives a a b a c a a, not five a's in a row.
    { weights: [5, 1, 1], order: 'aabacaa' },
    { weights: [6, 3, 1], order: 'abaabacaba' },
    { weights: [1, 1], order: 'ab' },
    { weights: [1], order: 'a' },
    { weights: [2, 1], order: 'aba' },
    { weights: [1, 9], order: 'bbbbabbbbb' },
    { weights: [3, 3, 3], order: 'abcabcabc' },
  ])('interleaves $weights as $order over one cycle', ({ weights, order }) => {
    const letters = weightedOrder(weights).map((i) => 'abcdefgh'[i]);
    expect(letters.join('')).toBe(order);
  });

  it.each([[[6, 3, 1]], [[5, 1, 1]], [[1, 9]], [[7, 2, 4, 1]], [[100, 1]], [[13, 17]]])(
    'picks each exactly its weight in every cycle: %j',
    (weights) => {
      const picker = new WeightedRoundRobin(weights);
      const total = weights.reduce((a, b) => a + b, 0);
      for (let cycle = 0; cycle < 5; cycle++) {
        const picks = Array.from({ length: total }, () => picker.next());
        expect(counts(picks, weights.length)).toEqual(weights);
      }
    },
  );

  it('keeps any stretch of picks within one of the exact share (smooth, not bunched)', () => {
    const weights = [6, 3, 1];
    const order = weightedOrder(weights);
    const cycle = [...order, ...order];
    for (let start = 0; start < order.length; start++) {
      for (let length = 1; length <= order.length; length++) {
        const got = counts(cycle.slice(start, start + length), 3);
        weights.forEach((w, i) => expect(Math.abs(got[i]! - (w * length) / 10)).toBeLessThan(2));
      }
    }
    // The heaviest never runs more than twice in a row in 6:3:1.
    expect(order.join('')).not.toMatch(/000/);
  });

  it.each([[[]], [[0, 1]], [[1.5]], [[-1, 2]]])('refuses weights %j', (weights) => {
    expect(() => new WeightedRoundRobin(weights)).toThrow(/positive whole numbers/);
  });
});

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
const bounds = { startNs: ns(1000), endNs: ns(2000), requestTimeoutNs: ns(500) };
const response = (statusCode: number): RequestOutcome => ({ kind: 'response', statusCode });
const result = (outcome: RequestOutcome, dueMs: number, endMs: number): RequestResult => ({
  outcome,
  intendedNs: ns(dueMs),
  sentNs: ns(dueMs),
  endNs: ns(endMs),
});

describe('a mix’s accounting', () => {
  it('attributes each result to its endpoint, and every result to the whole mix', () => {
    // Part 0 accepts any 2xx, part 1 only 201: a 200 is a success for 0 and a failure for 1, in both the
    // part's figures and the total's.
    const mix = new MixAccounting(bounds, [undefined, [201]]);
    const events: [number, RequestResult][] = [
      [0, result(response(200), 1100, 1110)],
      [0, result(response(200), 1200, 1230)],
      [1, result(response(201), 1300, 1350)],
      [1, result(response(200), 1400, 1405)],
      [0, result({ kind: 'timeout' }, 1500, 2000)],
      [1, result(response(201), 900, 1001)], // due in the warmup: counted nowhere
    ];
    for (const [part, r] of events) mix.record(part, r);
    mix.recordUnsent(1, ns(1900), ns(2500));
    const { parts, total } = mix.close();
    expect(parts.map((m) => m.requests)).toEqual([3, 3]);
    expect(total.requests).toBe(6);
    expect(parts[0]!.successes).toBe(2);
    expect(parts[1]!.successes).toBe(1);
    expect(total.successes).toBe(3);
    expect(parts[1]!.failures).toEqual({ status: 1, timeout: 1, socket: 0 });
    expect(total.failures).toEqual({ status: 1, timeout: 2, socket: 0 });
    expect([...parts[0]!.latenciesMs]).toEqual([10, 30, 500]);
    expect([...parts[1]!.latenciesMs]).toEqual([50, 600]);
    expect([...total.latenciesMs].sort((a, b) => a - b)).toEqual([10, 30, 50, 500, 600]);
    expect(parts[1]!.queuedSends).toBe(1);
    expect(total.queuedSends).toBe(1);
  });

  it('notes sends per part and in the total', () => {
    const mix = new MixAccounting(bounds, [undefined, undefined, undefined]);
    mix.noteSend(2, { intendedNs: ns(1100), queued: true, late: false });
    mix.noteSend(0, { intendedNs: ns(1200), queued: false, late: true });
    const { parts, total } = mix.close();
    expect(parts.map((m) => [m.queuedSends, m.lateSends])).toEqual([
      [0, 1],
      [0, 0],
      [1, 0],
    ]);
    expect([total.queuedSends, total.lateSends]).toEqual([1, 1]);
  });

  it('outside a mix, the one part is the total (counted once)', () => {
    const mix = new MixAccounting(bounds, [undefined]);
    mix.record(0, result(response(200), 1100, 1110));
    const { parts, total } = mix.close();
    expect(total.requests).toBe(1);
    expect(parts[0]).toEqual(total);
  });

  it('refuses a part it does not have', () => {
    expect(() =>
      new MixAccounting(bounds, [undefined, undefined]).record(2, result(response(200), 1, 2)),
    ).toThrow(/no part 2/);
  });
});
