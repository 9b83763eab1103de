/** How stages (issue #11) read in the terminal, the comment and the JSON-bound result: pure, on saved results. */
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { MARKDOWN_LIMIT } from '../../src/report/markdown-fit.js';
import { MAX_STAGE_ROWS } from '../../src/report/markdown-stages.js';
import type { GateResult, StageResult } from '../../src/report/model.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { loadResult } from '../helpers/golden.js';

const summary = (p50: number, p95: number) => ({
  p50,
  p90: p95,
  p95,
  p99: p95,
  min: p50,
  max: p95,
  mean: p50,
  count: 10,
});

const STAGES: StageResult[] = [
  {
    index: 0,
    durationMs: 10_000,
    offeredRps: { from: 0, to: 50 },
    requests: 250,
    rps: 25,
    answeredRps: 25,
    errors: 0,
    errorRate: 0,
    latencyMs: summary(12, 20),
    lateSends: 0,
    queuedSends: 0,
  },
  {
    index: 1,
    durationMs: 20_000,
    offeredRps: { from: 50, to: 200 },
    requests: 2500,
    rps: 125,
    answeredRps: 98.5,
    errors: 25,
    errorRate: 0.01,
    latencyMs: summary(240, 1900),
    lateSends: 0,
    queuedSends: 900,
  },
];

function staged(): GateResult {
  const result = loadResult('passed');
  result.load = {
    ...result.load,
    ratePerSecond: undefined,
    stages: [
      { durationMs: 10_000, ratePerSecond: 50 },
      { durationMs: 20_000, ratePerSecond: 200 },
    ],
    durationMs: 30_000,
  };
  result.endpoints[0]!.stages = STAGES;
  return result;
}

describe('stages in the terminal', () => {
  it('puts one line per stage under its endpoint, in the table', () => {
    const lines = renderTerminal(staged()).split('\n');
    const at = lines.findIndex((l) => l.startsWith(staged().endpoints[0]!.name));
    expect(lines[at + 1]).toMatch(
      /^ {2}stage 1: 0→50 req\/s over 10 s, 25\.0 answered\/s +250 +25\.0 +12\.0 ms .* 20\.0 ms +0% *$/,
    );
    expect(lines[at + 2]).toMatch(
      /^ {2}stage 2: 50→200 req\/s over 20 s, 98\.5 answered\/s +2500 +125\.0 +240 ms .* 1\.90 s +1\.0% *$/,
    );
  });
});

describe('stages in the comment', () => {
  it('has a Stages table in the details, and the load described by its stages', () => {
    const text = renderMarkdown(staged());
    expect(text).toContain('<summary>Stages</summary>');
    expect(text).toContain('| Endpoint | Stage: offered | Requests | Answered/s | p50 | p95 | Errors |');
    expect(text).toMatch(
      /\| 2: 50→200(&nbsp;| )req\/s over 20(&nbsp;| )s \| 2500 \| 98\.5 \| 240(&nbsp;| )ms \| 1\.90(&nbsp;| )s \| 1\.0% \|/,
    );
    expect(text).toContain('stages of 0→50→200 req/s over');
  });

  it('has no Stages table for a flat load', () => {
    expect(renderMarkdown(loadResult('passed'))).not.toContain('Stages');
  });

  it(`shows at most ${MAX_STAGE_ROWS} stage rows, and fits the limit with many endpoints`, () => {
    const result = staged();
    const template = result.endpoints[0]!;
    result.endpoints = Array.from({ length: 400 }, (_, i) => ({
      ...template,
      name: `endpoint ${i}`,
      stages: Array.from({ length: 20 }, (_, k) => ({ ...STAGES[1]!, index: k })),
    }));
    const full = renderMarkdown(result, { limit: 10_000_000 });
    const rows = full.split('\n').filter((l) => /^\| endpoint \d+ \| \d+: \S+→/.test(l));
    expect(rows).toHaveLength(MAX_STAGE_ROWS);
    expect(full).toContain(
      `…and ${400 * 20 - MAX_STAGE_ROWS} more stages: see the JSON report (endpoints[].stages).`,
    );
    expect(renderMarkdown(result).length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
  });
});
