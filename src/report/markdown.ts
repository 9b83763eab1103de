/**
 * The markdown report (the PR comment and the job summary): a pure function of the result.
 *
 * Every string that came from the user or the service (endpoint names, paths, the target, versions, log
 * lines, reasons) goes through `escapeMarkdown` or into a fenced block, so it cannot break the table, open
 * HTML, make a link or @mention anyone. The report is cut to a character limit, details first.
 */
import {
  formatChange,
  formatChartNumber,
  formatCheckValue,
  formatCount,
  formatMegabytes,
  formatMs,
  formatPercent,
  formatRateValue,
  formatSignedMegabytes,
  formatSignedPercent,
  plural,
} from './format.js';
import type { BaselineComparison, CheckResult, EndpointResult, GateResult, ServiceInfo } from './model.js';

/** GitHub rejects comments over 65,536 characters; keep a margin for the marker and the footer. */
export const MARKDOWN_LIMIT = 60_000;

export interface MarkdownOptions {
  /** Cut the report to this many characters (UTF-16 code units, never fewer than GitHub counts). */
  limit?: number;
  /** Names this gate in the verdict line when a repository runs several: "slo-gate (api)". */
  label?: string;
}

/** User strings longer than this are clipped in table cells and one-line texts. */
const MAX_CELL_CHARS = 200;
/** The longest verdict line; the table and the list below it carry the rest. */
const MAX_VERDICT_CHARS = 300;
/** Log lines are clipped to this many characters; minified JSON on one line should not fill a comment. */
const MAX_LOG_LINE_CHARS = 500;

/**
 * Escapes text for a markdown table cell and for HTML: user strings never break the layout, never become
 * links, HTML or emphasis, and never @mention anyone or reference an issue (a zero-width space follows
 * the "@" or "#").
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // Markdown punctuation first, so the entities below keep their own "#" and ";".
      .replace(/([\\`*_[\]#~!])/g, '\\$1')
      .replace(/&/g, '&amp;')
      // "#12" would link (and cross-reference) issue 12; "@name" would notify someone.
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\|/g, '&#124;')
      .replace(/@/g, '@&#8203;')
      .replace(/\r\n?|\n/g, ' ')
  );
}

/** Clips to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** A user string for one line of the report: clipped, then escaped. */
const user = (text: string, max = MAX_CELL_CHARS) => escapeMarkdown(clip(text, max));

function title(options: MarkdownOptions): string {
  return options.label ? `slo-gate (${user(options.label, 60)})` : 'slo-gate';
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
  const name = title(options);
  if (result.verdict === 'passed') return `### ✅ ${name}: all SLOs met on ${plural(n, 'endpoint')}`;
  if (result.verdict === 'breached') {
    const breached = result.endpoints.filter((e) => e.checks.some((c) => !c.passed));
    const which = breached.map((e) => `${e.name} (${failedMetrics(e)})`).join('; ');
    const count = breached.length > 0 ? ` on ${breached.length} of ${plural(n, 'endpoint')}` : '';
    return `### ❌ ${name}: SLO breached${count}${which ? `: ${user(which, MAX_VERDICT_CHARS)}` : ''}`;
  }
  return `### ❌ ${name}: ${user(result.reason ?? 'the service or target failed', MAX_VERDICT_CHARS)}`;
}

const checkOf = (e: EndpointResult, metric: string) => e.checks.find((c) => c.metric === metric);

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
};
export const metricName = (metric: string): string => METRIC_NAMES[metric] ?? metric;

/** The p95 against the base: "p95 142 ms → 171 ms against the base, +20% (95% CI +14…+26%): over …". */
function describeRegression(check: CheckResult, baseline: BaselineComparison | undefined): string {
  const budget = formatPercent(check.limit);
  if (!baseline?.p95) return `p95 against the base: too few rounds with answers on both sides to compare`;
  const { baseMs, headMs, change } = baseline.p95;
  const verdict =
    baseline.verdict === 'regressed'
      ? `over its ${budget} budget`
      : baseline.verdict === 'improved'
        ? 'faster'
        : `within noise of its ${budget} budget`;
  return `p95 ${formatMs(baseMs)} → ${formatMs(headMs)} against the base, ${formatChange(change)}: ${verdict}`;
}

/**
 * "p95 87.0 ms of a 100 ms budget", "p95 120 ms, 20.5 ms over its 100 ms budget", "throughput 80.0 req/s,
 * 20.0 req/s below its 100.0 req/s floor". A regression check needs the endpoint's baseline comparison.
 */
export function describeMargin(check: CheckResult, baseline?: BaselineComparison): string {
  if (check.metric === 'max-regression') return describeRegression(check, baseline);
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
 * The margin column: the endpoint's first problem; else its worst failed check; else its p95 budget; else
 * the check closest to its limit.
 */
function marginCell(e: EndpointResult): string {
  if (e.problems.length > 0) return user(e.problems[0]!);
  const worst = (checks: CheckResult[]) =>
    checks.reduce<CheckResult | undefined>(
      (best, c) => (best === undefined || overshoot(c) > overshoot(best) ? c : best),
      undefined,
    );
  const failed = worst(e.checks.filter((c) => !c.passed));
  if (failed) return describeMargin(failed, e.baseline);
  const p95 = checkOf(e, 'p95');
  if (p95) return describeMargin(p95);
  const closest = worst(e.checks.filter((c) => c.metric !== 'max-regression'));
  return closest ? describeMargin(closest) : 'no targets';
}

function endpointCell(e: EndpointResult): string {
  const request = `${e.method} ${e.path}`;
  return e.name === request ? user(e.name) : `${user(e.name)}<br><sub>${user(request)}</sub>`;
}

/** The p95 change against the base, for the table: "+20% ❌", "+3.1%, noise", "−12%, faster". */
function baseCell(e: EndpointResult): string {
  const change = e.baseline?.p95?.change;
  if (!e.baseline) return '—';
  if (!change) return 'n/a';
  const verdict = { regressed: ' ❌', 'within-noise': ', noise', improved: ', faster' }[e.baseline.verdict];
  return `${formatSignedPercent(change.change)}${verdict}`;
}

function endpointTable(result: GateResult): string[] {
  if (result.endpoints.length === 0) return [];
  const withBase = result.endpoints.some((e) => e.baseline);
  const header = ['', 'Endpoint', 'Requests', 'Req/s', 'p50', 'p95 / target', 'p99', 'Errors / target'];
  const align = [':-:', '---', '--:', '--:', '--:', '--:', '--:', '--:'];
  if (withBase) {
    header.push('p95 vs base');
    align.push('--:');
  }
  header.push('Margin');
  align.push('---');
  // The status column has no heading: "| |", not "|  |".
  const row = (cells: string[]) => `| ${cells.join(' | ')} |`.replace(/^\| {2}\|/, '| |');
  return [
    row(header),
    `|${align.join('|')}|`,
    ...result.endpoints.map((e) =>
      row([
        e.passed ? '✅' : '❌',
        endpointCell(e),
        formatCount(e.requests),
        formatRateValue(e.rps),
        valueCell(e, 'p50'),
        valueCell(e, 'p95'),
        valueCell(e, 'p99'),
        errorCell(e),
        ...(withBase ? [baseCell(e)] : []),
        marginCell(e),
      ]),
    ),
  ];
}

/** One line per failed check and per problem, under the table. */
function breachList(result: GateResult): string[] {
  const lines: string[] = [];
  for (const e of result.endpoints) {
    for (const c of e.checks.filter((check) => !check.passed)) {
      lines.push(`- ❌ **${user(e.name)}**: ${describeMargin(c, e.baseline)}`);
    }
    for (const problem of e.problems) lines.push(`- ❌ **${user(e.name)}**: ${user(problem, 1000)}`);
  }
  return lines;
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

const countsCell = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, n]) => `${user(key, 40)}: ${n}`)
    .join(', ') || '—';

function statusDetails(result: GateResult): string[] {
  return [
    '| Endpoint | Status codes | Socket errors | Timeouts | p95 of failed requests |',
    '|---|---|---|--:|--:|',
    ...result.endpoints.map((e) => {
      const failed = e.failedLatencyMs ? formatMs(e.failedLatencyMs.p95) : '—';
      return `| ${user(e.name)} | ${countsCell(e.statusCodes)} | ${countsCell(e.socketErrors)} | ${e.failures.timeout} | ${failed} |`;
    }),
  ];
}

function dependencyMark(state: string): string {
  const s = state.toLowerCase();
  if (s === 'up' || s === 'ok' || s === 'pass') return '✅';
  if (s === 'degraded' || s === 'warn') return '⚠️';
  return '❌';
}

function serviceLines(service: ServiceInfo, indent = ''): string[] {
  const lines: string[] = [];
  if (service.version) lines.push(`${indent}- Version: <code>${user(service.version)}</code>`);
  if (service.status)
    lines.push(`${indent}- Health: ${user(service.status)} ${dependencyMark(service.status)}`);
  const dependencies = Object.entries(service.dependencies ?? {});
  if (dependencies.length > 0) {
    lines.push(`${indent}- Dependencies:`);
    for (const [name, state] of dependencies) {
      lines.push(`${indent}  - ${user(name)}: ${user(state)} ${dependencyMark(state)}`);
    }
  }
  if (service.readyAfterMs !== undefined)
    lines.push(`${indent}- Ready after ${formatMs(service.readyAfterMs)}`);
  return lines;
}

function serviceDetails(result: GateResult): string[] {
  const head = result.service ? serviceLines(result.service) : [];
  const base = result.baselineService ? serviceLines(result.baselineService, '  ') : [];
  if (base.length === 0) return head;
  return [...(head.length ? ['- This branch:', ...head.map((l) => `  ${l}`)] : []), '- The base:', ...base];
}

function resourceDetails(result: GateResult): string[] {
  const measured = result.endpoints.filter((e) => e.resources);
  if (measured.length === 0) return [];
  return [
    '| Endpoint | Peak RSS | RSS growth | CPU time | CPU per request |',
    '|---|--:|--:|--:|--:|',
    ...measured.map((e) => {
      const r = e.resources!;
      return `| ${user(e.name)} | ${formatMegabytes(r.rssPeakBytes)} | ${formatSignedMegabytes(r.rssGrowthBytes)} | ${formatMs(r.cpuSeconds * 1000)} | ${formatMs(r.cpuMsPerRequest)} |`;
    }),
  ];
}

function baselineDetails(result: GateResult): string[] {
  const compared = result.endpoints.filter((e) => e.baseline);
  if (compared.length === 0) return [];
  const verdicts = { regressed: 'regressed ❌', 'within-noise': 'within noise', improved: 'faster ✅' };
  return [
    'Base and this branch were measured in alternating rounds on the same runner; the change is the mean over rounds, with its 95% confidence interval.',
    '',
    '| Endpoint | Base p95 | This p95 | p95 change | Mean change | Rounds | Budget | Verdict |',
    '|---|--:|--:|---|---|--:|--:|---|',
    ...compared.map((e) => {
      const b = e.baseline!;
      const p95 = b.p95;
      return (
        `| ${user(e.name)} | ${p95 ? formatMs(p95.baseMs) : 'n/a'} | ${p95 ? formatMs(p95.headMs) : 'n/a'} | ` +
        `${p95 ? formatChange(p95.change) : 'n/a'} | ${b.mean ? formatChange(b.mean.change) : 'n/a'} | ` +
        `${b.rounds} | ${formatPercent(b.maxRegression)} | ${verdicts[b.verdict]} |`
      );
    }),
  ];
}

/** The targets each endpoint was held to, from its checks: "p95 ≤ 100 ms, error rate ≤ 1.0%". */
function targetsText(e: EndpointResult): string {
  return (
    e.checks
      .map((c) => `${metricName(c.metric)} ${c.unit === 'rps' ? '≥' : '≤'} ${formatCheckValue(c, c.limit)}`)
      .join(', ') || 'none'
  );
}

function configDetails(result: GateResult): string[] {
  const { load } = result;
  const shape = load.ratePerSecond
    ? `a fixed rate of ${load.ratePerSecond} req/s over ${plural(load.connections, 'connection')} (latency from the intended send time)`
    : `${plural(load.connections, 'connection')}, closed loop`;
  const lines = [
    `- File: <code>${user(result.configFile)}</code>`,
    `- Target: <code>${user(result.target)}</code>`,
    `- Load per endpoint: ${shape}; ${formatMs(load.warmupMs)} warmup, then ${formatMs(load.durationMs)} measured; requests time out after ${formatMs(load.requestTimeoutMs)}`,
  ];
  if (result.endpoints.length > 0) {
    lines.push(
      '',
      '| Endpoint | Request | Targets |',
      '|---|---|---|',
      ...result.endpoints.map(
        (e) => `| ${user(e.name)} | ${user(`${e.method} ${e.path}`)} | ${targetsText(e)} |`,
      ),
    );
  }
  return lines;
}

/** Log lines as they may go into a fenced block: no terminal colours, no control characters, clipped. */
function cleanLogLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '�');
  return clip(plain, MAX_LOG_LINE_CHARS);
}

function logDetails(title: string, lines: string[]): string[] {
  // A fence longer than any run of backticks in the log, so no log line can close it.
  const longestRun = Math.max(
    0,
    ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
  );
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return details(`${title} (last ${plural(lines.length, 'line')})`, [fence, ...lines, fence]);
}

/** Ever shorter log tails, so the trimming keeps the most recent lines for as long as it can. */
/**
 * A name inside a mermaid chart: mermaid reads quotes, brackets and a few others as syntax, and HTML
 * entities are not decoded there, so such characters are dropped rather than escaped.
 */
function mermaidLabel(text: string): string {
  const cleaned = clip(
    text
      .replace(/["\\[\]{}<>`;#%&|]/g, '')
      .replace(/\s+/g, ' ')
      .trim(),
    30,
  );
  return `"${cleaned || '?'}"`;
}

/** The endpoint furthest over (or nearest to) its p95 target, else the slowest at p95. */
function worstEndpoint(result: GateResult): EndpointResult | undefined {
  const measured = result.endpoints.filter((e) => e.latencyMs && e.latencyHistogram);
  const load = (e: EndpointResult) => {
    const p95 = checkOf(e, 'p95');
    return p95 && p95.actual !== null ? p95.actual / p95.limit : -1 / (1 + e.latencyMs!.p95);
  };
  return measured.reduce<EndpointResult | undefined>(
    (worst, e) => (!worst || load(e) > load(worst) ? e : worst),
    undefined,
  );
}

/**
 * Two small charts GitHub draws from mermaid: each endpoint's p95 (bars) against its target (line), and how
 * the worst endpoint's latencies spread.
 */
function chartDetails(result: GateResult): string[] {
  const measured = result.endpoints.filter((e) => e.latencyMs);
  if (measured.length === 0) return [];
  const targets = measured.map((e) => checkOf(e, 'p95')?.limit);
  const withTargets = targets.every((t) => t !== undefined);
  const top = Math.max(
    ...measured.map((e) => e.latencyMs!.p95),
    ...(withTargets ? (targets as number[]) : []),
  );
  const lines = [
    '```mermaid',
    'xychart-beta',
    `  title "p95 latency${withTargets ? ' (bars) and its target (line)' : ''}, ms"`,
    `  x-axis [${measured.map((e) => mermaidLabel(e.name)).join(', ')}]`,
    `  y-axis "ms" 0 --> ${formatChartNumber(top * 1.15)}`,
    `  bar [${measured.map((e) => formatChartNumber(e.latencyMs!.p95)).join(', ')}]`,
  ];
  if (withTargets) lines.push(`  line [${(targets as number[]).map(formatChartNumber).join(', ')}]`);
  lines.push('```');
  const worst = worstEndpoint(result);
  const histogram = worst?.latencyHistogram;
  if (worst && histogram) {
    lines.push(
      '',
      '```mermaid',
      'xychart-beta',
      `  title "${mermaidLabel(worst.name).slice(1, -1)}: requests by latency"`,
      `  x-axis [${histogram.upperMs.map((ms) => `"≤ ${formatMs(ms)}"`).join(', ')}]`,
      '  y-axis "requests"',
      `  bar [${histogram.counts.join(', ')}]`,
      '```',
    );
  }
  return lines;
}

const LOG_TAIL_STEPS = [200, 100, 50, 20, 10];

/**
 * The whole report. When it is over the limit, details go first (the log tails shrink and then go, then the
 * config, the service, its resources, the comparison with the base and the status codes), then the list of
 * breaches, then table rows.
 */
export function renderMarkdown(result: GateResult, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const verdict = verdictMarkdown(result, options);
  const table = endpointTable(result);
  let breaches = breachList(result);
  const notes = result.warnings.map((w) => `> ⚠️ ${user(w, 1000)}`);

  const sections: string[][] = [];
  const charts = chartDetails(result);
  if (charts.length > 0)
    sections.push(['<details open>', '<summary>Charts</summary>', '', ...charts, '', '</details>']);
  if (result.endpoints.length > 0) sections.push(details('Status codes and failures', statusDetails(result)));
  const baseline = baselineDetails(result);
  if (baseline.length > 0) sections.push(details('Against the base', baseline));
  const resources = resourceDetails(result);
  if (resources.length > 0) sections.push(details('Service resources', resources));
  const service = serviceDetails(result);
  if (service.length > 0) sections.push(details('Service', service));
  sections.push(details('Config used', configDetails(result)));
  // The services' last lines, when the gate failed: what a reader needs to see why.
  const logs = result.passed
    ? []
    : [
        { title: 'Service output', tail: (result.service?.logTail ?? []).map(cleanLogLine) },
        { title: 'Base service output', tail: (result.baselineService?.logTail ?? []).map(cleanLogLine) },
      ].filter((l) => l.tail.length > 0);
  let logLines = Math.max(0, ...logs.map((l) => l.tail.length));

  const render = (rows: string[], omittedRows: number) => {
    const blocks: string[][] = [[verdict]];
    if (result.endpoints.length === 0) blocks.push(['No endpoint was measured.']);
    if (rows.length > 0) blocks.push(rows);
    if (omittedRows > 0) blocks.push([`…and ${plural(omittedRows, 'more endpoint')}: see the JSON report.`]);
    blocks.push(breaches, notes, ...sections);
    for (const log of logs) {
      if (logLines > 0) blocks.push(logDetails(log.title, log.tail.slice(-logLines)));
    }
    return (
      blocks
        .filter((b) => b.length > 0)
        .map((b) => b.join('\n'))
        .join('\n\n') + '\n'
    );
  };

  let text = render(table, 0);
  while (text.length > limit && logLines > 0) {
    logLines = LOG_TAIL_STEPS.find((n) => n < logLines) ?? 0;
    text = render(table, 0);
  }
  while (text.length > limit && sections.length > 0) {
    sections.pop();
    text = render(table, 0);
  }
  if (text.length > limit && breaches.length > 0) {
    const all = breaches;
    for (
      let kept = Math.floor(all.length / 2);
      text.length > limit && kept > 0;
      kept = Math.floor(kept / 2)
    ) {
      breaches = [...all.slice(0, kept), `- …and ${all.length - kept} more`];
      text = render(table, 0);
    }
    if (text.length > limit) {
      breaches = [];
      text = render(table, 0);
    }
  }
  // Table rows last: the header and as many rows as fit, cut at a row, never inside one.
  let rows = table.length - 2;
  while (text.length > limit && rows > 0) {
    rows = Math.max(0, Math.min(rows - 1, Math.floor(rows * (limit / text.length))));
    text = render(table.slice(0, 2 + rows), table.length - 2 - rows);
  }
  return text.length > limit ? cutAtLine(text, limit) : text;
}

/** The last resort: whole lines up to the limit and a note. */
function cutAtLine(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = '\n\n…(report truncated)\n';
  const end = text.lastIndexOf('\n', limit - note.length);
  return text.slice(0, end > 0 ? end : Math.max(0, limit - note.length)) + note;
}

export interface ErrorReport {
  /** What went wrong, for the verdict line: "the config is invalid". */
  headline: string;
  /** The one-line message, as the log shows it. */
  message: string;
}

/** The report when there is no result: the config was invalid, or slo-gate itself failed. */
export function renderErrorMarkdown(error: ErrorReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const text = [
    `### ❌ ${title(options)}: ${user(error.headline, MAX_VERDICT_CHARS)}`,
    '',
    user(error.message, 4000),
    '',
    'No load was run; nothing was measured.',
  ].join('\n');
  return cutAtLine(text + '\n', limit);
}
