import { describe, expect, it } from 'vitest';
import type { LoadMeasurement } from '../../src/load/run-load.js';
import type { ResourceUsage } from '../../src/service/resources.js';
import {
  describeFailures,
  emptyWindow,
  toEndpointResult,
  windowProblems,
} from '../../src/verdict/endpoint-result.js';
import { endpoint, window } from './fixtures.js';

const failures = (status: number, timeout: number, socket: number) => ({ status, timeout, socket });

describe('describeFailures', () => {
  it.each<[string, LoadMeasurement, string]>([
    ['nothing at all', emptyWindow(), 'nothing answered'],
    [
      'statuses, socket errors, then timeouts',
      window([], {
        statusCodes: { '500': 3, '503': 1 },
        socketErrors: { ECONNRESET: 2 },
        failures: failures(4, 5, 2),
      }),
      '3× HTTP 500, 1× HTTP 503, 2× ECONNRESET, 5 timeouts',
    ],
    ['timeouts alone', window([], { failures: failures(0, 7, 0) }), '7 timeouts'],
  ])('%s', (_, m, text) => {
    expect(describeFailures(m)).toBe(text);
  });
});

describe('windowProblems', () => {
  it.each<[string, LoadMeasurement, string[]]>([
    ['a healthy window', window([5, 6, 7]), []],
    ['nothing completed', emptyWindow(), ['no request completed in the measured window']],
    [
      'requests, none successful',
      window([], { requests: 4, successes: 0, statusCodes: { '404': 4 }, failures: failures(4, 0, 0) }),
      ['no successful response (4× HTTP 404)'],
    ],
    [
      'silence under the threshold is not a problem',
      window([5], { trailingSilenceMs: 999, lastAnswerMs: 1 }),
      [],
    ],
    [
      'silence of exactly the threshold is stopped answering',
      window([5], { trailingSilenceMs: 1000, lastAnswerMs: 0, failures: failures(0, 2, 0) }),
      [
        'the target stopped answering 0.0 s into the window: nothing for the last 1.00 s, 2 requests timed out',
      ],
    ],
    [
      'stopped answering partway, with the time it last answered',
      window([5], { trailingSilenceMs: 1500, lastAnswerMs: 500, failures: failures(0, 12, 0) }),
      [
        'the target stopped answering 0.5 s into the window: nothing for the last 1.50 s, 12 requests timed out',
      ],
    ],
    [
      'never answered: both problems',
      window([], {
        requests: 3,
        successes: 0,
        trailingSilenceMs: 2000,
        failures: failures(0, 3, 0),
      }),
      [
        'no successful response (3 timeouts)',
        'the target stopped answering from the start: nothing for the last 2.00 s, 3 requests timed out',
      ],
    ],
  ])('%s', (_, m, problems) => {
    expect(windowProblems(m)).toEqual(problems);
  });
});

describe('toEndpointResult', () => {
  const usage: ResourceUsage = {
    rssStartBytes: 100,
    rssEndBytes: 150,
    rssPeakBytes: 160,
    rssGrowthBytes: 50,
    cpuSeconds: 0.5,
    cpuSource: 'proc',
    samples: 4,
  };

  it('counts, rates and summaries from the window, checked against the SLO', () => {
    const m = window([10, 20, 30, 40], {
      windowMs: 2000,
      requests: 5,
      successes: 4,
      failures: failures(1, 0, 0),
      statusCodes: { '500': 1 },
      failedLatenciesMs: Float64Array.from([1]),
    });
    const result = toEndpointResult(endpoint({ slo: { p95Ms: 35, errorRate: 0.5 } }), m, false);
    expect(result).toMatchObject({
      name: 'GET /work',
      method: 'GET',
      path: '/work',
      requests: 5,
      rps: 2.5,
      successes: 4,
      errors: 1,
      errorRate: 0.2,
      windowMs: 2000,
      latencyMs: { count: 4, min: 10, max: 40 },
      failedLatencyMs: { count: 1 },
      problems: [],
      passed: false,
    });
    expect(result.checks.map((c) => [c.metric, c.passed])).toEqual([
      ['p95', false],
      ['error-rate', true],
    ]);
    // Closed loop: the fixed-rate fields are absent, not zero.
    expect(result).not.toHaveProperty('rawLatencyMs');
    expect(result).not.toHaveProperty('queuedSends');
  });

  it('keeps the fixed-rate fields at a fixed rate', () => {
    const m = window([10, 20], { rawLatenciesMs: Float64Array.from([5, 6]), lateSends: 1, queuedSends: 2 });
    expect(toEndpointResult(endpoint(), m, true)).toMatchObject({
      rawLatencyMs: { count: 2, max: 6 },
      lateSends: 1,
      queuedSends: 2,
      passed: true,
    });
  });

  it('charges the CPU time per request', () => {
    const result = toEndpointResult(endpoint(), window([1, 2, 3, 4]), false, usage);
    expect(result.resources).toEqual({ ...usage, cpuMsPerRequest: 125 });
  });

  it('fails an empty window however lenient the SLO, with zero rates rather than NaN', () => {
    const result = toEndpointResult(endpoint({ slo: { errorRate: 1 } }), emptyWindow(), false, usage);
    expect(result).toMatchObject({
      requests: 0,
      rps: 0,
      errorRate: 0,
      latencyMs: null,
      problems: ['no request completed in the measured window'],
      passed: false,
    });
    expect(result.resources!.cpuMsPerRequest).toBe(0);
  });
});
