/**
 * The folded sections of the markdown report: status codes, the comparison with the base, the service's
 * resources, the service itself, the config used and, when the gate failed, the services' last lines.
 */
import {
  formatChangeParts,
  formatCheckValue,
  formatDetectable,
  formatMegabytes,
  formatMs,
  formatPercent,
  formatSignedMegabytes,
  formatToSettle,
  plural,
} from './format.js';
import { cleanLogLine, fenced, keepUnits, oneLine, userText } from './markdown-escape.js';
import { latencyDetails, metricName } from './markdown-sections.js';
import { stageDetails } from './markdown-stages.js';
import type { BaselineComparison, EndpointResult, GateResult, RelativeChange, ServiceInfo } from './model.js';

/** A folded section. */
export function details(summary: string, body: string[]): string[] {
  return ['<details>', `<summary>${summary}</summary>`, '', ...body, '', '</details>'];
}

const countsCell = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([key, n]) => `${userText(key, 40)}: ${n}`)
    .join(', ') || '—';

function statusDetails(result: GateResult): string[] {
  return [
    '| Endpoint | Status codes | Socket errors | Timeouts | p95 of failed requests |',
    '|---|---|---|--:|--:|',
    ...result.endpoints.map((e) => {
      const failed = e.failedLatencyMs ? formatMs(e.failedLatencyMs.p95) : '—';
      return keepUnits(
        `| ${userText(e.name)} | ${countsCell(e.statusCodes)} | ${countsCell(e.socketErrors)} | ${e.failures.timeout} | ${failed} |`,
      );
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
  if (service.version) lines.push(`${indent}- Version: <code>${userText(service.version)}</code>`);
  if (service.status)
    lines.push(`${indent}- Health: ${userText(service.status)} ${dependencyMark(service.status)}`);
  const dependencies = Object.entries(service.dependencies ?? {});
  if (dependencies.length > 0) {
    lines.push(`${indent}- Dependencies:`);
    for (const [name, state] of dependencies) {
      lines.push(`${indent}  - ${userText(name)}: ${userText(state)} ${dependencyMark(state)}`);
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
      return keepUnits(
        `| ${userText(e.name)} | ${formatMegabytes(r.rssPeakBytes)} | ${formatSignedMegabytes(r.rssGrowthBytes)} | ${formatMs(r.cpuSeconds * 1000)} | ${formatMs(r.cpuMsPerRequest)} |`,
      );
    }),
  ];
}

/** "+32% (+21…+44%)" on one line: the heading says the bracket is the 95% interval. */
function changeCell(change: RelativeChange): string {
  const parts = formatChangeParts(change);
  return oneLine(`${parts.change} (${parts.interval.replace(/^95% CI /, '')})`);
}

/** The verdict cell: "regressed ❌"; an inconclusive one with what would settle it. */
function verdictCell(b: BaselineComparison): string {
  const words = {
    regressed: 'regressed ❌',
    inconclusive: 'inconclusive ⚠️',
    'within-budget': 'within budget',
    improved: 'faster ✅',
  };
  return words[b.verdict] + (b.toSettle ? `<br><sub>${formatToSettle(b.toSettle, b.rounds)}</sub>` : '');
}

/** Under the p95 change: its rounds, and the smallest change they could detect: "6 rounds, detectable ±9.1%". */
const roundsNote = (b: BaselineComparison) =>
  plural(b.rounds, 'round') + (b.p95 ? `, detectable ${formatDetectable(b.p95.change)}` : '');

function baselineDetails(result: GateResult): string[] {
  const compared = result.endpoints.filter((e) => e.baseline);
  if (compared.length === 0) return [];
  return [
    'Base and this branch were measured in alternating rounds on the same runner; the change is the mean over rounds, with its 95% confidence interval. ' +
      "Detectable: the smallest change the rounds could tell from none (the interval's half-width). Regressed: the whole interval is over the budget; inconclusive: it straddles the budget.",
    '',
    '| Endpoint | Base p95 | This p95 | p95 change (95% CI) | Mean change (95% CI) | Budget | Verdict |',
    '|---|--:|--:|---|---|--:|---|',
    ...compared.map((e) => {
      const b = e.baseline!;
      const p95 = b.p95;
      return keepUnits(
        `| ${userText(e.name)} | ${p95 ? formatMs(p95.baseMs) : 'n/a'} | ${p95 ? formatMs(p95.headMs) : 'n/a'} | ` +
          `${p95 ? changeCell(p95.change) : 'n/a'}<br><sub>${roundsNote(b)}</sub> | ` +
          `${b.mean ? changeCell(b.mean.change) : 'n/a'} | ${formatPercent(b.maxRegression)} | ${verdictCell(b)} |`,
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
  const stages = load.stages?.map((s) => s.ratePerSecond ?? s.connections ?? 0);
  const shape = stages
    ? load.stages![0]!.ratePerSecond !== undefined
      ? `stages of 0→${stages.join('→')} req/s over ${plural(load.connections, 'connection')} (latency from the intended send time)`
      : `stages of 0→${stages.join('→')} connections, closed loop`
    : load.ratePerSecond
      ? `a fixed rate of ${load.ratePerSecond} req/s over ${plural(load.connections, 'connection')} (latency from the intended send time)`
      : `${plural(load.connections, 'connection')}, closed loop`;
  const lines = [
    `- File: <code>${userText(result.configFile)}</code>`,
    `- Target: <code>${userText(result.target)}</code>`,
    `- Load per endpoint: ${shape}; ${formatMs(load.warmupMs)} warmup, then ${formatMs(load.durationMs)} measured; requests time out after ${formatMs(load.requestTimeoutMs)}`,
  ];
  if (result.endpoints.length > 0) {
    lines.push(
      '',
      '| Endpoint | Request | Targets |',
      '|---|---|---|',
      ...result.endpoints.map((e) =>
        keepUnits(`| ${userText(e.name)} | ${userText(`${e.method} ${e.path}`)} | ${targetsText(e)} |`),
      ),
    );
  }
  return lines;
}

/** The folded sections in the order they are shown, and kept when the report must shrink. */
export function detailSections(result: GateResult): string[][] {
  const sections: string[][] = [];
  if (result.endpoints.length > 0) {
    sections.push(details('Requests, p50, p99 and margins', latencyDetails(result)));
    sections.push(details('Status codes and failures', statusDetails(result)));
  }
  const stages = stageDetails(result);
  if (stages.length > 0) sections.push(details('Stages', stages));
  const baseline = baselineDetails(result);
  if (baseline.length > 0) sections.push(details('Against the base', baseline));
  const resources = resourceDetails(result);
  if (resources.length > 0) sections.push(details('Service resources', resources));
  const service = serviceDetails(result);
  if (service.length > 0) sections.push(details('Service', service));
  sections.push(details('Config used', configDetails(result)));
  return sections;
}

/** The services' last lines, when the gate failed: what a reader needs to see why. */
export function logTails(result: GateResult): { title: string; tail: string[] }[] {
  if (result.passed) return [];
  return [
    { title: 'Service output', tail: (result.service?.logTail ?? []).map(cleanLogLine) },
    { title: 'Base service output', tail: (result.baselineService?.logTail ?? []).map(cleanLogLine) },
  ].filter((l) => l.tail.length > 0);
}

/** A log tail, folded, in a fence no log line can close. */
export function logDetails(title: string, lines: string[]): string[] {
  return details(`${title} (last ${plural(lines.length, 'line')})`, fenced(lines));
}
