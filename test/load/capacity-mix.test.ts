/** The mix's step judgement (load/capacity-mix.ts) and its words, on synthetic windows. */
import { describe, expect, it } from 'vitest';
import { toMixStep, type MixStepPart } from '../../src/load/capacity-mix.js';
import type { LoadMeasurement } from '../../src/load/window.js';
import { mixBrokenBy } from '../../src/report/capacity-text.js';
import type { CapacitySearch, CapacityStep } from '../../src/report/model.js';
import { emptyWindow } from '../../src/verdict/endpoint-result.js';

/** A 1 s window of `requests`, every latency `latencyMs`, `errors` of them failed. */
function window(requests: number, latencyMs: number, errors = 0, lateSends = 0): LoadMeasurement {
  return {
    ...emptyWindow(),
    windowMs: 1000,
    requests,
    successes: requests - errors,
    failures: { status: errors, timeout: 0, socket: 0 },
    latenciesMs: new Float64Array(requests - errors).fill(latencyMs),
    lateSends,
  };
}

const total = (a: LoadMeasurement, b: LoadMeasurement, lateSends = 0): LoadMeasurement => ({
  ...window(a.requests + b.requests, 0, a.failures.status + b.failures.status, lateSends),
  latenciesMs: Float64Array.from([...a.latenciesMs, ...b.latenciesMs]),
});

const parts: MixStepPart[] = [
  { name: 'list', targets: { p95Ms: 50, errorRate: 0.01 } },
  { name: 'search', targets: { p95Ms: 200 } },
];

describe('toMixStep', () => {
  const cases: {
    name: string;
    list: LoadMeasurement;
    search: LoadMeasurement;
    lateSends?: number;
    passed: boolean;
    broke: string[];
    brokenBy?: string;
    worst: string;
  }[] = [
    // search's 150 ms is over list's 50 ms target but within its own 200 ms: each against its own.
    {
      name: 'each endpoint within its own p95',
      list: window(300, 20),
      search: window(100, 150),
      passed: true,
      broke: [],
      worst: 'search',
    },
    {
      name: 'the fast endpoint over its own p95',
      list: window(300, 60),
      search: window(100, 150),
      passed: false,
      broke: ['p95'],
      brokenBy: 'list',
      worst: 'search',
    },
    {
      name: 'the slow endpoint over its own p95',
      list: window(300, 20),
      search: window(100, 250),
      passed: false,
      broke: ['p95'],
      brokenBy: 'search',
      worst: 'search',
    },
    // 5 errors in 300 is 1.7% for list (over 1%), 1.2% of the mix: judged on the endpoint's own share.
    {
      name: "one endpoint's errors over its own rate",
      list: window(300, 20, 5),
      search: window(100, 150),
      passed: false,
      broke: ['errors'],
      brokenBy: 'list',
      worst: 'search',
    },
    // 380 of 400 offered is exactly 5% short: held; 370 is not.
    {
      name: 'the whole mix 5% short of the rate',
      list: window(285, 20),
      search: window(95, 150),
      passed: true,
      broke: [],
      worst: 'search',
    },
    {
      name: 'the whole mix over 5% short',
      list: window(280, 20),
      search: window(90, 150),
      passed: false,
      broke: ['rate'],
      worst: 'search',
    },
    {
      name: 'the gate late on a failed step',
      list: window(300, 60),
      search: window(100, 150),
      lateSends: 40,
      passed: false,
      broke: ['load-generator'],
      worst: 'search',
    },
    {
      name: 'the gate late on a step that held',
      list: window(300, 20),
      search: window(100, 150),
      lateSends: 40,
      passed: true,
      broke: [],
      worst: 'search',
    },
  ];
  it.each(cases)('$name', ({ list, search, lateSends, passed, broke, brokenBy, worst }) => {
    const step = toMixStep(400, 20, { parts: [list, search], total: total(list, search, lateSends) }, parts);
    expect(step).toMatchObject({ offeredRps: 400, passed, broke, worstEndpoint: worst, connections: 20 });
    expect(step.brokenBy).toBe(brokenBy);
    expect(step.latencyMs!.p95).toBe(Math.max(list.latenciesMs[0]!, search.latenciesMs[0]!));
    // Answers (an error status is one) per second of the whole mix's window.
    expect(step.achievedRps).toBe(list.requests + search.requests);
  });
});

describe('mixBrokenBy', () => {
  const step = (offeredRps: number, passed: boolean, brokenBy?: string) =>
    ({ offeredRps, passed, ...(brokenBy ? { brokenBy } : {}) }) as CapacityStep;
  const search = (steps: CapacityStep[]) => ({ steps }) as CapacitySearch;
  it.each([
    { steps: [step(100, true), step(200, true)], by: undefined },
    {
      steps: [step(100, true), step(400, false, 'list'), step(200, false, 'search'), step(150, true)],
      by: 'search',
    },
    { steps: [step(100, true), step(200, false)], by: undefined },
  ])('the lowest failed step names $by', ({ steps, by }) => expect(mixBrokenBy(search(steps))).toBe(by));
});
