/** The capacity search in words, for the log, the terminal and the comment: a pure function of the result. */
import { formatCapacity, formatMs, formatPercent, formatSignedPercent } from './format.js';
import type { CapacityResult, CapacitySearch, CapacityStep } from './model.js';

/** "400 req/s: achieved 398.2, p95 12.3 ms, 0.00% errors, 21 connections: held" (or "broke p95, errors"). */
export function stepLine(step: CapacityStep): string {
  const p95 = step.latencyMs ? formatMs(step.latencyMs.p95) : 'n/a';
  const by = step.brokenBy === undefined ? '' : ` (${step.brokenBy})`;
  const outcome = step.passed ? 'held' : `broke ${step.broke.join(', ')}${by}`;
  const worst = step.worstEndpoint === undefined ? '' : ` (${step.worstEndpoint})`;
  return (
    `${formatCapacity(step.offeredRps)}: achieved ${step.achievedRps.toFixed(1)}, p95 ${p95}${worst}, ` +
    `${formatPercent(step.errorRate)} errors, ${step.connections} connections: ${outcome}`
  );
}

const LIMIT_WORDS = {
  p95: 'p95 over its target',
  errors: 'errors over their target',
  rate: 'the rate not achieved',
  'load-generator': "slo-gate's own sends running late (the load generator, not the service, was the limit)",
} as const;

/**
 * "capacity 1,840 req/s (next step: p95 over its target)"; with a base "capacity 1,840 → 1,420 req/s, −23%,
 * REGRESSED beyond the 10% budget (base: …; head: …)".
 */
export function capacityLine(c: CapacityResult, maxRegression?: number): string {
  const own = describeSearch(c);
  if (!c.base) return `capacity ${own}`;
  const change = c.change === null || c.change === undefined ? 'not compared' : formatSignedPercent(c.change);
  const verdict = c.verdict ? `, ${capacityVerdictWords(c.verdict, maxRegression)}` : '';
  return `capacity ${capacityValue(c.base)} → ${capacityValue(c)}, ${change}${verdict} (base: ${describeSearch(c.base)}; head: ${own})`;
}

/** "1,840 req/s", "≥ 5,000 req/s" (held up to `to`), "< 50 req/s" (broke at `from`). */
export function capacityValue(s: CapacitySearch): string {
  if (s.reachedTo) return `≥ ${formatCapacity(s.rps)}`;
  return s.rps === 0 && s.limitedBy ? `< ${formatCapacity(s.fromRps)}` : formatCapacity(s.rps);
}

/** How the change of capacity is judged, in words. */
export function capacityVerdictWords(
  verdict: NonNullable<CapacityResult['verdict']>,
  maxRegression?: number,
): string {
  const budget = maxRegression === undefined ? '' : ` beyond the ${formatPercent(maxRegression)} budget`;
  if (verdict === 'regressed') return `REGRESSED${budget}`;
  if (verdict === 'not-judged') return 'not judged: a side was limited by the load generator or the time cap';
  return verdict === 'improved' ? 'improved' : 'within its budget';
}

/** What one search found and why it ended. */
export function describeSearch(s: CapacitySearch): string {
  if (s.reachedTo) return `at least ${formatCapacity(s.rps)} (held every rate up to \`to\`)`;
  const stopped =
    s.stoppedBy === 'max-time'
      ? `, at least: the search reached its max-time cap after ${s.steps.length} steps`
      : s.stoppedBy === 'interrupted'
        ? ', at least: the search was interrupted'
        : '';
  if (s.rps === 0 && s.limitedBy)
    return `below ${formatCapacity(s.fromRps)} (from broke: ${LIMIT_WORDS[s.limitedBy]})`;
  const next = s.limitedBy ? ` (next step: ${LIMIT_WORDS[s.limitedBy]})` : '';
  return `${formatCapacity(s.rps)}${next}${stopped}`;
}

/** Pure: the endpoint that broke its SLO first at the lowest rate the mix's search broke at, if one did. */
export function mixBrokenBy(s: CapacitySearch): string | undefined {
  const failed = s.steps.filter((step) => !step.passed);
  if (failed.length === 0) return undefined;
  return failed.reduce((a, b) => (b.offeredRps < a.offeredRps ? b : a)).brokenBy;
}

/** The mix's capacity line: capacityLine, naming the endpoint that broke first above the capacity. */
export function mixCapacityLine(c: CapacityResult, maxRegression?: number): string {
  const by = mixBrokenBy(c);
  return `${capacityLine(c, maxRegression)}${by === undefined ? '' : `; ${by} broke its SLO first`}`;
}
