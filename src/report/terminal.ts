/** The readable table at the end of a CLI run: a pure function of the result. */
import {
  formatChangeParts,
  formatCheckValue,
  formatMs,
  formatPercent,
  formatRateValue,
  plural,
} from './format.js';
import { capacityLine } from './capacity-text.js';
import type { CheckResult, EndpointResult, GateResult, MixResult } from './model.js';

export function verdictLine(result: GateResult): string {
  const endpoints = result.endpoints.length;
  if (result.verdict === 'passed') return `PASSED: all SLOs met on ${plural(endpoints, 'endpoint')}`;
  if (result.verdict === 'breached') return `FAILED: ${result.reason}`;
  return `FAILED: ${result.reason ?? 'the service or target failed'}`;
}

/** The widest endpoint name the table shows; longer ones end in "…". */
const MAX_NAME_WIDTH = 40;

/** A user string on one terminal line: control characters (newlines, escapes) shown as spaces. */
// eslint-disable-next-line no-control-regex
const oneLine = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

const shortName = (name: string) => {
  const line = oneLine(name);
  return line.length > MAX_NAME_WIDTH ? `${line.slice(0, MAX_NAME_WIDTH - 1)}…` : line;
};

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  return cells.map((row) =>
    row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  '),
  );
}

const latency = (e: EndpointResult, key: 'p50' | 'p90' | 'p95' | 'p99' | 'max') =>
  e.latencyMs ? formatMs(e.latencyMs[key]) : 'n/a';

const VERDICT_WORDS = {
  regressed: 'REGRESSED',
  'within-noise': 'within noise',
  improved: 'improved',
} as const;

/** "p95 142 ms → 171 ms (+20%, 95% CI +14…+26%), regressed beyond the 10% budget". */
export function baselineLine(e: EndpointResult): string | undefined {
  const baseline = e.baseline;
  if (!baseline) return undefined;
  if (!baseline.p95) return `no comparison with the base (too few rounds with answers on both sides)`;
  const { baseMs, headMs, change } = baseline.p95;
  const budget =
    baseline.verdict === 'regressed' ? ` beyond the ${formatPercent(baseline.maxRegression)} budget` : '';
  const parts = formatChangeParts(change);
  return `p95 ${formatMs(baseMs)} → ${formatMs(headMs)} (${parts.change}, ${parts.interval}), ${VERDICT_WORDS[baseline.verdict]}${budget}`;
}

/** Checks whose failure the lines above the list already tell (the change against the base, of p95 or capacity). */
const BESIDE_THE_TABLE = new Set(['max-regression', 'capacity-regression']);

const LATENCY_METRICS = new Set(['p50', 'p90', 'p95', 'p99', 'max']);

/**
 * "p95 312 ms over the target 250 ms"; a check with nothing measured says what happened instead of
 * "n/a over the target", which reads as a slow answer when there was none.
 */
export function failedCheckText(check: CheckResult): string {
  const target = formatCheckValue(check, check.limit);
  if (check.actual === null) {
    const why = LATENCY_METRICS.has(check.metric)
      ? 'no successful response to time'
      : 'no resource samples of the service';
    return `${check.metric} not measured: ${why} (target ${target})`;
  }
  return `${check.metric} ${formatCheckValue(check, check.actual)} ${check.unit === 'rps' ? 'below' : 'over'} the target ${target}`;
}

/** A mixed load's total: every endpoint's requests together, not judged (each endpoint is, on its own). */
function mixRow(mix: MixResult): string[] {
  const at = (key: 'p50' | 'p90' | 'p95' | 'p99' | 'max') =>
    mix.latencyMs ? formatMs(mix.latencyMs[key]) : 'n/a';
  const latencies = (['p50', 'p90', 'p95', 'p99', 'max'] as const).map(at);
  return [
    'whole mix',
    String(mix.requests),
    formatRateValue(mix.rps),
    ...latencies,
    formatPercent(mix.errorRate),
    '',
  ];
}

export function renderTerminal(result: GateResult): string {
  const lines: string[] = [];
  if (result.endpoints.length > 0) {
    const header = ['endpoint', 'requests', 'req/s', 'p50', 'p90', 'p95', 'p99', 'max', 'errors', ''];
    const rows = result.endpoints.map((e) => [
      shortName(e.name),
      String(e.requests),
      formatRateValue(e.rps),
      latency(e, 'p50'),
      latency(e, 'p90'),
      latency(e, 'p95'),
      latency(e, 'p99'),
      latency(e, 'max'),
      formatPercent(e.errorRate),
      e.passed ? 'ok' : 'FAIL',
    ]);
    if (result.mix) rows.push(mixRow(result.mix));
    lines.push(...pad([header, ...rows]), '');
    for (const e of result.endpoints) {
      const baseline = baselineLine(e);
      if (baseline) lines.push(`  ${shortName(e.name)}: ${baseline}`);
      const budget = e.checks.find((c) => c.metric === 'capacity-regression')?.limit;
      if (e.capacity) lines.push(`  ${shortName(e.name)}: ${capacityLine(e.capacity, budget)}`);
    }
    for (const e of result.endpoints) {
      for (const check of e.checks.filter((c) => !c.passed && !BESIDE_THE_TABLE.has(c.metric))) {
        lines.push(`  ${shortName(e.name)}: ${failedCheckText(check)}`);
      }
      for (const problem of e.problems) lines.push(`  ${shortName(e.name)}: ${problem}`);
    }
  }
  for (const warning of result.warnings) lines.push(`warning: ${oneLine(warning)}`);
  if (result.verdict === 'failed' && result.service?.logTail?.length) {
    lines.push('', 'Last lines of the service output:', ...result.service.logTail.map((l) => `  | ${l}`));
  }
  lines.push(verdictLine(result));
  return lines.join('\n');
}
