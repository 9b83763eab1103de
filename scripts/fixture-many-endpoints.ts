/**
 * Writes test/fixtures/results/many-endpoints.json: a saved result with 40 endpoints, for checking how the
 * PR comment lays out a large service (tables, charts). Deterministic: the same file on every run, so it is
 * committed and regenerated only when the result model changes (`npx tsx scripts/fixture-many-endpoints.ts`).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { latencyHistogram } from '../src/stats/latency-histogram.js';

const OUT = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  'test',
  'fixtures',
  'results',
  'many-endpoints.json',
);
const ENDPOINTS = 40;
const MEASURED_MS = 5000;

/** A small linear congruential generator: the numbers look measured but never change between runs. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
const next = random(15);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

const RESOURCES = [
  'orders',
  'customers',
  'invoices',
  'products',
  'carts',
  'shipments',
  'payments',
  'reviews',
];
const ACTIONS: [string, string, (resource: string) => string][] = [
  ['list', 'GET', (r: string) => `/v1/${r}`],
  ['get', 'GET', (r: string) => `/v1/${r}/42`],
  ['create', 'POST', (r: string) => `/v1/${r}`],
  ['search', 'POST', (r: string) => `/v1/${r}/search`],
  ['export', 'GET', (r: string) => `/v1/${r}/export?format=csv&limit=1000`],
];

/**
 * The histogram the engine would draw for latencies shaped like a skewed bell around the median: samples
 * spread evenly over eight spans, binned by the engine's own latencyHistogram (round edges).
 */
function histogram(p50Ms: number, maxMs: number, requests: number) {
  const shape = [0.02, 0.08, 0.25, 0.35, 0.2, 0.07, 0.02, 0.01];
  const edge = (i: number) => p50Ms * 0.5 * Math.pow(maxMs / (p50Ms * 0.5), i / 8);
  const samples = shape.flatMap((share, i) => {
    const count = Math.round(share * requests);
    return Array.from({ length: count }, (_, k) => edge(i) + ((edge(i + 1) - edge(i)) * (k + 0.5)) / count);
  });
  return latencyHistogram(Float64Array.from(samples));
}

function endpoint(index: number) {
  const [action, method, pathOf] = ACTIONS[index % ACTIONS.length]!;
  const resource = RESOURCES[Math.floor(index / ACTIONS.length) % RESOURCES.length]!;
  const p50 = round(1 + next() * 60, 3);
  const p95 = round(p50 * (1.4 + next()), 3);
  const p99 = round(p95 * (1.2 + next() * 0.5), 3);
  const max = round(p99 * 1.3, 3);
  const rps = round(100 + next() * 4000, 1);
  const requests = Math.round((rps * MEASURED_MS) / 1000);
  // Every seventh endpoint misses its p95 target and every thirteenth errs, so the table has both marks.
  const p95LimitMs = index % 7 === 3 ? Math.floor(p95 * 0.8) : Math.ceil((p95 * 1.5) / 10) * 10;
  const errors = index % 13 === 5 ? Math.round(requests * 0.03) : 0;
  const errorRate = round(errors / requests, 5);
  const checks = [
    { metric: 'p95', limit: p95LimitMs, actual: p95, unit: 'ms', passed: p95 <= p95LimitMs },
    { metric: 'error-rate', limit: 0.01, actual: errorRate, unit: 'fraction', passed: errorRate <= 0.01 },
  ];
  return {
    name: `${action} ${resource}`,
    method,
    path: pathOf(resource),
    requests,
    rps,
    successes: requests - errors,
    errors,
    errorRate,
    failures: { status: errors, timeout: 0, socket: 0 },
    statusCodes: errors > 0 ? { 200: requests - errors, 503: errors } : { 200: requests },
    socketErrors: {},
    latencyMs: {
      count: requests - errors,
      p50,
      p90: round(p50 + (p95 - p50) * 0.7, 3),
      p95,
      p99,
      max,
      min: round(p50 * 0.4, 3),
      mean: round(p50 * 1.1, 3),
    },
    failedLatencyMs: null,
    windowMs: MEASURED_MS,
    longestSilenceMs: 20 + Math.round(next() * 40),
    checks,
    problems: [],
    passed: checks.every((c) => c.passed),
    latencyHistogram: histogram(p50, max, requests),
  };
}

const endpoints = Array.from({ length: ENDPOINTS }, (_, i) => endpoint(i));
const passed = endpoints.every((e) => e.passed);
const result = {
  passed,
  verdict: passed ? 'passed' : 'breached',
  target: 'http://127.0.0.1:3917',
  configFile: 'slo-gate.yml',
  startedAt: '2025-01-15T10:00:00.000Z',
  durationMs: ENDPOINTS * 6000 + 2345,
  load: { durationMs: MEASURED_MS, warmupMs: 1000, connections: 10, requestTimeoutMs: 10000 },
  service: {
    version: 'v3.2.0',
    status: 'ok',
    dependencies: { db: 'up', cache: 'up', queue: 'up' },
    logTail: ['shop listening on http://127.0.0.1:3917'],
    readyAfterMs: 412.7,
  },
  warnings: [],
  endpoints,
};
writeFileSync(OUT, JSON.stringify(result, null, 2) + '\n');
console.log(`wrote ${path.relative(process.cwd(), OUT)}: ${ENDPOINTS} endpoints, ${result.verdict}`);
