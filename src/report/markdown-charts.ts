/**
 * The charts GitHub draws from mermaid (xychart-beta): which endpoints broke their p95 target and by how
 * much (each p95 as a share of its own target, breaches in red, the target at 100%), with a baseline the
 * p95 change against the base against its budget, and the latency spread of the worst endpoint. Bar charts
 * lie horizontally, so endpoint names have room; with many endpoints only the worst are drawn, and the
 * title says so. Colours and sizes go in an init directive, which GitHub honours.
 */
import { formatChartNumber, formatHistogramEdge, formatSignedPercent } from './format.js';
import { histogramEndpoint, p95ChangeAgainstBase, p95ShareOfTarget } from './chart-data.js';
import { clip } from './markdown-escape.js';
import type { GateResult } from './model.js';

/** The most bars a chart draws: more and their labels crowd at the comment's width. */
export const MAX_CHART_BARS = 12;
/** Endpoint names in a chart are cut to this many characters (the table has them whole). */
const MAX_LABEL_CHARS = 22;

/** GitHub's own colours: green within budget, red over it, amber when unsure, grey for the target line. */
export const WITHIN = '#1a7f37';
export const OVER = '#cf222e';
export const UNSURE = '#bf8700';
export const TARGET = '#57606a';
export const NEUTRAL = '#0969da';

/** Mermaid reads quotes, brackets and a few others as syntax, and decodes no entities: such characters go. */
export function mermaidText(text: string, max: number): string {
  const cleaned = text
    .replace(/["\\[\]{}<>`;#%&|]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return clip(cleaned, max) || '?';
}

/** A quoted label: the endpoint's name, cut, and what its bar means ("list items 120%"). */
const label = (name: string, suffix: string) => `"${mermaidText(name, MAX_LABEL_CHARS)} ${suffix}"`;

/**
 * The init directive: the size of the chart and the colours of its series, in the order they are declared.
 * `bareValues` hides the value axis's numbers: mermaid pads an axis by half its widest number and starts
 * every bar at the padding's edge, so a 0 in one series would still draw a stub of its colour under a bar
 * of the other (the labels carry each bar's value instead).
 */
export function chartHeader(
  heightPx: number,
  colours: string[],
  horizontal: boolean,
  bareValues = false,
): string[] {
  const config = {
    xyChart: {
      width: 760,
      height: heightPx,
      ...(horizontal ? { chartOrientation: 'horizontal' } : {}),
      ...(bareValues ? { yAxis: { showLabel: false, showTick: false } } : {}),
    },
    themeVariables: { xyChart: { plotColorPalette: colours.join(',') } },
  };
  return [
    '```mermaid',
    `%%{init: ${JSON.stringify(config)}}%%`,
    `xychart-beta${horizontal ? ' horizontal' : ''}`,
  ];
}

/**
 * A horizontal chart's height: room for each bar's label, the title and the value axis (mermaid drops the
 * axis's numbers and title when they do not fit, as they did at 136 px for one bar).
 */
const barsHeightPx = (bars: number) => 150 + 26 * bars;

/** The top of a percentage axis: past the largest bar and the reference line, at a multiple of 10. */
const axisTop = (values: number[]) => Math.max(10, Math.ceil((Math.max(...values) * 1.08) / 10) * 10);

/** Under a chart that leaves endpoints out: how many it draws, and where the rest are. */
const shownOf = (shown: number, total: number): string[] =>
  shown < total
    ? [
        '',
        `<sub>The ${shown} worst of ${total} endpoints (breaches first); the table above has them all.</sub>`,
      ]
    : [];

/**
 * The worst `MAX_CHART_BARS` entries by `badness`, breaches first, kept in their original (config) order.
 */
function worstFirst<T>(items: T[], breached: (item: T) => boolean, badness: (item: T) => number): T[] {
  if (items.length <= MAX_CHART_BARS) return items;
  const score = (item: T) => (breached(item) ? 1e12 : 0) + badness(item);
  const kept = new Set([...items].sort((a, b) => score(b) - score(a)).slice(0, MAX_CHART_BARS));
  return items.filter((item) => kept.has(item));
}

/** Each endpoint's p95 as a percentage of its own target: within budget green, breaches red, 100% a line. */
function shareOfTargetChart(result: GateResult): string[] {
  const all = p95ShareOfTarget(result);
  if (all.length === 0) return [];
  const shown = worstFirst(
    all,
    (s) => s.breached,
    (s) => s.percentOfTarget,
  );
  const share = (s: (typeof all)[number]) => formatChartNumber(s.percentOfTarget);
  const untargeted = result.endpoints.filter((e) => e.latencyMs).length - all.length;
  const note = untargeted > 0 ? ` (${untargeted} without a p95 target left out)` : '';
  return [
    ...chartHeader(barsHeightPx(shown.length), [WITHIN, OVER, TARGET], true, true),
    `  title "p95 as % of its target (line: 100%, on target)${note}"`,
    `  x-axis [${shown.map((s) => label(s.endpoint, `${Math.round((100 * s.p95Ms) / s.targetMs)}%`)).join(', ')}]`,
    `  y-axis "% of the p95 target" 0 --> ${axisTop([100, ...shown.map((s) => s.percentOfTarget)])}`,
    `  bar [${shown.map((s) => (s.breached ? '0' : share(s))).join(', ')}]`,
    `  bar [${shown.map((s) => (s.breached ? share(s) : '0')).join(', ')}]`,
    `  line [${shown.map(() => '100').join(', ')}]`,
    '```',
    ...shownOf(shown.length, all.length),
  ];
}

/** Without any p95 target: each endpoint's p95 in ms. */
function p95Chart(result: GateResult): string[] {
  const all = result.endpoints.filter((e) => e.latencyMs);
  const shown = worstFirst(
    all,
    (e) => !e.passed,
    (e) => e.latencyMs!.p95,
  );
  const top = Math.max(...shown.map((e) => e.latencyMs!.p95));
  return [
    ...chartHeader(barsHeightPx(shown.length), [NEUTRAL], true),
    `  title "p95 latency, ms"`,
    `  x-axis [${shown.map((e) => label(e.name, `${formatChartNumber(e.latencyMs!.p95)} ms`)).join(', ')}]`,
    `  y-axis "ms" 0 --> ${formatChartNumber(top * 1.1)}`,
    `  bar [${shown.map((e) => formatChartNumber(e.latencyMs!.p95)).join(', ')}]`,
    '```',
    ...shownOf(shown.length, all.length),
  ];
}

/**
 * With a baseline: each endpoint's p95 as a percentage of the base's (100% = as fast as the base), the
 * regressions red, the inconclusive ones amber (their interval straddles the budget), the rest green, and
 * the budget (100% + the largest regression allowed) as a line. The interval is in the label; xychart draws
 * no error bars, and a bar cannot go below its axis, hence percentages of the base rather than signed
 * changes. One bar series per colour, each bar in exactly one of them.
 */
function baselineChart(result: GateResult): string[] {
  const all = p95ChangeAgainstBase(result);
  if (all.length === 0) return [];
  const shown = worstFirst(
    all,
    (c) => c.verdict === 'regressed',
    (c) => (c.verdict === 'inconclusive' ? 1e6 : 0) + c.changePercent,
  );
  type Change = (typeof all)[number];
  const ofBase = (c: Change) => formatChartNumber(100 + c.changePercent);
  const interval = (c: Change) =>
    `${formatSignedPercent(c.changePercent / 100)} (${formatSignedPercent(c.lowPercent / 100)}…${formatSignedPercent(c.highPercent / 100)})${c.verdict === 'inconclusive' ? ' ?' : ''}`;
  const top = axisTop(shown.flatMap((c) => [100 + c.changePercent, 100 + c.budgetPercent]));
  const series = (keep: (c: Change) => boolean) =>
    `  bar [${shown.map((c) => (keep(c) ? ofBase(c) : '0')).join(', ')}]`;
  const unsure = (c: Change) => c.verdict === 'inconclusive';
  const over = (c: Change) => c.verdict === 'regressed';
  return [
    '',
    ...chartHeader(barsHeightPx(shown.length), [WITHIN, OVER, UNSURE, TARGET], true, true),
    `  title "p95 as % of the base's (line: budget, amber ?: inconclusive)"`,
    `  x-axis [${shown.map((c) => label(c.endpoint, interval(c))).join(', ')}]`,
    `  y-axis "% of the base's p95" 0 --> ${top}`,
    series((c) => !over(c) && !unsure(c)),
    series(over),
    series(unsure),
    `  line [${shown.map((c) => formatChartNumber(100 + c.budgetPercent)).join(', ')}]`,
    '```',
    ...shownOf(shown.length, all.length),
  ];
}

/** How the worst endpoint's requests spread over latency, one bar per histogram bin. */
function histogramChart(result: GateResult): string[] {
  const worst = histogramEndpoint(result);
  const histogram = worst?.latencyHistogram;
  if (!worst || !histogram) return [];
  return [
    '',
    ...chartHeader(260, [worst.passed ? NEUTRAL : OVER], false),
    `  title "${mermaidText(worst.name, 40)}: requests by latency"`,
    `  x-axis [${histogram.upperMs.map((ms) => `"≤ ${formatHistogramEdge(ms)}"`).join(', ')}]`,
    '  y-axis "requests"',
    `  bar [${histogram.counts.join(', ')}]`,
    '```',
  ];
}

/** The charts section, open by default; none when no endpoint has latencies. */
export function chartSections(result: GateResult): string[][] {
  if (!result.endpoints.some((e) => e.latencyMs)) return [];
  const first = p95ShareOfTarget(result).length > 0 ? shareOfTargetChart(result) : p95Chart(result);
  const charts = [...first, ...baselineChart(result), ...histogramChart(result)];
  return [['<details open>', '<summary>Charts</summary>', '', ...charts, '', '</details>']];
}
