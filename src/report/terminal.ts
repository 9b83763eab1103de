/** The readable table at the end of a CLI run: a pure function of the result. */
import {
  formatChangeParts,
  formatCheckValue,
  formatToSettle,
  formatMs,
  formatPercent,
  formatRate,
  formatRateValue,
  plural,
} from './format.js';
import { inconclusiveNames } from '../verdict/inconclusive.js';
import { capacityLine, mixCapacityLine } from './capacity-text.js';
import { intervalSpan, slowestInterval, timelineEndpoint } from './chart-data.js';
import type { CheckResult, EndpointResult, GateResult, MixResult, StageResult } from './model.js';

export function verdictLine(result: GateResult): string {
  const endpoints = result.endpoints.length;
  if (result.verdict === 'passed') {
    const inconclusive = inconclusiveNames(result);
    const unsure =
      inconclusive.length > 0 ? `; inconclusive against the base: ${inconclusive.join(', ')}` : '';
    return `PASSED: all SLOs met on ${plural(endpoints, 'endpoint')}${unsure}`;
  }
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
  regressed: 'REGRESSED beyond',
  inconclusive: 'INCONCLUSIVE against',
  'within-budget': 'within',
  improved: 'improved, within',
} as const;

/**
 * "p95 142 ms → 171 ms (+20%, 95% CI +14…+26%), REGRESSED beyond the 10.0% budget"; an
 * inconclusive one adds what would settle it.
 */
export function baselineLine(e: EndpointResult): string | undefined {
  const baseline = e.baseline;
  if (!baseline) return undefined;
  if (!baseline.p95)
    return `no comparison with the base (too few rounds with answers on both sides): inconclusive`;
  const { baseMs, headMs, change } = baseline.p95;
  const parts = formatChangeParts(change);
  const settle = baseline.toSettle ? `: ${formatToSettle(baseline.toSettle, baseline.rounds)}` : '';
  return (
    `p95 ${formatMs(baseMs)} → ${formatMs(headMs)} (${parts.change}, ${parts.interval}), ` +
    `${VERDICT_WORDS[baseline.verdict]} the ${formatPercent(baseline.maxRegression)} budget${settle}`
  );
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

/** "0→50 req/s" or "0→10 connections": what a stage offered, from its start to its end. */
export function stageShape(stage: StageResult): string {
  if (stage.offeredRps) return `${stage.offeredRps.from}→${stage.offeredRps.to} req/s`;
  const { from, to } = stage.connections ?? { from: 0, to: 0 };
  return `${from}→${to} connections`;
}

/** One stage under its endpoint: not judged on its own (the endpoint's checks cover every stage). */
function stageRow(stage: StageResult): string[] {
  const at = (key: 'p50' | 'p90' | 'p95' | 'p99' | 'max') =>
    stage.latencyMs ? formatMs(stage.latencyMs[key]) : 'n/a';
  return [
    `  stage ${stage.index + 1}: ${stageShape(stage)} over ${stage.durationMs / 1000} s, ${formatRateValue(stage.answeredRps)} answered/s`,
    String(stage.requests),
    formatRateValue(stage.rps),
    ...(['p50', 'p90', 'p95', 'p99', 'max'] as const).map(at),
    formatPercent(stage.errorRate),
    '',
  ];
}

/** The mix's capacity (issue #11 with load.mode: mixed), its failed checks and problems. */
function mixCapacityLines(mix: MixResult | undefined): string[] {
  if (!mix?.capacity) return [];
  const budget = mix.checks?.find((c) => c.metric === 'capacity-regression')?.limit;
  return [
    `  whole mix: ${mixCapacityLine(mix.capacity, budget)}`,
    ...(mix.checks ?? [])
      .filter((c) => !c.passed && !BESIDE_THE_TABLE.has(c.metric))
      .map((c) => `  whole mix: ${failedCheckText(c)}`),
    ...(mix.problems ?? []).map((p) => `  whole mix: ${p}`),
  ];
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

/** One line from the timelines: the worst endpoint's slowest interval, as the comment's chart shows it. */
function timelineHint(result: GateResult): string | undefined {
  const worst = timelineEndpoint(result);
  const slowest = worst && slowestInterval(worst.timeline!);
  if (!worst || !slowest?.latencyMs) return undefined;
  return (
    `  ${shortName(worst.name)}: slowest interval ${intervalSpan(slowest)}, p95 ${formatMs(slowest.latencyMs.p95)} ` +
    `(${formatRate(slowest.offeredRps)} asked, ${formatRateValue(slowest.achievedRps)} answered)`
  );
}

export function renderTerminal(result: GateResult): string {
  const lines: string[] = [];
  if (result.endpoints.length > 0) {
    const header = ['endpoint', 'requests', 'req/s', 'p50', 'p90', 'p95', 'p99', 'max', 'errors', ''];
    const rows = result.endpoints.flatMap((e) => [
      [
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
      ],
      ...(e.stages ?? []).map(stageRow),
    ]);
    if (result.mix) rows.push(mixRow(result.mix));
    lines.push(...pad([header, ...rows]), '');
    const hint = timelineHint(result);
    if (hint) lines.push(hint);
    for (const e of result.endpoints) {
      const baseline = baselineLine(e);
      if (baseline) lines.push(`  ${shortName(e.name)}: ${baseline}`);
      const budget = e.checks.find((c) => c.metric === 'capacity-regression')?.limit;
      if (e.capacity) lines.push(`  ${shortName(e.name)}: ${capacityLine(e.capacity, budget)}`);
    }
    lines.push(...mixCapacityLines(result.mix));
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
  if (result.merged) lines.push(`merged from ${result.merged.shards} shard reports`);
  lines.push(verdictLine(result));
  return lines.join('\n');
}
