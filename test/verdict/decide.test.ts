import { describe, expect, it } from 'vitest';
import type { EndpointResult, Verdict } from '../../src/report/model.js';
import { decideVerdict } from '../../src/verdict/decide.js';
import { check, endpointResult, gateResult } from './fixtures.js';

describe('decideVerdict', () => {
  it.each<[string, EndpointResult[], Verdict, string | undefined]>([
    ['no endpoint, nothing failed', [], 'passed', undefined],
    ['every check passed', [endpointResult('a', [check('p95', true)])], 'passed', undefined],
    [
      'a failed check breaches, naming the endpoint and metric',
      [endpointResult('a', [check('p95', true)]), endpointResult('b', [check('p95', false)])],
      'breached',
      'SLO breached: b (p95)',
    ],
    [
      'every breached endpoint and metric is named',
      [
        endpointResult('a', [check('p95', false), check('error-rate', true), check('p99', false)]),
        endpointResult('b', [check('max-regression', false)]),
      ],
      'breached',
      'SLO breached: a (p95, p99); b (max-regression)',
    ],
    [
      'a problem fails, even with passing checks',
      [endpointResult('a', [check('p95', true)], ['no request completed in the measured window'])],
      'failed',
      'a: no request completed in the measured window',
    ],
    [
      'a problem outranks a breach, and the first problem of the first broken endpoint is the reason',
      [
        endpointResult('a', [check('p95', false)]),
        endpointResult('b', [], ['the service exited with code 1 during the run', 'second']),
        endpointResult('c', [], ['third']),
      ],
      'failed',
      'b: the service exited with code 1 during the run',
    ],
  ])('%s', (_, endpoints, verdict, reason) => {
    const result = gateResult(endpoints);
    decideVerdict(result);
    expect(result.verdict).toBe(verdict);
    expect(result.passed).toBe(verdict === 'passed');
    expect(result.reason).toBe(reason);
  });
});

describe("decideVerdict with the mix's capacity", () => {
  const mix = (checks: ReturnType<typeof check>[], problems: string[] = []) => ({
    requests: 1,
    rps: 1,
    errors: 0,
    errorRate: 0,
    latencyMs: null,
    windowMs: 1000,
    checks,
    problems,
  });
  it.each([
    {
      name: 'held',
      checks: [check('min-capacity', true)],
      problems: [],
      verdict: 'passed',
      reason: undefined,
    },
    {
      name: 'under min-capacity breaches, as "mix"',
      checks: [check('min-capacity', false)],
      problems: [],
      verdict: 'breached',
      reason: 'SLO breached: mix (min-capacity)',
    },
    {
      name: 'not told fails',
      checks: [],
      problems: ['capacity not measured'],
      verdict: 'failed',
      reason: 'mix: capacity not measured',
    },
  ])('$name', ({ checks, problems, verdict, reason }) => {
    const result = gateResult([endpointResult('a', [check('p95', true)])]);
    result.mix = mix(checks, problems);
    decideVerdict(result);
    expect(result.verdict).toBe(verdict);
    expect(result.reason).toBe(reason);
  });
});
