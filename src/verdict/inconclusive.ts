/** What the gate says about comparisons with the base that could not tell (issue #12). */
import { formatChange, formatPercent, formatToSettle } from '../report/format.js';
import type { EndpointResult } from '../report/model.js';

/**
 * Pure: one warning per endpoint whose comparison with the base was inconclusive and still passed
 * (baseline.on-inconclusive: pass), with what would settle it. Under `fail` the failed check says it instead.
 */
export function inconclusiveWarnings(endpoints: readonly EndpointResult[]): string[] {
  return endpoints.flatMap((e) => {
    const baseline = e.baseline;
    const check = e.checks.find((c) => c.metric === 'max-regression');
    if (baseline?.verdict !== 'inconclusive' || !check?.passed) return [];
    const passed = 'passed, as baseline.on-inconclusive is pass';
    if (!baseline.p95) {
      return [`${e.name}: too few rounds with answers on both sides to compare with the base; ${passed}`];
    }
    const budget = formatPercent(baseline.maxRegression);
    const settle = baseline.toSettle ? `; ${formatToSettle(baseline.toSettle, baseline.rounds)}` : '';
    return [
      `${e.name}: p95 against the base is inconclusive, ${formatChange(baseline.p95.change)} straddles its ${budget} budget; ${passed}${settle}`,
    ];
  });
}

/** Pure: the endpoints whose comparison with the base was inconclusive, by name, in config order. */
export const inconclusiveNames = (result: { endpoints: readonly EndpointResult[] }): string[] =>
  result.endpoints.filter((e) => e.baseline?.verdict === 'inconclusive').map((e) => e.name);
