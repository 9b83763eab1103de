/**
 * The capacity section of the comment (issue #11 part 3): for each endpoint searched, its capacity in words,
 * a chart of p95 against the offered rate of every step tried (mermaid xychart-beta, like the other charts),
 * and its steps in a collapsed table. Only the first endpoints are drawn, the worst first, so the comment
 * stays within its limit however many endpoints there are; the JSON report has every step.
 */
import { capacityLine, mixCapacityLine } from './capacity-text.js';
import { formatCapacity, formatChartNumber, formatMs, formatPercent } from './format.js';
import { chartHeader, mermaidText, NEUTRAL, TARGET } from './markdown-charts.js';
import { details } from './markdown-details.js';
import { userText } from './markdown-escape.js';
import type { CapacityResult, EndpointResult, GateResult } from './model.js';
import { tableRow } from './markdown-sections.js';

/** Endpoints whose search is drawn as a chart, and whose steps are listed. */
export const MAX_CAPACITY_CHARTS = 4;
export const MAX_CAPACITY_TABLES = 8;

/** A bar this many times the p95 target (or the highest p95 that held) is cut at the axis top. */
const AXIS_TARGETS = 3;

/** A failed endpoint first, then the lowest capacity against its floor; config order otherwise. */
function worstFirst(endpoints: EndpointResult[]): EndpointResult[] {
  const failing = (e: EndpointResult) =>
    e.checks.some((c) => !c.passed && (c.metric === 'min-capacity' || c.metric === 'capacity-regression'));
  return [...endpoints.filter(failing), ...endpoints.filter((e) => !failing(e))];
}

/** p95 by offered rate: one bar per step in rate order (✗ under a step that broke the SLO), the target a line. */
export function capacityChart(name: string, c: CapacityResult, p95TargetMs?: number): string[] {
  const steps = [...c.steps].sort((a, b) => a.offeredRps - b.offeredRps);
  if (steps.length === 0) return [];
  const held = steps.filter((s) => s.passed).map((s) => s.latencyMs?.p95 ?? 0);
  const topMs = AXIS_TARGETS * Math.max(p95TargetMs ?? 0, ...held, 1);
  const values = steps.map((s) => Math.min(topMs, s.latencyMs?.p95 ?? topMs));
  const cut = steps.some((s) => (s.latencyMs?.p95 ?? Infinity) > topMs);
  const axisTop = formatChartNumber(Math.max(...values, p95TargetMs ?? 0) * 1.1);
  const found = c.reachedTo ? `≥ ${formatCapacity(c.rps)}` : formatCapacity(c.rps);
  return [
    ...chartHeader(300, p95TargetMs === undefined ? [NEUTRAL] : [NEUTRAL, TARGET], false),
    `  title "${mermaidText(name, 40)}: p95 by offered rate, capacity ${found}${cut ? ' (bars cut)' : ''}"`,
    `  x-axis "offered req/s (✗ broke the SLO)" [${steps.map((s) => `"${formatChartNumber(s.offeredRps)}${s.passed ? '' : ' ✗'}"`).join(', ')}]`,
    `  y-axis "p95, ms" 0 --> ${axisTop}`,
    `  bar [${values.map(formatChartNumber).join(', ')}]`,
    ...(p95TargetMs === undefined
      ? []
      : [`  line [${steps.map(() => formatChartNumber(p95TargetMs)).join(', ')}]`]),
    '```',
  ];
}

/** Every step tried, in the order tried. */
function stepsTable(c: CapacityResult): string[] {
  return [
    tableRow(['Offered', 'Achieved', 'p95', 'Errors', 'Connections', '']),
    '|--:|--:|--:|--:|--:|---|',
    ...c.steps.map((s) =>
      tableRow([
        formatCapacity(s.offeredRps),
        formatCapacity(s.achievedRps),
        s.latencyMs
          ? formatMs(s.latencyMs.p95) + (s.worstEndpoint ? ` (${userText(s.worstEndpoint)})` : '')
          : 'n/a',
        formatPercent(s.errorRate),
        String(s.connections),
        s.passed ? 'held' : `broke ${s.broke.join(', ')}${s.brokenBy ? ` (${userText(s.brokenBy)})` : ''}`,
      ]),
    ),
  ];
}

/** The capacity section, open by default; none when no endpoint was searched. */
export function capacitySections(result: GateResult): string[][] {
  const searched = worstFirst(result.endpoints.filter((e) => e.capacity));
  const mix = mixCapacity(result);
  if (searched.length === 0 && mix.length === 0) return [];
  const lines: string[] = [...mix];
  searched.forEach((e, i) => {
    const c = e.capacity!;
    const budget = e.checks.find((k) => k.metric === 'capacity-regression')?.limit;
    lines.push(`**${userText(e.name)}**: ${userText(capacityLine(c, budget), 1000)}`, '');
    if (i < MAX_CAPACITY_CHARTS) lines.push(...capacityChart(e.name, c, checkLimit(e, 'p95')), '');
    if (i < MAX_CAPACITY_TABLES) lines.push(...details(`Steps of ${userText(e.name)}`, stepsTable(c)), '');
  });
  if (searched.length > MAX_CAPACITY_CHARTS) {
    lines.push(
      `<sub>Charts for the first ${MAX_CAPACITY_CHARTS} of ${searched.length} endpoints searched (failures first); every step is in the JSON report.</sub>`,
    );
  }
  return [['<details open>', '<summary>Capacity</summary>', '', ...lines, '</details>']];
}

/**
 * The mix's search: its line, its chart (the worst endpoint's p95 at each step; no target line, as each
 * endpoint has its own) and its steps.
 */
function mixCapacity(result: GateResult): string[] {
  const c = result.mix?.capacity;
  if (!c) return [];
  const budget = result.mix?.checks?.find((k) => k.metric === 'capacity-regression')?.limit;
  return [
    `**Whole mix** (total rate, every endpoint within its own SLO): ${userText(mixCapacityLine(c, budget), 1000)}`,
    '',
    ...capacityChart('whole mix, worst endpoint', c),
    '',
    ...details('Steps of the whole mix', stepsTable(c)),
    '',
  ];
}

const checkLimit = (e: EndpointResult, metric: string) => e.checks.find((c) => c.metric === metric)?.limit;
