/**
 * Latency over time in the PR comment (issue #11): the worst endpoint's timeline open, each other
 * endpoint's in a collapsed section of its own (the first sections cut when the comment is too long). A
 * timeline is two small charts stacked on one time axis: p95 per interval as bars with the p95 target as a
 * line, then the rate asked as a line over the rate answered as bars. Two charts rather than one with two
 * scales: an xychart has one value axis, and req/s drawn against a ms axis would read as latency.
 */
import { intervalSpan, slowestInterval, timelineEndpoint } from './chart-data.js';
import { formatChartNumber, formatMs, formatRate, plural } from './format.js';
import { chartHeader, mermaidText, NEUTRAL, OVER, TARGET } from './markdown-charts.js';
import { userText } from './markdown-escape.js';
import type { EndpointResult, GateResult, TimelinePoint } from './model.js';

/** The rate asked, as a line over the bars of the rate answered: GitHub's foreground, to stand out. */
const ASKED = '#24292f';

/** Each chart of a timeline: short, so two fit the height of one. */
const TIMELINE_CHART_HEIGHT_PX = 300;

/**
 * A top for a value axis: past the largest value, at a round step. Mermaid ticks the axis as d3 does (about
 * ten ticks at a 1, 2 or 5 step), so only these mantissas keep it at 11 ticks or fewer: 2.5 or 3 would make
 * 13 or 16, and their labels overlap at this height.
 */
function roundTop(values: number[]): number {
  const max = Math.max(1, ...values) * 1.1;
  const step = 10 ** Math.floor(Math.log10(max));
  for (const mantissa of [1, 1.5, 2, 4, 5, 8, 10]) if (max <= mantissa * step) return mantissa * step;
  return 10 * step;
}

/**
 * The x-axis: seconds (minutes for a long window) from the window start. Mermaid spreads the points evenly
 * from the axis's first value to its last, so the axis runs from the middle of the first interval to the
 * middle of the last: each bar then stands over the time it covers, and the ticks fall on round times.
 */
function timeAxis(points: TimelinePoint[]): string {
  const last = points.at(-1)!;
  const minutes = last.atMs + last.intervalMs >= 600_000;
  const unitMs = minutes ? 60_000 : 1000;
  const middle = (p: TimelinePoint) => formatChartNumber((p.atMs + p.intervalMs / 2) / unitMs);
  return `  x-axis "${minutes ? 'min' : 's'} from the start of the window" ${middle(points[0]!)} --> ${middle(last)}`;
}

/** One endpoint's two charts and the line under them. */
function timelineCharts(e: EndpointResult, result: GateResult): string[] {
  const points = e.timeline!;
  const name = mermaidText(e.name, 40);
  const target = e.checks.find((c) => c.metric === 'p95')?.limit;
  const p95s = points.map((p) => p.latencyMs?.p95 ?? 0);
  const rates = points.flatMap((p) => [p.offeredRps, p.achievedRps]);
  const xAxis = timeAxis(points);
  const targetNote = target === undefined ? '' : `, line: target ${formatMs(target)}`;
  const p95Chart = [
    ...chartHeader(TIMELINE_CHART_HEIGHT_PX, [e.passed ? NEUTRAL : OVER, TARGET], false),
    `  title "${name}: p95 per interval, ms${targetNote}"`,
    xAxis,
    `  y-axis "p95, ms" 0 --> ${formatChartNumber(roundTop([...p95s, target ?? 0]))}`,
    // One series: a second one for the intervals over the target would draw a stub of its colour under
    // every bar (mermaid starts bars below the axis's 0); the target line says which are over.
    `  bar [${p95s.map(formatChartNumber).join(', ')}]`,
    ...(target === undefined ? [] : [`  line [${points.map(() => formatChartNumber(target)).join(', ')}]`]),
    '```',
  ];
  const rateChart = [
    ...chartHeader(TIMELINE_CHART_HEIGHT_PX, [NEUTRAL, ASKED], false),
    `  title "${name}: req/s answered (bars) and asked (line)"`,
    xAxis,
    `  y-axis "req/s" 0 --> ${formatChartNumber(roundTop(rates))}`,
    `  bar [${points.map((p) => formatChartNumber(p.achievedRps)).join(', ')}]`,
    `  line [${points.map((p) => formatChartNumber(p.offeredRps)).join(', ')}]`,
    '```',
  ];
  return [...p95Chart, '', ...rateChart, '', timelineCaption(points, result)];
}

/** What the charts count, and where the worst interval was. */
function timelineCaption(points: TimelinePoint[], result: GateResult): string {
  const intervalS = formatChartNumber(points[0]!.intervalMs / 1000);
  const counted = result.load.ratePerSecond
    ? 'each request counted in the interval it was due in, so a stall shows where requests waited'
    : 'each request counted in the interval it was sent in';
  const rounds = result.endpoints.some((e) => e.baseline)
    ? ` With a baseline: the head's rounds end to end, the base's left out.`
    : '';
  const empty = points.filter((p) => !p.latencyMs).length;
  const emptyNote = empty > 0 ? ` No bar: no latency sample in ${plural(empty, 'interval')}.` : '';
  const slowest = slowestInterval(points);
  const worst = slowest
    ? ` Slowest: p95 ${formatMs(slowest.latencyMs!.p95)} at ${intervalSpan(slowest)} (${formatRate(slowest.offeredRps)} asked, ${formatRate(slowest.achievedRps)} answered, ${plural(slowest.errors, 'error')}).`
    : '';
  return `<sub>One bar per ${intervalS} s, ${counted}.${rounds}${emptyNote}${worst}</sub>`;
}

const section = (summary: string, open: boolean, body: string[]): string[] => [
  open ? '<details open>' : '<details>',
  `<summary>${summary}</summary>`,
  '',
  ...body,
  '',
  '</details>',
];

/**
 * The timeline sections: first the worst endpoint's, open (it goes right after the charts), then one
 * collapsed section per other endpoint, in config order (these go last, so they are cut first).
 */
export function timelineSections(result: GateResult): { worst: string[][]; others: string[][] } {
  const drawn = result.endpoints.filter((e) => e.timeline && e.timeline.length > 0);
  const worst = timelineEndpoint(result);
  if (!worst) return { worst: [], others: [] };
  const title = (e: EndpointResult) => `Latency over time: ${userText(e.name, 100)}`;
  return {
    worst: [section(`${title(worst)} (the worst endpoint)`, true, timelineCharts(worst, result))],
    others: drawn.filter((e) => e !== worst).map((e) => section(title(e), false, timelineCharts(e, result))),
  };
}
