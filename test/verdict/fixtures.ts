/** Synthetic measured windows and results for the verdict's table tests: no sockets, no clocks. */
import type { EndpointConfig } from '../../src/config/types.js';
import type { LoadMeasurement } from '../../src/load/run-load.js';
import type { CheckResult, EndpointResult, GateResult } from '../../src/report/model.js';
import { emptyWindow } from '../../src/verdict/endpoint-result.js';

export const endpoint = (overrides: Partial<EndpointConfig> = {}): EndpointConfig => ({
  name: 'GET /work',
  method: 'GET',
  path: '/work',
  url: 'http://127.0.0.1:3000/work',
  headers: {},
  slo: {},
  ...overrides,
});

/** A window of `latenciesMs` successful answers, with any field overridden. */
export const window = (latenciesMs: number[], overrides: Partial<LoadMeasurement> = {}): LoadMeasurement => ({
  ...emptyWindow(),
  windowMs: 1000,
  requests: latenciesMs.length,
  successes: latenciesMs.length,
  latenciesMs: Float64Array.from(latenciesMs),
  rawLatenciesMs: Float64Array.from(latenciesMs),
  ...overrides,
});

export const check = (metric: string, passed: boolean): CheckResult => ({
  metric,
  limit: 1,
  actual: passed ? 0.5 : 2,
  unit: 'ms',
  passed,
});

/** An endpoint result with only what the verdict reads set meaningfully. */
export const endpointResult = (
  name: string,
  checks: CheckResult[] = [],
  problems: string[] = [],
  overrides: Partial<EndpointResult> = {},
): EndpointResult => ({
  name,
  method: 'GET',
  path: `/${name}`,
  requests: 100,
  rps: 100,
  successes: 100,
  errors: 0,
  errorRate: 0,
  failures: { status: 0, timeout: 0, socket: 0 },
  statusCodes: {},
  socketErrors: {},
  latencyMs: null,
  windowMs: 1000,
  longestSilenceMs: 0,
  checks,
  problems,
  passed: problems.length === 0 && checks.every((c) => c.passed),
  ...overrides,
});

export const gateResult = (endpoints: EndpointResult[]): GateResult => ({
  passed: false,
  verdict: 'failed',
  target: 'http://127.0.0.1:3000',
  configFile: 'slo-gate.yml',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 0,
  load: { durationMs: 1000, warmupMs: 0, connections: 1, requestTimeoutMs: 1000 },
  endpoints,
  warnings: [],
});
