import { describe, expect, it } from 'vitest';
import { verdictMarkdown } from '../../src/report/markdown-sections.js';
import { baselineLine, renderTerminal, verdictLine } from '../../src/report/terminal.js';
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

describe('a passing verdict with comparisons that could not tell', () => {
  it('names them in the terminal and the comment, and nothing else changes', () => {
    const result = loadResult('baseline-regressed');
    result.verdict = 'passed';
    result.passed = true;
    expect(verdictLine(result)).toBe(
      'PASSED: all SLOs met on 4 endpoints; inconclusive against the base: checkout, search',
    );
    expect(verdictMarkdown(result)).toBe(
      '### ✅ slo-gate: all SLOs met on 4 endpoints; inconclusive against the base: checkout, search',
    );
    expect(verdictLine(loadResult('passed'))).toBe('PASSED: all SLOs met on 3 endpoints');
  });

  it('says what would settle an inconclusive one', () => {
    const checkout = loadResult('baseline-regressed').endpoints.find((e) => e.name === 'checkout')!;
    expect(baselineLine(checkout)).toBe(
      'p95 8.10 ms → 9.32 ms (+15%, 95% CI +2.0…+30%), INCONCLUSIVE against the 10.0% budget: 28 rounds, or 5 replicates of 6, would settle it',
    );
  });
});
