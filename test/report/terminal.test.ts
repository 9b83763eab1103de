import { describe, expect, it } from 'vitest';
import { baselineLine, renderTerminal } from '../../src/report/terminal.js';
import { expectGolden, loadResult, resultNames } from '../helpers/golden.js';

describe('renderTerminal against saved results (golden files)', () => {
  it.each(resultNames())('%s', (name) => {
    expectGolden(`${name}.txt`, renderTerminal(loadResult(name)));
  });
});

describe('baselineLine', () => {
  it('gives the change and its interval as the issue asks: "p95 a → b (+x%, 95% CI …)"', () => {
    const endpoint = loadResult('baseline-regressed').endpoints[0]!;
    expect(baselineLine(endpoint)).toBe(
      'p95 5.20 ms → 6.87 ms (+32%, 95% CI +21…+44%), REGRESSED beyond the 10.0% budget',
    );
  });

  it('is undefined without a baseline', () => {
    expect(baselineLine(loadResult('passed').endpoints[0]!)).toBeUndefined();
  });
});
