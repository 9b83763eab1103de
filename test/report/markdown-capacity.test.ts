import { describe, expect, it } from 'vitest';
import { capacityLine, describeSearch, stepLine } from '../../src/report/capacity-text.js';
import { capacityChart, capacitySections, MAX_CAPACITY_CHARTS } from '../../src/report/markdown-capacity.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { CapacityResult, CapacityStep, GateResult } from '../../src/report/model.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { loadResult } from '../helpers/golden.js';

const step = (offeredRps: number, p95: number, passed: boolean): CapacityStep => ({
  offeredRps,
  achievedRps: passed ? offeredRps : offeredRps * 0.8,
  latencyMs: { p50: p95 / 2, p95, p99: p95 * 1.2 },
  errorRate: 0,
  passed,
  broke: passed ? [] : ['p95'],
  requests: offeredRps * 3,
  connections: 10,
  lateSends: 0,
  windowMs: 3000,
});

const capacity: CapacityResult = {
  rps: 300,
  limitedBy: 'p95',
  reachedTo: false,
  fromRps: 100,
  toRps: 5000,
  precision: 0.1,
  durationMs: 20_000,
  steps: [
    step(100, 10, true),
    step(200, 12, true),
    step(400, 900, false),
    step(300, 40, true),
    step(350, 120, false),
  ],
};

describe('capacity in words', () => {
  it.each([
    { name: 'found', search: capacity, text: '300 req/s (next step: p95 over its target)' },
    {
      name: 'held to `to`',
      search: { ...capacity, rps: 5000, limitedBy: null, reachedTo: true },
      text: 'at least 5,000 req/s (held every rate up to `to`)',
    },
    {
      name: 'broke at from',
      search: { ...capacity, rps: 0, limitedBy: 'errors' as const },
      text: 'below 100 req/s (from broke: errors over their target)',
    },
    {
      name: 'cut by the cap',
      search: { ...capacity, limitedBy: null, stoppedBy: 'max-time' as const },
      text: '300 req/s, at least: the search reached its max-time cap after 5 steps',
    },
  ])('$name', ({ search, text }) => {
    expect(describeSearch(search)).toBe(text);
  });

  it('says the change against the base as the issue words it', () => {
    const line = capacityLine(
      {
        ...capacity,
        rps: 1420,
        base: { ...capacity, rps: 1840 },
        change: 1420 / 1840 - 1,
        verdict: 'regressed',
      },
      0.1,
    );
    expect(line).toMatch(
      /^capacity 1,840 req\/s → 1,420 req\/s, −23%, REGRESSED beyond the 10\.0% budget \(base: /,
    );
  });

  it('gives each step a line', () => {
    expect(stepLine(capacity.steps[2]!)).toBe(
      '400 req/s: achieved 320.0, p95 900 ms, 0% errors, 10 connections: broke p95',
    );
  });
});

describe('the capacity chart', () => {
  it('draws p95 by offered rate in rate order, broken steps marked, cut at three targets, the target a line', () => {
    const chart = capacityChart('list items', capacity, 100);
    expect(chart).toContain(
      '  x-axis "offered req/s (✗ broke the SLO)" ["100", "200", "300", "350 ✗", "400 ✗"]',
    );
    expect(chart).toContain('  bar [10, 12, 40, 120, 300]');
    expect(chart).toContain('  line [100, 100, 100, 100, 100]');
    expect(chart.find((l) => l.startsWith('  title'))).toBe(
      '  title "list items: p95 by offered rate, capacity 300 req/s (bars cut)"',
    );
  });
});

describe('the capacity section', () => {
  const withCapacity = (n: number): GateResult => {
    const result = loadResult('passed');
    const endpoint = result.endpoints[0]!;
    result.endpoints = Array.from({ length: n }, (_, i) => ({
      ...endpoint,
      name: `endpoint ${i}`,
      capacity,
    }));
    return result;
  };

  it('is absent without a search', () => {
    expect(capacitySections(loadResult('passed'))).toEqual([]);
  });

  it('charts only the first endpoints and says where the rest are', () => {
    const [section] = capacitySections(withCapacity(MAX_CAPACITY_CHARTS + 2));
    expect(section!.filter((line) => line === '```mermaid')).toHaveLength(MAX_CAPACITY_CHARTS);
    expect(section!.at(-2)).toMatch(/^<sub>Charts for the first 4 of 6 endpoints searched/);
  });

  it('adds a Capacity column to the table and keeps a comment of 200 searched endpoints under the limit', () => {
    const markdown = renderMarkdown(withCapacity(200));
    expect(markdown.length).toBeLessThanOrEqual(60_000);
    expect(markdown).toContain('| Capacity |');
    expect(markdown).toContain('| 300&nbsp;req/s |');
  });

  it('puts the capacity under the terminal table', () => {
    expect(renderTerminal(withCapacity(1))).toContain(
      '  endpoint 0: capacity 300 req/s (next step: p95 over its target)',
    );
  });
});
