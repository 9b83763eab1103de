import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commentAction, commentBody } from '../../src/action/comment.js';
import { annotationsFor, failureMessage, outputsFor, type GateReport } from '../../src/action/outcome.js';
import type { GateResult } from '../../src/report/model.js';

const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'results');
const result = (name: string): GateResult =>
  JSON.parse(readFileSync(path.join(RESULTS, `${name}.json`), 'utf8'));
const report = (name: string): GateReport => ({
  kind: 'result',
  result: result(name),
  reportPath: '/w/.slo-gate/report.json',
  markdownPath: '/w/.slo-gate/report.md',
});
const configError: GateReport = {
  kind: 'error',
  headline: 'the config is invalid',
  message: 'slo-gate.yml: bad',
};

describe('failureMessage', () => {
  it.each<[string, GateReport, boolean, string | undefined]>([
    ['a pass never fails', report('passed'), true, undefined],
    [
      'a breach fails with fail-on-breach',
      report('breached'),
      true,
      'slo-gate: SLO breached: list items (p95); search (error-rate, min-rps)',
    ],
    ['a breach passes without it', report('breached'), false, undefined],
    [
      'a service failure always fails',
      report('failed-service'),
      false,
      'slo-gate: the service exited with code 1 before it was ready (http://127.0.0.1:3917/health)',
    ],
    [
      'an endpoint that never answered always fails',
      report('failed-endpoint'),
      false,
      'slo-gate: get item: no successful response (4123× HTTP 500)',
    ],
    ['a config error always fails, with its one line', configError, false, 'slo-gate.yml: bad'],
  ])('%s', (_name, r, failOnBreach, expected) => {
    expect(failureMessage(r, failOnBreach)).toBe(expected);
  });
});

describe('outputsFor', () => {
  it('reports the worst p95, the worst error rate and the failed endpoints', () => {
    expect(outputsFor(report('breached'))).toEqual({
      passed: 'false',
      verdict: 'breached',
      reason: 'SLO breached: list items (p95); search (error-rate, min-rps)',
      report: '/w/.slo-gate/report.json',
      'markdown-report': '/w/.slo-gate/report.md',
      'worst-p95-ms': '120.45',
      'worst-p95-endpoint': 'list items',
      'max-error-rate': '0.05',
      'failed-endpoints': '["list items","search"]',
      'inconclusive-endpoints': '[]',
    });
  });

  it('leaves the measures empty when nothing was measured', () => {
    expect(outputsFor(report('failed-service'))).toMatchObject({
      passed: 'false',
      verdict: 'failed',
      'worst-p95-ms': '',
      'max-error-rate': '',
      'failed-endpoints': '[]',
    });
  });

  it('skips endpoints without latencies for the worst p95', () => {
    expect(outputsFor(report('failed-endpoint'))).toMatchObject({
      'worst-p95-ms': '6.871',
      'worst-p95-endpoint': 'list items',
      'max-error-rate': '1',
      'failed-endpoints': '["get item"]',
    });
  });

  it('says error after a config error', () => {
    expect(outputsFor(configError)).toMatchObject({
      passed: 'false',
      verdict: 'error',
      reason: 'slo-gate.yml: bad',
      report: '',
    });
  });
});

describe('annotationsFor', () => {
  it('is an error per breached SLO', () => {
    expect(annotationsFor(result('breached'), true)).toEqual([
      {
        level: 'error',
        title: 'SLO breached: list items p95',
        message: 'list items (GET /items): p95 120 ms, 20.5 ms over its 100 ms budget',
      },
      {
        level: 'error',
        title: 'SLO breached: search error-rate',
        message: 'search (POST /search): error rate 5.0%, 4.0% over its 1.0% budget',
      },
      {
        level: 'error',
        title: 'SLO breached: search min-rps',
        message: 'search (POST /search): throughput 80.0 req/s, 20.0 req/s below its 100.0 req/s floor',
      },
    ]);
  });

  it('is a warning per breach when breaches do not fail the step, but problems stay errors', () => {
    expect(annotationsFor(result('breached'), false).map((a) => a.level)).toEqual([
      'warning',
      'warning',
      'warning',
    ]);
    const failed = annotationsFor(result('failed-endpoint'), false);
    expect(failed.at(-1)).toEqual({
      level: 'error',
      title: 'Endpoint failed: get item',
      message: 'get item: no successful response (4123× HTTP 500)',
    });
  });

  it('is nothing for a pass', () => {
    expect(annotationsFor(result('passed'), true)).toEqual([]);
  });

  it('is a warning per inconclusive comparison that passed, with what would settle it', () => {
    const warnings = annotationsFor(result('baseline-regressed'), true).filter((a) => a.level === 'warning');
    expect(warnings).toEqual([
      {
        level: 'warning',
        title: 'Inconclusive against the base: checkout',
        message:
          'checkout (POST /checkout): p95 8.10 ms → 9.32 ms against the base, +15% (95% CI +2.0…+30%): ' +
          'inconclusive against its 10.0% budget; 28 rounds, or 5 replicates of 6, would settle it',
      },
      {
        level: 'warning',
        title: 'Inconclusive against the base: search',
        message:
          'search (POST /search): p95 against the base: too few rounds with answers on both sides to compare: inconclusive',
      },
    ]);
  });

  it('is an error, not a warning, for an inconclusive comparison that fails (on-inconclusive: fail)', () => {
    const failing = result('baseline-regressed');
    const checkout = failing.endpoints.find((e) => e.name === 'checkout')!;
    checkout.checks.find((c) => c.metric === 'max-regression')!.passed = false;
    const annotations = annotationsFor(failing, true).filter((a) => a.title.includes('checkout'));
    expect(annotations.map((a) => [a.level, a.title])).toEqual([
      ['error', 'SLO breached: checkout max-regression'],
    ]);
    expect(annotations[0]!.message).toContain('inconclusive against its 10.0% budget; 28 rounds');
  });
});

describe('the inconclusive-endpoints output', () => {
  it('names the endpoints whose comparison could not tell, as a JSON array', () => {
    expect(outputsFor(report('baseline-regressed'))['inconclusive-endpoints']).toBe('["checkout","search"]');
    expect(outputsFor(configError)['inconclusive-endpoints']).toBe('[]');
  });
});

describe('the comment', () => {
  it.each([
    ['always', true, 'upsert'],
    ['always', false, 'upsert'],
    ['on-failure', false, 'upsert'],
    // A pass after a failure still updates the comment: no stale failure is left behind.
    ['on-failure', true, 'update'],
    ['never', false, 'none'],
    ['never', true, 'none'],
  ] as const)('comment: %s, passed %s → %s', (mode, passed, expected) => {
    expect(commentAction(mode, passed)).toBe(expected);
  });

  it('ends with a footer naming the commit and the run', () => {
    expect(
      commentBody('### ✅ slo-gate\n', {
        pullRequest: { owner: 'a', repo: 'b', number: 1, headSha: '0123456789abcdef' },
        runUrl: 'https://github.com/a/b/actions/runs/5',
      }),
    ).toBe(
      '### ✅ slo-gate\n\n<sub>Measured by slo-gate · commit 0123456 · [workflow run](https://github.com/a/b/actions/runs/5)</sub>\n',
    );
    expect(commentBody('x', {})).toBe('x\n\n<sub>Measured by slo-gate</sub>\n');
  });
});
