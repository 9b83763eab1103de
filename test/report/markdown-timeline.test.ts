/** Latency over time in the PR comment (issue #11): which timelines are drawn, how, and what is cut first. */
import { describe, expect, it } from 'vitest';
import { reportCharts } from '../../src/report/chart-data.js';
import { MARKDOWN_LIMIT } from '../../src/report/markdown-fit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { EndpointResult, TimelinePoint } from '../../src/report/model.js';
import { loadResult } from '../helpers/golden.js';

const chartsIn = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);
const series = (chart: string, kind: 'bar' | 'line') =>
  [...chart.matchAll(new RegExp(`^  ${kind} \\[(.*)\\]$`, 'gm'))].map((m) => m[1]!.split(', ').map(Number));
/** Each <details> section: whether it is open, its summary, and its body. */
const sectionsIn = (markdown: string) =>
  [...markdown.matchAll(/<details( open)?>\n<summary>(.*)<\/summary>\n([\s\S]*?)\n<\/details>/g)].map(
    (m) => ({
      open: Boolean(m[1]),
      summary: m[2]!,
      body: m[3]!,
    }),
  );

describe('the timeline sections', () => {
  it("draws the worst endpoint's p95 and rates open, after the charts, the others collapsed at the end", () => {
    const result = loadResult('timeline-pause');
    const sections = sectionsIn(renderMarkdown(result));
    const summaries = sections.map((s) => s.summary);
    expect(summaries[0]).toBe('Charts');
    expect(summaries[1]).toBe('Latency over time: checkout (the worst endpoint)');
    expect(summaries.at(-2)).toBe('Latency over time: list items');
    expect(sections[1]!.open).toBe(true);
    expect(sections.at(-2)!.open).toBe(false);

    const checkout = result.endpoints[0]!.timeline!;
    const [p95, rates] = chartsIn(sections[1]!.body);
    expect(series(p95!, 'bar')).toEqual([checkout.map((p) => round2(p.latencyMs!.p95))]);
    expect(series(p95!, 'line')).toEqual([checkout.map(() => 100)]);
    expect(series(rates!, 'bar')).toEqual([checkout.map((p) => p.achievedRps)]);
    expect(series(rates!, 'line')).toEqual([checkout.map((p) => p.offeredRps)]);
    expect(p95).toContain('x-axis "s from the start of the window" 0.5 --> 19.5');
    expect(sections[1]!.body).toContain('Slowest: p95 605 ms at 12–13 s');
  });

  it('draws an interval without a latency sample as no bar, and says so', () => {
    const result = loadResult('timeline-pause');
    result.endpoints = [result.endpoints[0]!];
    const timeline = result.endpoints[0]!.timeline!;
    timeline[3] = { ...timeline[3]!, latencyMs: null, requests: 0, offeredRps: 0 };
    const [section] = sectionsIn(renderMarkdown(result)).filter((s) => s.summary.startsWith('Latency'));
    expect(series(chartsIn(section!.body)[0]!, 'bar')[0]![3]).toBe(0);
    expect(section!.body).toContain('No bar: no latency sample in 1 interval.');
  });

  it('draws none without timelines (reports from before them)', () => {
    expect(renderMarkdown(loadResult('breached'))).not.toContain('Latency over time');
    expect(reportCharts(loadResult('breached')).timelineEndpoint).toBeNull();
  });

  it("names the drawn endpoint in the JSON report's charts", () => {
    expect(reportCharts(loadResult('timeline-pause')).timelineEndpoint).toBe('checkout');
  });
});

const round2 = (v: number) => Math.round(v * 100) / 100;

/** 60 points of a steady run with one slow second, as a long run gives. */
const timeline60 = (seed: number): TimelinePoint[] =>
  Array.from({ length: 60 }, (_, i) => ({
    atMs: i * 1000,
    intervalMs: 1000,
    latencyMs: { p50: 3.123 + (seed % 7), p95: i === seed % 60 ? 812.345 : 12.345 + ((i * seed) % 11) },
    requests: 200,
    errors: i % 13 === 0 ? 1 : 0,
    offeredRps: 200,
    achievedRps: 199.5 + (i % 3),
  }));

describe('the timelines and the comment limit', () => {
  it('cuts the other endpoints’ timelines first with 60 endpoints × 60 points, and keeps the worst', () => {
    const result = loadResult('breached');
    const base = result.endpoints[0]!;
    result.endpoints = Array.from({ length: 60 }, (_, i): EndpointResult => ({
      ...base,
      name: `endpoint number ${i} with a long name`,
      path: `/items/${i}`,
      timeline: timeline60(i + 1),
    }));
    const full = renderMarkdown(result, { limit: 10_000_000 });
    expect(full.length).toBeGreaterThan(MARKDOWN_LIMIT);
    expect(sectionsIn(full).filter((s) => s.summary.startsWith('Latency over time'))).toHaveLength(60);

    const text = renderMarkdown(result);
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    const summaries = sectionsIn(text).map((s) => s.summary);
    const timelines = summaries.filter((s) => s.startsWith('Latency over time'));
    // Some timelines went, not all: the worst stays open, and every other section stayed whole.
    expect(timelines.length).toBeGreaterThan(1);
    expect(timelines.length).toBeLessThan(60);
    expect(timelines[0]).toMatch(/\(the worst endpoint\)$/);
    const others = sectionsIn(full)
      .map((s) => s.summary)
      // The service's log tail goes before any section, by design (markdown-fit.ts).
      .filter((s) => !s.startsWith('Latency over time') && !s.startsWith('Service output'));
    expect(others.length).toBeGreaterThanOrEqual(5);
    for (const summary of others) expect(summaries).toContain(summary);
    // The table keeps every endpoint.
    expect(text).not.toContain('more endpoints: see the JSON report');
  });
});
