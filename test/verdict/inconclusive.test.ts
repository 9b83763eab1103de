/** The gate's verdict and warnings when a comparison with the base cannot tell: pure, on synthetic rounds. */
import { describe, expect, it } from 'vitest';
import { judgeRounds } from '../../src/baseline/rounds.js';
import type { OnInconclusive } from '../../src/config/types.js';
import type { EndpointResult } from '../../src/report/model.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { inconclusiveNames, inconclusiveWarnings } from '../../src/verdict/inconclusive.js';
import { check, endpointResult, gateResult, window } from './fixtures.js';

/** An endpoint compared over 4 rounds of head/base p95 ratios `ratios`, judged under `onInconclusive`. */
function compared(name: string, ratios: number[], onInconclusive: OnInconclusive): EndpointResult {
  const judged = judgeRounds(
    { base: ratios.map(() => window([10, 10])), head: ratios.map((r) => window([10 * r, 10 * r])) },
    0.1,
    onInconclusive,
  )!;
  const checks = [check('p95', true), judged.check];
  return endpointResult(name, checks, [], {
    baseline: judged.baseline,
    passed: checks.every((c) => c.passed),
  });
}

const STRADDLING = [1.05, 1.25, 1.05, 1.25];
const WITHIN = [1.01, 1.02, 1.01, 1.02];
const REGRESSED = [1.3, 1.31, 1.3, 1.31];

describe('an inconclusive comparison in the verdict', () => {
  it.each<[string, OnInconclusive, string, string | undefined, number]>([
    ['passes with a warning by default (pass)', 'pass', 'passed', undefined, 1],
    [
      'breaches under fail, named like any check',
      'fail',
      'breached',
      'SLO breached: checkout (max-regression)',
      0,
    ],
  ])('%s', (_name, onInconclusive, verdict, reason, warnings) => {
    const result = gateResult([
      compared('list', WITHIN, onInconclusive),
      compared('checkout', STRADDLING, onInconclusive),
    ]);
    expect(inconclusiveNames(result)).toEqual(['checkout']);
    expect(inconclusiveWarnings(result.endpoints)).toHaveLength(warnings);
    decideVerdict(result);
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toBe(reason);
  });

  it('warns with the change, the budget and what would settle it', () => {
    const [warning] = inconclusiveWarnings([compared('checkout', STRADDLING, 'pass')]);
    expect(warning).toMatch(
      /^checkout: p95 against the base is inconclusive, \+15% \(95% CI −\d\.\d…\+\d\d%\) straddles its 10\.0% budget; passed, as baseline\.on-inconclusive is pass; \d+ rounds, or \d+ replicates of 4, would settle it$/,
    );
  });

  it('a regression breaches whatever on-inconclusive says, and is no warning', () => {
    for (const onInconclusive of ['pass', 'fail'] as const) {
      const result = gateResult([compared('list', REGRESSED, onInconclusive)]);
      expect(inconclusiveWarnings(result.endpoints)).toEqual([]);
      decideVerdict(result);
      expect(result.verdict).toBe('breached');
    }
  });
});
