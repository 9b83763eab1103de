/**
 * The top of the markdown report: the verdict line, the endpoint table with each endpoint's margin, and the
 * list of breaches under it.
 */
import {
  formatCapacity,
  formatChange,
  formatCheckValue,
  formatCount,
  formatMs,
  formatPercent,
  formatRateValue,
  formatSignedPercent,
  formatToSettle,
  plural,
} from './format.js';
import { inconclusiveNames } from '../verdict/inconclusive.js';
import { keepUnits, MAX_VERDICT_CHARS, oneLine, userText } from './markdown-escape.js';
import { capacityLine } from './capacity-text.js';
import type {
  BaselineComparison,
  CapacityResult,
  CheckResult,
  EndpointResult,
  GateResult,
  MixResult,
} from './model.js';

/** How a markdown report is rendered: its size limit and the gate's label. */
export interface MarkdownOptions {
  /** Cut the report to this many characters (UTF-16 code units, never fewer than GitHub counts). */
  limit?: number;
  /** Names this gate in the verdict line when a repository runs several: "slo-gate (api)". */
  label?: string;
}

/** "slo-gate", or "slo-gate (api)" with a label. */
export function reportTitle(options: MarkdownOptions): string {
  return options.label ? `slo-gate (${userText(options.label, 60)})` : 'slo-gate';
}

/** The failed checks of an endpoint, as "p95, error-rate". */
const failedMetrics = (e: EndpointResult) =>
  e.checks
    .filter((c) => !c.passed)
    .map((c) => c.metric)
    .join(', ');

/** The one-line verdict that opens the report. */
export function verdictMarkdown(result: GateResult, options: MarkdownOptions = {}): string {
  const n = result.endpoints.length;
  const name = reportTitle(options);
  if (result.verdict === 'passed') {
    const inconclusive = inconclusiveNames(result);
    const unsure =
      inconclusive.length > 0
        ? `; inconclusive against the base: ${userText(inconclusive.join(', '), MAX_VERDICT_CHARS)}`
        : '';
    return `### ✅ ${name}: all SLOs met on ${plural(n, 'endpoint')}${unsure}`;
  }
  if (result.verdict === 'breached') {
    const breached = result.endpoints.filter((e) => e.checks.some((c) => !c.passed));
    const which = breached.map((e) => `${e.name} (${failedMetrics(e)})`).join('; ');
    const count = breached.length > 0 ? ` on ${breached.length} of ${plural(n, 'endpoint')}` : '';
    return `### ❌ ${name}: SLO breached${count}${which ? `: ${userText(which, MAX_VERDICT_CHARS)}` : ''}`;
  }
  return `### ❌ ${name}: ${userText(result.reason ?? 'the service or target failed', MAX_VERDICT_CHARS)}`;
}

/** The endpoint's check of one metric ("p95", "error-rate"), if it has a target for it. */
export const checkOf = (e: EndpointResult, metric: string): CheckResult | undefined =>
  e.checks.find((c) => c.metric === metric);

/** "87.0 ms / 100 ms", with ❌ when the check failed; the bare value when there is no target. */
function valueCell(e: EndpointResult, metric: 'p50' | 'p95' | 'p99'): string {
  const check = checkOf(e, metric);
  const actual = e.latencyMs ? formatMs(e.latencyMs[metric]) : 'n/a';
  if (!check) return actual;
  return `${actual} / ${formatCheckValue(check, check.limit)}${check.passed ? '' : ' ❌'}`;
}

function errorCell(e: EndpointResult): string {
  const check = checkOf(e, 'error-rate');
  const actual = formatPercent(e.errorRate);
  if (!check) return actual;
  return `${actual} / ${formatCheckValue(check, check.limit)}${check.passed ? '' : ' ❌'}`;
}

/** How far a check is from its limit, as a fraction of the limit: > 0 is over (or under a floor). */
function overshoot(check: CheckResult): number {
  if (check.actual === null) return Infinity;
  // A change against the base is a fraction already, with its own budget.
  if (check.metric === 'max-regression') return check.actual - check.limit;
  // A capacity's change is better upwards: a drop beyond the budget is over.
  if (check.metric === 'capacity-regression') return -check.actual - check.limit;
  if (check.limit === 0) return check.actual === 0 ? 0 : Infinity;
  const ratio = check.actual / check.limit;
  return check.unit === 'rps' ? 1 - ratio : ratio - 1;
}

/** What a check measures, for people: "error rate", "peak RSS"; latency percentiles keep their names. */
const METRIC_NAMES: Record<string, string> = {
  max: 'max latency',
  'error-rate': 'error rate',
  'min-rps': 'throughput',
  'max-rss': 'peak RSS',
  'max-rss-growth': 'RSS growth',
  'max-cpu-per-request': 'CPU per request',
  'max-regression': 'p95 change against the base',
  'min-capacity': 'capacity',
  'capacity-regression': 'capacity change against the base',
};
export const metricName = (metric: string): string => METRIC_NAMES[metric] ?? metric;

/** What each verdict says of the change against its budget, in the margin and the breach list. */
const REGRESSION_WORDS = {
  regressed: (budget: string) => `over its ${budget} budget`,
  inconclusive: (budget: string) => `inconclusive against its ${budget} budget`,
  'within-budget': (budget: string) => `within its ${budget} budget`,
  improved: () => 'faster',
} as const;

/**
 * The p95 against the base: "p95 142 ms → 171 ms against the base, +20% (95% CI +14…+26%): over its 10.0%
 * budget"; an inconclusive one adds what would settle it.
 */
function describeRegression(check: CheckResult, baseline: BaselineComparison | undefined): string {
  const budget = formatPercent(check.limit);
  if (!baseline?.p95) {
    return `p95 against the base: too few rounds with answers on both sides to compare: inconclusive`;
  }
  const { baseMs, headMs, change } = baseline.p95;
  const settle = baseline.toSettle ? `; ${formatToSettle(baseline.toSettle, baseline.rounds)}` : '';
  return `p95 ${formatMs(baseMs)} → ${formatMs(headMs)} against the base, ${formatChange(change)}: ${REGRESSION_WORDS[baseline.verdict](budget)}${settle}`;
}

/**
 * "p95 87.0 ms of a 100 ms budget", "p95 120 ms, 20.5 ms over its 100 ms budget", "throughput 80.0 req/s,
 * 20.0 req/s below its 100.0 req/s floor". A regression check needs the endpoint's baseline comparison.
 */
export function describeMargin(
  check: CheckResult,
  baseline?: BaselineComparison,
  capacity?: CapacityResult,
): string {
  if (check.metric === 'max-regression') return describeRegression(check, baseline);
  if (check.metric === 'capacity-regression' && capacity) return capacityLine(capacity, check.limit);
  const value = (v: number | null) => formatCheckValue(check, v);
  const name = metricName(check.metric);
  if (check.actual === null) return `${name}: nothing to measure (target ${value(check.limit)})`;
  if (check.unit === 'rps') {
    if (check.passed) return `${name} ${value(check.actual)}, above its ${value(check.limit)} floor`;
    return `${name} ${value(check.actual)}, ${value(check.limit - check.actual)} below its ${value(check.limit)} floor`;
  }
  if (check.passed) return `${name} ${value(check.actual)} of a ${value(check.limit)} budget`;
  return `${name} ${value(check.actual)}, ${value(check.actual - check.limit)} over its ${value(check.limit)} budget`;
}

/**
 * The endpoint's margin, for the details table: its first problem; else its worst failed check; else its
 * p95 budget; else the check closest to its limit.
 */
export function marginText(e: EndpointResult): string {
  if (e.problems.length > 0) return userText(e.problems[0]!);
  const worst = (checks: CheckResult[]) =>
    checks.reduce<CheckResult | undefined>(
      (best, c) => (best === undefined || overshoot(c) > overshoot(best) ? c : best),
      undefined,
    );
  const failed = worst(e.checks.filter((c) => !c.passed));
  if (failed) return describeMargin(failed, e.baseline, e.capacity);
  const p95 = checkOf(e, 'p95');
  if (p95) return describeMargin(p95);
  const closest = worst(e.checks.filter((c) => c.metric !== 'max-regression'));
  return closest ? describeMargin(closest) : 'no targets';
}

/** Names in the narrow table are cut to this; the details table has them whole. */
const MAX_TABLE_NAME_CHARS = 60;

/** The endpoint's name, with its request under it when the name is not the request itself. */
function endpointCell(e: EndpointResult): string {
  const request = `${e.method} ${e.path}`;
  const name = userText(e.name, MAX_TABLE_NAME_CHARS);
  return e.name === request ? name : `${name}<br><sub>${userText(request, MAX_TABLE_NAME_CHARS)}</sub>`;
}

/** The p95 change against the base, for the table: "+20% ❌", "+9.6% ⚠️ unsure", "+3.1%", "−12%, faster". */
function baseCell(e: EndpointResult): string {
  const change = e.baseline?.p95?.change;
  if (!e.baseline) return '—';
  if (!change) return 'n/a ⚠️';
  const verdict = { regressed: ' ❌', inconclusive: ' ⚠️ unsure', 'within-budget': '', improved: ', faster' }[
    e.baseline.verdict
  ];
  return `${formatSignedPercent(change.change)}${verdict}`;
}

/** ✅, ❌, or ⚠️ for an endpoint that passed but could not be told from its budget against the base. */
const statusCell = (e: EndpointResult) =>
  !e.passed ? '❌' : e.baseline?.verdict === 'inconclusive' ? '⚠️' : '✅';

/**
 * The capacity found, for the table: "1,840 req/s", "≥ 5,000 req/s" (held up to `to`), "< 50 req/s", with
 * the change against the base ("1,420 req/s, −23% ❌") and ❌ under min-capacity; "?" marks a capacity
 * the load generator or the time cap cut short.
 */
function capacityCell(e: EndpointResult): string {
  const c = e.capacity;
  if (!c) return '—';
  const prefix = c.reachedTo ? '≥ ' : c.rps === 0 ? '< ' : '';
  const value = formatCapacity(c.rps === 0 ? c.fromRps : c.rps);
  const cut = c.limitedBy === 'load-generator' || c.stoppedBy ? ' ?' : '';
  const change = typeof c.change === 'number' ? `, ${formatSignedPercent(c.change)}` : '';
  const failed = e.checks.some(
    (k) => !k.passed && (k.metric === 'min-capacity' || k.metric === 'capacity-regression'),
  );
  return `${prefix}${value}${cut}${change}${failed ? ' ❌' : ''}`;
}

/** A table row whose numbers stay beside their units; the status column has no heading: "| |". */
export const tableRow = (cells: string[]): string =>
  `| ${cells.map(keepUnits).join(' | ')} |`.replace(/^\| {2}\|/, '| |');

/**
 * The endpoint table, narrow enough for a comment: status, endpoint, rate, p95 and errors against their
 * targets (and the change against the base). Requests, p50, p99 and the margin are in the details table
 * (markdown-details). Empty when there is no endpoint.
 */
export function endpointTable(result: GateResult): string[] {
  if (result.endpoints.length === 0) return [];
  const withBase = result.endpoints.some((e) => e.baseline);
  const header = ['', 'Endpoint', 'Req/s', 'p95 / target', 'Errors / target'];
  const align = [':-:', '---', '--:', '--:', '--:'];
  if (withBase) {
    header.push('p95 vs base');
    align.push('--:');
  }
  const withCapacity = result.endpoints.some((e) => e.capacity);
  if (withCapacity) {
    header.push('Capacity');
    align.push('--:');
  }
  return [
    tableRow(header),
    `|${align.join('|')}|`,
    ...result.endpoints.map((e) =>
      tableRow([
        statusCell(e),
        endpointCell(e),
        formatRateValue(e.rps),
        oneLine(valueCell(e, 'p95')),
        oneLine(errorCell(e)),
        ...(withBase ? [oneLine(baseCell(e))] : []),
        ...(withCapacity ? [capacityCell(e)] : []),
      ]),
    ),
    ...(result.mix ? [tableRow([...mixCells(result.mix, withBase), ...(withCapacity ? ['—'] : [])])] : []),
  ];
}

/**
 * A mixed load's total row, in the table's own columns: the whole mix has no status and no target (each
 * endpoint is judged on its own figures), so those cells say so and the table stays as narrow.
 */
function mixCells(mix: MixResult, withBase: boolean): string[] {
  const p95 = mix.latencyMs ? formatMs(mix.latencyMs.p95) : 'n/a';
  return [
    '',
    '*Whole mix*',
    formatRateValue(mix.rps),
    p95,
    formatPercent(mix.errorRate),
    ...(withBase ? ['—'] : []),
  ];
}

/** The details table: everything the narrow table leaves out, one row per endpoint. */
export function latencyDetails(result: GateResult): string[] {
  return [
    tableRow(['Endpoint', 'Requests', 'p50', 'p95', 'p99', 'Margin']),
    '|---|--:|--:|--:|--:|---|',
    ...result.endpoints.map((e) =>
      tableRow([
        userText(e.name),
        formatCount(e.requests),
        oneLine(valueCell(e, 'p50')),
        e.latencyMs ? formatMs(e.latencyMs.p95) : 'n/a',
        oneLine(valueCell(e, 'p99')),
        marginText(e),
      ]),
    ),
    ...(result.mix ? [mixDetails(result.mix)] : []),
  ];
}

function mixDetails(mix: MixResult): string {
  const at = (key: 'p50' | 'p95' | 'p99') => (mix.latencyMs ? formatMs(mix.latencyMs[key]) : 'n/a');
  return tableRow(['*Whole mix*', formatCount(mix.requests), at('p50'), at('p95'), at('p99'), 'not judged']);
}

/** One line per failed check and per problem, under the table. */
export function breachList(result: GateResult): string[] {
  const lines: string[] = [];
  for (const e of result.endpoints) {
    for (const c of e.checks.filter((check) => !check.passed)) {
      lines.push(`- ❌ **${userText(e.name)}**: ${describeMargin(c, e.baseline, e.capacity)}`);
    }
    for (const problem of e.problems) lines.push(`- ❌ **${userText(e.name)}**: ${userText(problem, 1000)}`);
  }
  return lines;
}
