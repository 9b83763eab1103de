import { describe, expect, it } from 'vitest';
import {
  connectionsFor,
  findCapacity,
  judgeStep,
  nextRate,
  type StepFigures,
  type TriedStep,
} from '../../src/load/capacity.js';

const bounds = { fromRps: 50, toRps: 5000, precision: 0.1 };
const ok = (offeredRps: number): TriedStep => ({ offeredRps, passed: true, broke: [] });
const bad = (offeredRps: number, by: 'p95' | 'rate' | 'load-generator' = 'p95'): TriedStep => ({
  offeredRps,
  passed: false,
  broke: [by],
});

describe('nextRate', () => {
  it.each([
    { name: 'starts at from', steps: [], next: 50 },
    { name: 'doubles while steps pass', steps: [ok(50), ok(100)], next: 200 },
    {
      name: 'never offers more than to',
      steps: [ok(50), ok(100), ok(200), ok(400), ok(800), ok(1600), ok(3200)],
      next: 5000,
    },
    { name: 'stops once to passed', steps: [ok(3200), ok(5000)], next: undefined },
    { name: 'stops when from fails', steps: [bad(50)], next: undefined },
    { name: 'bisects after a failure', steps: [ok(50), ok(100), bad(200)], next: 150 },
    { name: 'bisects the upper half', steps: [ok(100), bad(200), ok(150)], next: 175 },
    { name: 'bisects the lower half', steps: [ok(100), bad(200), bad(150)], next: 125 },
    {
      name: 'stops within the precision',
      steps: [ok(100), bad(200), ok(150), ok(175), bad(187.5)],
      next: undefined,
    },
    { name: 'a pass above a failure does not move the edge', steps: [ok(100), bad(200), ok(400)], next: 150 },
    {
      name: 'a load-generator failure is an edge like any other',
      steps: [ok(100), bad(200, 'load-generator')],
      next: 150,
    },
  ])('$name', ({ steps, next }) => {
    expect(nextRate(steps, bounds)).toBe(next);
  });

  it('keeps a precision of 1% going on', () => {
    expect(nextRate([ok(100), bad(110)], { ...bounds, precision: 0.01 })).toBe(105);
  });
});

describe('findCapacity', () => {
  it.each([
    { name: 'all passed up to to', steps: [ok(2500), ok(5000)], rps: 5000, limitedBy: null, reachedTo: true },
    { name: 'from failed', steps: [bad(50, 'rate')], rps: 0, limitedBy: 'rate', reachedTo: false },
    {
      name: 'highest pass under the lowest failure',
      steps: [ok(100), bad(200), ok(150), bad(175)],
      rps: 150,
      limitedBy: 'p95',
      reachedTo: false,
    },
    {
      name: 'what broke is the lowest failure’s',
      steps: [ok(100), bad(400, 'rate'), bad(200, 'load-generator')],
      rps: 100,
      limitedBy: 'load-generator',
      reachedTo: false,
    },
    {
      name: 'stopped early: what passed so far',
      steps: [ok(50), ok(100)],
      rps: 100,
      limitedBy: null,
      reachedTo: false,
    },
  ])('$name', ({ steps, rps, limitedBy, reachedTo }) => {
    expect(findCapacity(steps, bounds)).toEqual({ rps, limitedBy, reachedTo });
  });

  // The whole search against services whose edge is known: it must end within the precision below it.
  it.each([10, 40, 97, 333, 1234, 4999])(
    'finds an edge at %d req/s within the precision below it',
    (edgeRps) => {
      const from10 = { ...bounds, fromRps: 10 };
      const steps: TriedStep[] = [];
      for (let rate = nextRate(steps, from10); rate !== undefined; rate = nextRate(steps, from10)) {
        steps.push(rate <= edgeRps ? ok(rate) : bad(rate));
        expect(steps.length).toBeLessThan(20);
      }
      const found = findCapacity(steps, from10).rps;
      expect(found).toBeLessThanOrEqual(edgeRps);
      expect(found).toBeGreaterThanOrEqual(edgeRps * 0.9);
    },
  );
});

describe('judgeStep', () => {
  const base: StepFigures = {
    offeredRps: 100,
    achievedRps: 99,
    p95Ms: 80,
    errorRate: 0,
    requests: 300,
    lateSends: 0,
  };
  const targets = { p95Ms: 100, errorRate: 0.01 };
  it.each([
    { name: 'within every target', figures: {}, passed: true, broke: [] },
    { name: 'p95 over', figures: { p95Ms: 101 }, passed: false, broke: ['p95'] },
    { name: 'no latency sample', figures: { p95Ms: null }, passed: false, broke: ['p95'] },
    { name: 'errors over', figures: { errorRate: 0.02 }, passed: false, broke: ['errors'] },
    { name: 'rate 5% short is fine', figures: { achievedRps: 95 }, passed: true, broke: [] },
    { name: 'rate over 5% short', figures: { achievedRps: 94.9 }, passed: false, broke: ['rate'] },
    {
      name: 'several, p95 first',
      figures: { p95Ms: 500, errorRate: 0.5, achievedRps: 50 },
      passed: false,
      broke: ['p95', 'errors', 'rate'],
    },
    {
      name: 'late sends on a failed step blame the gate',
      figures: { p95Ms: 500, lateSends: 16 },
      passed: false,
      broke: ['load-generator'],
    },
    {
      name: 'a few late sends do not',
      figures: { p95Ms: 500, lateSends: 15 },
      passed: false,
      broke: ['p95'],
    },
    {
      name: 'late sends on a passed step leave it passed',
      figures: { lateSends: 100 },
      passed: true,
      broke: [],
    },
    {
      name: 'nothing sent',
      figures: { requests: 0, achievedRps: 0, p95Ms: null },
      passed: false,
      broke: ['p95', 'rate'],
    },
  ])('$name', ({ figures, passed, broke }) => {
    expect(judgeStep({ ...base, ...figures }, targets)).toEqual({ passed, broke });
  });

  it('judges only the targets set', () => {
    expect(judgeStep({ ...base, p95Ms: 5000, errorRate: 0.5 }, {})).toEqual({ passed: true, broke: [] });
  });
});

describe('connectionsFor', () => {
  it.each([
    { rps: 40, latencyMs: 250, connections: 16 },
    { rps: 1, latencyMs: 10, connections: 2 },
    { rps: 5000, latencyMs: 50, connections: 376 },
    { rps: 100_000, latencyMs: 250, connections: 1000 },
  ])('$rps req/s at $latencyMs ms: $connections', ({ rps, latencyMs, connections }) => {
    expect(connectionsFor(rps, latencyMs)).toBe(connections);
  });
});
