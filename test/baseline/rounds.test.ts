/** The base/head round-robin on synthetic windows: order, early stop, trimming and the comparison. */
import { describe, expect, it } from 'vitest';
import {
  judgeRounds,
  regressionPassed,
  roundOrder,
  runRounds,
  trimToPairs,
  type RoundsDriver,
  type Side,
} from '../../src/baseline/rounds.js';
import type { LoadMeasurement } from '../../src/load/run-load.js';
import { emptyWindow } from '../../src/verdict/endpoint-result.js';
import { window } from '../verdict/fixtures.js';

/** Each window's one sample names its side and round: base round 2 is 2, head round 2 is 1002. */
const sample = (side: Side, round: number) => (side === 'head' ? 1000 : 0) + round;
const only = (m: LoadMeasurement | undefined) => m?.latenciesMs[0];

/** A driver that records its calls and stops once `stopAfter` windows have been measured. */
function recordingDriver(stopAfter = Infinity) {
  const calls: string[] = [];
  const rounds: [number, number | undefined, number | undefined][] = [];
  let measured = 0;
  const driver: RoundsDriver = {
    warm: async (side) => {
      calls.push(`warm ${side}`);
    },
    measure: async (side, round) => {
      calls.push(`${side} ${round}`);
      measured++;
      return window([sample(side, round)]);
    },
    stopped: () => measured >= stopAfter,
    onRound: (round, base, head) => rounds.push([round, only(base), only(head)]),
  };
  return { driver, calls, rounds };
}

describe('roundOrder', () => {
  it.each<[number, Side[]]>([
    [0, ['base', 'head']],
    [1, ['head', 'base']],
    [2, ['base', 'head']],
    [7, ['head', 'base']],
  ])('round %i runs %j', (round, order) => {
    expect(roundOrder(round)).toEqual(order);
  });
});

describe('runRounds', () => {
  it('warms both once, then alternates which side goes first', async () => {
    const { driver, calls, rounds } = recordingDriver();
    const windows = await runRounds(4, driver);
    expect(calls).toEqual([
      'warm base',
      'warm head',
      'base 0',
      'head 0',
      'head 1',
      'base 1',
      'base 2',
      'head 2',
      'head 3',
      'base 3',
    ]);
    expect(windows.base.map(only)).toEqual([0, 1, 2, 3]);
    expect(windows.head.map(only)).toEqual([1000, 1001, 1002, 1003]);
    expect(rounds).toEqual([
      [0, 0, 1000],
      [1, 1, 1001],
      [2, 2, 1002],
      [3, 3, 1003],
    ]);
  });

  it('starts no round once stopped, and keeps only whole pairs', async () => {
    // Stopped once 3 windows are in (head 1): a round is not cut midway, so base 1 still runs; round 2 does not.
    const { driver, calls } = recordingDriver(3);
    const windows = await runRounds(6, driver);
    expect(calls).toEqual(['warm base', 'warm head', 'base 0', 'head 0', 'head 1', 'base 1']);
    expect(windows.base.map(only)).toEqual([0, 1]);
    expect(windows.head.map(only)).toEqual([1000, 1001]);
  });

  it('measures nothing when stopped before the first round', async () => {
    const { driver, calls } = recordingDriver(0);
    expect(await runRounds(6, driver)).toEqual({ base: [], head: [] });
    expect(calls).toEqual(['warm base', 'warm head']);
  });
});

describe('trimToPairs', () => {
  const w = (n: number) => window([n]);
  it.each<[string, number[], number[], number[], number[]]>([
    ['already paired', [1, 2], [11, 12], [1, 2], [11, 12]],
    ['a base window without its head', [1, 2, 3], [11, 12], [1, 2], [11, 12]],
    ['a head window without its base', [1], [11, 12], [1], [11]],
    ['nothing on one side', [], [11], [], []],
  ])('%s', (_, base, head, keptBase, keptHead) => {
    const trimmed = trimToPairs({ base: base.map(w), head: head.map(w) });
    expect(trimmed.base.map(only)).toEqual(keptBase);
    expect(trimmed.head.map(only)).toEqual(keptHead);
  });
});

describe('judgeRounds', () => {
  const rounds = (baseMs: number[], headMs: number[]) => ({
    base: baseMs.map((ms) => window([ms, ms, ms])),
    head: headMs.map((ms) => window([ms, ms, ms])),
  });

  it('is undefined when no pair ran', () => {
    expect(judgeRounds({ base: [], head: [] }, 0.1)).toBeUndefined();
  });

  it('fails max-regression on a head 30% slower in every round', () => {
    const judged = judgeRounds(rounds([10, 20, 10, 20], [13, 26, 13, 26]), 0.1)!;
    expect(judged.baseline).toMatchObject({
      rounds: 4,
      verdict: 'regressed',
      maxRegression: 0.1,
      requests: 12,
    });
    expect(judged.baseline.p95!.change.change).toBeCloseTo(0.3, 10);
    expect(judged.check).toMatchObject({
      metric: 'max-regression',
      limit: 0.1,
      unit: 'fraction',
      passed: false,
    });
    expect(judged.check.actual).toBeCloseTo(0.3, 10);
    expect(judged.problems).toEqual([]);
  });

  it('passes the same speed on both sides', () => {
    const judged = judgeRounds(rounds([10, 20, 15], [10, 20, 15]), 0.1)!;
    expect(judged.baseline.verdict).toBe('within-budget');
    expect(judged.check.passed).toBe(true);
    expect(judged.baseline.toSettle).toBeUndefined();
  });

  // log-ratios log(1.05), log(1.25) by turns: +15%, 95% CI about −2…+34%, straddling the 10% budget.
  const straddling = () => rounds([10, 10, 10, 10], [10.5, 12.5, 10.5, 12.5]);

  it.each([
    ['passes an inconclusive comparison by default', undefined, true],
    ['passes it with on-inconclusive: pass', 'pass', true],
    ['fails it with on-inconclusive: fail', 'fail', false],
  ] as const)('%s', (_name, onInconclusive, passed) => {
    const judged = judgeRounds(straddling(), 0.1, onInconclusive)!;
    expect(judged.baseline.verdict).toBe('inconclusive');
    expect(judged.baseline.p95!.change.low).toBeLessThan(0.1);
    expect(judged.baseline.p95!.change.high).toBeGreaterThan(0.1);
    expect(judged.check.passed).toBe(passed);
    // What would settle it: more rounds than the 4 it had, the same as replicates of 4.
    const { rounds: needed, replicates } = judged.baseline.toSettle!;
    expect(needed).toBeGreaterThan(4);
    expect(replicates).toBe(Math.ceil(needed! / 4));
  });

  it('fails too few rounds to compare only under on-inconclusive: fail', () => {
    const one = rounds([10], [10]);
    expect(judgeRounds(one, 0.1)!.baseline).toMatchObject({ p95: null, verdict: 'inconclusive' });
    expect(judgeRounds(one, 0.1)!.baseline.toSettle).toBeUndefined();
    expect(judgeRounds(one, 0.1, 'pass')!.check.passed).toBe(true);
    expect(judgeRounds(one, 0.1, 'fail')!.check.passed).toBe(false);
  });

  it('pools the base error rate, and names a base that never answered well', () => {
    const failed = {
      ...emptyWindow(),
      windowMs: 500,
      requests: 4,
      failures: { status: 4, timeout: 0, socket: 0 },
    };
    const judged = judgeRounds({ base: [failed, failed], head: [window([1]), window([1])] }, 0.1)!;
    expect(judged.baseline).toMatchObject({ requests: 8, errorRate: 1, latencyMs: null, p95: null });
    expect(judged.check).toMatchObject({ actual: null, passed: true });
    expect(judged.problems).toEqual(['the base service gave no successful response']);
  });
});

describe('regressionPassed', () => {
  it.each([
    ['regressed', 'pass', false],
    ['regressed', 'fail', false],
    ['inconclusive', 'pass', true],
    ['inconclusive', 'fail', false],
    ['within-budget', 'pass', true],
    ['within-budget', 'fail', true],
    ['improved', 'pass', true],
    ['improved', 'fail', true],
  ] as const)('%s under on-inconclusive: %s → passed %s', (verdict, onInconclusive, passed) => {
    expect(regressionPassed(verdict, onInconclusive)).toBe(passed);
  });
});
