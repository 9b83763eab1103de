/**
 * What the comment's charts draw (issue #15), as data: each p95 against its own target, the change against
 * the base, the endpoint whose histogram is drawn, and which bars a crowded chart keeps.
 */
import { describe, expect, it } from 'vitest';
import { histogramEndpoint, p95ShareOfTarget, reportCharts } from '../../src/report/chart-data.js';
import { keepUnits, userText } from '../../src/report/markdown-escape.js';
import { MAX_CHART_BARS } from '../../src/report/markdown-charts.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadResult } from '../helpers/golden.js';

const chartsIn = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** A chart's series: `bar [1, 2]` → [1, 2], in the order they are declared. */
const series = (chart: string, kind: 'bar' | 'line') =>
  [...chart.matchAll(new RegExp(`^  ${kind} \\[(.*)\\]$`, 'gm'))].map((m) => m[1]!.split(', ').map(Number));
const labelsOf = (chart: string) => JSON.parse(/x-axis (\[.*\])/.exec(chart)![1]!) as string[];

describe('p95 as a share of its own target', () => {
  it('is p95 / target × 100 per endpoint, breaches marked, whatever the spread of targets', () => {
    expect(p95ShareOfTarget(loadResult('breached'))).toEqual([
      { endpoint: 'list items', p95Ms: 120.45, targetMs: 100, percentOfTarget: 120.5, breached: true },
      { endpoint: 'get item', p95Ms: 3.411, targetMs: 50, percentOfTarget: 6.8, breached: false },
      { endpoint: 'search', p95Ms: 17.96, targetMs: 60, percentOfTarget: 29.9, breached: false },
    ]);
  });

  it('leaves out endpoints without a p95 target or without a p95', () => {
    expect(p95ShareOfTarget(loadResult('fixed-rate-timeouts'))).toEqual([]);
    expect(p95ShareOfTarget(loadResult('failed-endpoint')).map((s) => s.endpoint)).toEqual(['list items']);
  });

  it('draws breaches in their own series, within-budget values in another, and the target at 100', () => {
    const [chart] = chartsIn(renderMarkdown(loadResult('breached')));
    expect(chart).toContain('"plotColorPalette":"#1a7f37,#cf222e,#57606a"');
    expect(series(chart!, 'bar')).toEqual([
      [0, 6.8, 29.9],
      [120.5, 0, 0],
    ]);
    expect(series(chart!, 'line')).toEqual([[100, 100, 100]]);
    expect(labelsOf(chart!)).toEqual(['list items 120%', 'get item 7%', 'search 30%']);
  });
});

describe('a chart of many endpoints', () => {
  const result = loadResult('many-endpoints');
  const [chart] = chartsIn(renderMarkdown(result));

  it(`draws at most ${MAX_CHART_BARS} bars: every p95 breach, then the nearest to their targets`, () => {
    const all = p95ShareOfTarget(result);
    const breached = all.filter((s) => s.breached);
    expect(all).toHaveLength(40);
    expect(breached.length).toBeGreaterThan(0);
    const labels = labelsOf(chart!);
    expect(labels).toHaveLength(MAX_CHART_BARS);
    for (const s of breached)
      expect(labels).toContain(`${s.endpoint} ${Math.round((100 * s.p95Ms) / s.targetMs)}%`);
    // The bars left out are all further from their targets than any bar drawn.
    const drawn = new Set(labels.map((l) => l.replace(/ \d+%$/, '')));
    const lowestDrawn = Math.min(...all.filter((s) => drawn.has(s.endpoint)).map((s) => s.percentOfTarget));
    for (const s of all.filter((x) => !drawn.has(x.endpoint))) {
      expect(s.percentOfTarget).toBeLessThanOrEqual(lowestDrawn);
    }
  });

  it('says under the chart that it shows only some', () => {
    expect(renderMarkdown(result)).toContain(
      `<sub>The ${MAX_CHART_BARS} worst of 40 endpoints (breaches first); the table above has them all.</sub>`,
    );
  });

  it('cuts long names in labels', () => {
    const long = loadResult('breached');
    long.endpoints[0]!.name = 'a very long endpoint name that goes on and on';
    const labels = labelsOf(chartsIn(renderMarkdown(long))[0]!);
    expect(labels[0]).toBe('a very long endpoint … 120%');
  });
});

describe('the change against the base', () => {
  it('is in percent with its interval, its budget and its verdict', () => {
    expect(reportCharts(loadResult('baseline-regressed')).p95ChangeAgainstBase).toEqual([
      {
        endpoint: 'list items',
        changePercent: 32.1,
        lowPercent: 21,
        highPercent: 44,
        budgetPercent: 10,
        verdict: 'regressed',
      },
      {
        endpoint: 'GET /items/7',
        changePercent: 3.4,
        lowPercent: -2,
        highPercent: 9,
        budgetPercent: 10,
        verdict: 'within-budget',
      },
      {
        endpoint: 'checkout',
        changePercent: 15,
        lowPercent: 2,
        highPercent: 29.7,
        budgetPercent: 10,
        verdict: 'inconclusive',
      },
    ]);
  });

  it('draws p95 as % of the base, regressions red, inconclusive amber, the budget as the line, the interval in the label', () => {
    const charts = chartsIn(renderMarkdown(loadResult('baseline-regressed')));
    expect(charts).toHaveLength(3);
    const chart = charts[1]!;
    // One series per colour, in the palette's order: green within budget, red regressed, amber inconclusive.
    expect(chart).toContain('"plotColorPalette":"#1a7f37,#cf222e,#bf8700,#57606a"');
    expect(series(chart, 'bar')).toEqual([
      [0, 103.4, 0],
      [132.1, 0, 0],
      [0, 0, 115],
    ]);
    expect(series(chart, 'line')).toEqual([[110, 110, 110]]);
    expect(labelsOf(chart)).toEqual([
      'list items +32% (+21%…+44%)',
      'GET /items/7 +3.4% (−2.0%…+9.0%)',
      'checkout +15% (+2.0%…+30%) ?',
    ]);
  });
});

describe('the endpoint whose latency spread is drawn', () => {
  it.each([
    ['breached', 'list items'],
    ['many-endpoints', 'list invoices'],
    ['baseline-regressed', 'list items'],
    ['passed', 'search'],
  ])('%s → %s', (name, expected) => {
    expect(histogramEndpoint(loadResult(name))?.name).toBe(expected);
    expect(reportCharts(loadResult(name)).histogramEndpoint).toBe(expected);
  });

  it('is a p95 breach before an endpoint nearer its target that failed otherwise', () => {
    const result = loadResult('breached');
    // search fails on errors at 30% of its p95 target; make a p95 breach that is only just over.
    result.endpoints[0]!.checks[0]!.limit = 120;
    result.endpoints[2]!.latencyMs!.p95 = 59;
    expect(histogramEndpoint(result)?.name).toBe('list items');
  });

  it('is a failed endpoint before a passing one nearer its target', () => {
    const result = loadResult('breached');
    result.endpoints[0]!.checks[0]!.passed = true;
    result.endpoints[0]!.passed = true;
    expect(histogramEndpoint(result)?.name).toBe('search');
  });
});

describe('table cells', () => {
  it.each([
    ['4.29 ms / 25.0 ms ❌', '4.29&nbsp;ms / 25.0&nbsp;ms ❌'],
    ['80.0 req/s', '80.0&nbsp;req/s'],
    ['1.25 s', '1.25&nbsp;s'],
    ['12.3 MB', '12.3&nbsp;MB'],
    ['5.0% / 1.0%', '5.0% / 1.0%'],
    ['3 sockets, 10 seconds', '3 sockets, 10 seconds'],
  ])('keepUnits(%j) → %j', (cell, expected) => {
    expect(keepUnits(cell)).toBe(expected);
  });

  it('breaks a run of 200 characters without spaces every 30, and leaves words alone', () => {
    expect(
      userText('x'.repeat(200))
        .split('<wbr>')
        .map((part) => part.length),
    ).toEqual([30, 30, 30, 30, 30, 30, 20]);
    expect(userText('list items by owner')).toBe('list items by owner');
    // The break goes in before escaping, so no entity is cut.
    expect(userText(`${'a'.repeat(29)}&b`)).toBe(`${'a'.repeat(29)}&amp;<wbr>b`);
  });

  it('cuts a long name in the main table and keeps it whole in the details table', () => {
    const result = loadResult('breached');
    result.endpoints[0]!.name = `${'word '.repeat(30)}end`;
    const text = renderMarkdown(result);
    const main = text.split('\n').find((l) => l.startsWith('| ❌ | word'))!;
    expect(main).toContain(`| ❌ | ${'word '.repeat(11)}word…<br><sub>GET /items</sub> |`);
    expect(text).toContain(`| ${'word '.repeat(30)}end | 5,012 |`);
  });

  it('keeps a value, its target and the mark on one line in the main table', () => {
    const row = renderMarkdown(loadResult('breached'))
      .split('\n')
      .find((l) => l.startsWith('| ❌ | list items'))!;
    expect(row).toContain('| 120&nbsp;ms&nbsp;/&nbsp;100&nbsp;ms&nbsp;❌ |');
  });
});
