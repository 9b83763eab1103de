/**
 * The charts in the PR comment go through mermaid's own parser (the one GitHub renders with): a chart that
 * does not parse shows as an error box in every comment.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { JSDOM } from 'jsdom';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/report/model.js';
import { MAX_CAPACITY_CHARTS } from '../../src/report/markdown-capacity.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { latencyHistogram } from '../../src/stats/latency-histogram.js';

const RESULTS = fileURLToPath(new URL('../fixtures/results/', import.meta.url));

let parse: (text: string) => Promise<unknown>;
beforeAll(async () => {
  const dom = new JSDOM('<!doctype html><html><body></body></html>');
  Object.assign(globalThis, { window: dom.window, document: dom.window.document });
  const { default: mermaid } = await import('mermaid');
  parse = (text) => mermaid.parse(text);
});
// Pure tests share one module graph (isolate: false in vitest.config.ts): leave no DOM behind for them.
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'window');
  Reflect.deleteProperty(globalThis, 'document');
});

const chartsIn = (markdown: string) => [...markdown.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('mermaid charts', () => {
  const fixtures = readdirSync(RESULTS).filter((f) => f.endsWith('.json'));
  const load = (file: string) => JSON.parse(readFileSync(path.join(RESULTS, file), 'utf8')) as GateResult;

  it('the saved results include some with latencies, so the charts below are drawn', () => {
    expect(fixtures.filter((f) => load(f).endpoints.some((e) => e.latencyMs)).length).toBeGreaterThan(0);
  });

  it.each(fixtures)('%s: every chart parses', async (file) => {
    const result = load(file);
    for (const e of result.endpoints) {
      // The histogram is what the engine now adds; older fixtures get one so the second chart is drawn.
      e.latencyHistogram ??= e.latencyMs
        ? { upperMs: [1, 2.5, 10, 250.5], counts: [5, 70, 20, 1] }
        : undefined;
    }
    const charts = chartsIn(renderMarkdown(result));
    // Two charts (p95 per endpoint, the worst endpoint's histogram) whenever anything was measured, and one
    // more for the change against the base when there is one; and one per endpoint searched for its capacity.
    const measured = result.endpoints.some((e) => e.latencyMs);
    const compared = result.endpoints.some((e) => e.baseline?.p95);
    // Two more (p95, and the rates asked and answered) per endpoint with a timeline; one per endpoint searched.
    const timelines = result.endpoints.filter((e) => e.timeline && e.timeline.length > 0).length;
    const searched = Math.min(MAX_CAPACITY_CHARTS, result.endpoints.filter((e) => e.capacity).length);
    const expected = (measured ? 2 + (compared ? 1 : 0) + 2 * timelines : 0) + searched;
    expect.assertions(1 + expected);
    expect(charts).toHaveLength(expected);
    for (const chart of charts) await expect(parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
  });

  it('a chart with names full of mermaid syntax still parses', async () => {
    const result = load('hostile-strings.json');
    result.endpoints[0]!.name = 'x"] ; bar [1] %% {init} `y` <b>#&|';
    result.endpoints[0]!.latencyHistogram = { upperMs: [1, 2], counts: [1, 1] };
    const charts = chartsIn(renderMarkdown(result));
    expect.assertions(3);
    expect(charts).toHaveLength(2);
    for (const chart of charts) await expect(parse(chart)).resolves.toMatchObject({ diagramType: 'xychart' });
  });

  // Issue #14 item 14: /delay/0.2 at 10 connections (every latency ~1000-1015 ms) read "≤ 1.01 s" on every bar.
  it('labels the histogram bars of a narrow spread apart, at round edges', async () => {
    const result = load('passed.json');
    const latenciesMs = Float64Array.from({ length: 200 }, (_, i) => 1000 + (15 * i) / 199);
    result.endpoints = [{ ...result.endpoints[0]!, latencyHistogram: latencyHistogram(latenciesMs) }];
    const histogram = chartsIn(renderMarkdown(result))[1]!;
    const labels = JSON.parse(/x-axis (\[.*\])/.exec(histogram)![1]!) as string[];
    expect(labels).toEqual([
      '≤ 1 s',
      '≤ 1.002 s',
      '≤ 1.004 s',
      '≤ 1.006 s',
      '≤ 1.008 s',
      '≤ 1.01 s',
      '≤ 1.012 s',
      '≤ 1.014 s',
      '≤ 1.016 s',
    ]);
    await expect(parse(histogram)).resolves.toMatchObject({ diagramType: 'xychart' });
  });
});
