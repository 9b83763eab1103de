/** The gate's verdict, a pure function of its endpoints' results (and the mix's capacity, in mixed mode). */
import type { GateResult } from '../report/model.js';

/**
 * Pure: sets `verdict`, `passed` and `reason` from the endpoints. failed: the target could not be measured
 * (no success, stopped answering, died); breached: an SLO check failed (a regression against the base
 * included); passed otherwise.
 */
export function decideVerdict(result: GateResult): void {
  const { mix } = result;
  // The mix's capacity is judged as one more entry, named "mix", beside the endpoints.
  const judged = [
    ...result.endpoints,
    ...(mix?.checks ? [{ name: 'mix', checks: mix.checks, problems: mix.problems ?? [] }] : []),
  ];
  const broken = judged.find((e) => e.problems.length > 0);
  const breached = judged.filter((e) => e.checks.some((c) => !c.passed));
  if (broken) {
    result.verdict = 'failed';
    result.reason = `${broken.name}: ${broken.problems[0]}`;
  } else if (breached.length > 0) {
    result.verdict = 'breached';
    const names = breached.map(
      (e) =>
        `${e.name} (${e.checks
          .filter((c) => !c.passed)
          .map((c) => c.metric)
          .join(', ')})`,
    );
    result.reason = `SLO breached: ${names.join('; ')}`;
  } else {
    result.verdict = 'passed';
  }
  result.passed = result.verdict === 'passed';
}
