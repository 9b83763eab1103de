/** The markdown report (the PR comment and the job summary): a pure function of the result. */
import { formatMs, formatPercent } from '../config/units.js';
import type { CheckResult, EndpointResult, GateResult } from './model.js';
import { formatCheckValue } from './terminal.js';

/** GitHub rejects comments over 65,536 characters; keep a margin for the marker and the footer. */
export const MARKDOWN_LIMIT = 60_000;

/** Escapes text for a markdown table cell and for HTML: user strings never break the layout. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '&#124;')
    .replace(/([\\`*_[\]#~])/g, '\\$1')
    .replace(/\r?\n/g, ' ');
}

function checkCell(check: CheckResult | undefined, fallback: string): string {
  if (!check) return fallback;
  const mark = check.passed ? '✅' : '❌';
  return `${formatCheckValue(check, check.actual)} / ${formatCheckValue(check, check.limit)} ${mark}`;
}

function margin(e: EndpointResult): string {
  const p95 = e.checks.find((c) => c.metric === 'p95');
  if (e.problems.length > 0) return escapeMarkdown(e.problems[0]!);
  if (p95 && p95.actual !== null) {
    return `p95 ${formatCheckValue(p95, p95.actual)} of a ${formatCheckValue(p95, p95.limit)} budget`;
  }
  const failed = e.checks.find((c) => !c.passed);
  return failed
    ? `${failed.metric} ${formatCheckValue(failed, failed.actual)} over ${formatCheckValue(failed, failed.limit)}`
    : '';
}

export function verdictMarkdown(result: GateResult): string {
  const n = result.endpoints.length;
  if (result.verdict === 'passed')
    return `### ✅ slo-gate: all SLOs met on ${n} endpoint${n === 1 ? '' : 's'}`;
  if (result.verdict === 'breached')
    return `### ❌ slo-gate: ${escapeMarkdown(result.reason ?? 'SLO breached')}`;
  return `### ❌ slo-gate: ${escapeMarkdown(result.reason ?? 'the service or target failed')}`;
}

function endpointTable(result: GateResult): string[] {
  if (result.endpoints.length === 0) return [];
  const lines = [
    '| | endpoint | requests | req/s | p50 | p95 / target | p99 | errors / target | margin |',
    '|---|---|--:|--:|--:|--:|--:|--:|---|',
  ];
  for (const e of result.endpoints) {
    const p95 = e.checks.find((c) => c.metric === 'p95');
    const errorRate = e.checks.find((c) => c.metric === 'error-rate');
    lines.push(
      [
        '',
        e.passed ? '✅' : '❌',
        `${escapeMarkdown(e.name)}`,
        String(e.requests),
        e.rps.toFixed(1),
        e.latencyMs ? formatMs(e.latencyMs.p50) : 'n/a',
        checkCell(p95, e.latencyMs ? formatMs(e.latencyMs.p95) : 'n/a'),
        e.latencyMs ? formatMs(e.latencyMs.p99) : 'n/a',
        checkCell(errorRate, formatPercent(e.errorRate)),
        margin(e),
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  return lines;
}

function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

function breachedChecks(result: GateResult): string[] {
  const lines: string[] = [];
  for (const e of result.endpoints) {
    for (const c of e.checks.filter((check) => !check.passed)) {
      const relation = c.unit === 'rps' ? 'below' : 'over';
      lines.push(
        `- **${escapeMarkdown(e.name)}**: ${c.metric} ${formatCheckValue(c, c.actual)} is ${relation} the target ${formatCheckValue(c, c.limit)}`,
      );
    }
    for (const problem of e.problems)
      lines.push(`- **${escapeMarkdown(e.name)}**: ${escapeMarkdown(problem)}`);
  }
  return lines;
}

function statusDetails(result: GateResult): string[] {
  const lines = [
    '| endpoint | status codes | socket errors | timeouts | latency of failures (p95) |',
    '|---|---|---|--:|--:|',
  ];
  for (const e of result.endpoints) {
    const codes =
      Object.entries(e.statusCodes)
        .map(([code, n]) => `${code}: ${n}`)
        .join(', ') || '—';
    const sockets =
      Object.entries(e.socketErrors)
        .map(([code, n]) => `${code}: ${n}`)
        .join(', ') || '—';
    const failed = e.failedLatencyMs ? formatMs(e.failedLatencyMs.p95) : '—';
    lines.push(`| ${escapeMarkdown(e.name)} | ${codes} | ${sockets} | ${e.failures.timeout} | ${failed} |`);
  }
  return lines;
}

function serviceDetails(result: GateResult): string[] {
  const service = result.service;
  if (!service) return [];
  const lines: string[] = [];
  if (service.version) lines.push(`- version: \`${escapeMarkdown(service.version)}\``);
  if (service.status) lines.push(`- health: ${escapeMarkdown(service.status)}`);
  for (const [name, state] of Object.entries(service.dependencies ?? {})) {
    const mark = state === 'up' || state === 'ok' ? '✅' : state === 'degraded' ? '⚠️' : '❌';
    lines.push(`- ${escapeMarkdown(name)}: ${escapeMarkdown(state)} ${mark}`);
  }
  if (service.readyAfterMs !== undefined) lines.push(`- ready after ${formatMs(service.readyAfterMs)}`);
  return lines;
}

function loadDetails(result: GateResult): string[] {
  const { load } = result;
  const shape = load.ratePerSecond
    ? `fixed rate ${load.ratePerSecond} req/s over ${load.connections} connections (latency from the intended send time)`
    : `${load.connections} connections, closed loop`;
  return [
    `- target: \`${escapeMarkdown(result.target)}\`, config \`${escapeMarkdown(result.configFile)}\``,
    `- ${shape}; ${formatMs(load.warmupMs)} warmup and ${formatMs(load.durationMs)} measured per endpoint; requests time out after ${formatMs(load.requestTimeoutMs)}`,
  ];
}

/** The whole report. Details are dropped (log tail first) until it fits in `limit` characters. */
export function renderMarkdown(result: GateResult, limit = MARKDOWN_LIMIT): string {
  const head = [verdictMarkdown(result), '', ...endpointTable(result)];
  const breaches = breachedChecks(result);
  if (breaches.length > 0) head.push('', ...breaches);
  for (const warning of result.warnings) head.push(`> ⚠️ ${escapeMarkdown(warning)}`);
  const optional: string[][] = [];
  if (result.endpoints.length > 0) optional.push(details('Status codes and failures', statusDetails(result)));
  const service = serviceDetails(result);
  if (service.length > 0) optional.push(details('Service', service));
  optional.push(details('Load', loadDetails(result)));
  const tail = result.service?.logTail ?? [];
  if (!result.passed && tail.length > 0) {
    // A fence longer than any run of backticks in the log, so the log cannot close it.
    const fence = '`'.repeat(
      Math.max(3, ...tail.map((l) => (l.match(/`+/g) ?? []).reduce((m, s) => Math.max(m, s.length + 1), 0))),
    );
    optional.push(details('Service output (last lines)', [fence, ...tail, fence]));
  }
  const render = (parts: string[][]) =>
    [...head, '', ...parts.flatMap((p) => [...p, ''])].join('\n').trimEnd() + '\n';
  let text = render(optional);
  // Trim from the end: the log tail first, then the other details, then the breach list.
  while (text.length > limit && optional.length > 0) {
    optional.pop();
    text = render(optional);
  }
  if (text.length > limit) text = text.slice(0, limit - 40) + '\n\n…(report truncated)\n';
  return text;
}
