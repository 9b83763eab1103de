/**
 * Two small charts GitHub draws from mermaid: each endpoint's p95 (bars) against its target (line), and how
 * the worst endpoint's latencies spread.
 */
import { formatChartNumber, formatHistogramEdge } from './format.js';
import { clip } from './markdown-escape.js';
import { checkOf } from './markdown-sections.js';
import type { EndpointResult, GateResult } from './model.js';

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

/** Each endpoint's p95 as bars, with its target as a line when every endpoint has one. */
function p95Chart(measured: EndpointResult[]): string[] {
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
  return lines;
}

/** How the worst endpoint's requests spread over latency, one bar per histogram bin. */
function histogramChart(result: GateResult): string[] {
  const worst = worstEndpoint(result);
  const histogram = worst?.latencyHistogram;
  if (!worst || !histogram) return [];
  return [
    '',
    '```mermaid',
    'xychart-beta',
    `  title "${mermaidLabel(worst.name).slice(1, -1)}: requests by latency"`,
    `  x-axis [${histogram.upperMs.map((ms) => `"≤ ${formatHistogramEdge(ms)}"`).join(', ')}]`,
    '  y-axis "requests"',
    `  bar [${histogram.counts.join(', ')}]`,
    '```',
  ];
}

/** The charts section, open by default; none when no endpoint has latencies. */
export function chartSections(result: GateResult): string[][] {
  const measured = result.endpoints.filter((e) => e.latencyMs);
  if (measured.length === 0) return [];
  const charts = [...p95Chart(measured), ...histogramChart(result)];
  return [['<details open>', '<summary>Charts</summary>', '', ...charts, '', '</details>']];
}
