import { describe, expect, it } from 'vitest';
import type { LoadConfig } from '../../src/config/types.js';
import { LATE_SEND_MS } from '../../src/load/run-load.js';
import type { EndpointResult } from '../../src/report/model.js';
import { fixedRateWarnings } from '../../src/verdict/load-warnings.js';
import { endpointResult } from './fixtures.js';

const load = (ratePerSecond?: number, connections = 4): LoadConfig => ({
  durationMs: 1000,
  warmupMs: 0,
  connections,
  ratePerSecond,
  requestTimeoutMs: 1000,
  mode: 'isolated',
});

const raw = (meanMs: number) => ({ count: 1, p50: 0, p90: 0, p95: 0, p99: 0, max: 0, min: 0, mean: meanMs });
const window = (overrides: Partial<EndpointResult>) => endpointResult('GET /work', [], [], overrides);

describe('fixedRateWarnings', () => {
  it.each<[string, EndpointResult, LoadConfig, string[]]>([
    ['closed loop: none', window({ queuedSends: 100, lateSends: 100 }), load(undefined), []],
    ['no requests: none', window({ requests: 0, queuedSends: 0, lateSends: 0 }), load(100), []],
    ['half queued is not over half: none', window({ queuedSends: 50, lateSends: 0 }), load(100), []],
    ['1% late is not over 1%: none', window({ queuedSends: 0, lateSends: 1 }), load(100), []],
    [
      'most queued, and the rate needs more connections than given',
      window({ queuedSends: 60, lateSends: 0, rawLatencyMs: raw(50) }),
      load(200, 4),
      [
        'GET /work: 60.0% of requests waited for a free connection, and that wait counts as latency: ' +
          '4 connections are too few for 200 req/s at 50.0 ms a request (it takes at least 10); raise load.connections',
      ],
    ],
    [
      'most queued, though the connections should do: no advice on how many',
      window({ queuedSends: 90, lateSends: 0, rawLatencyMs: raw(10) }),
      load(100, 4),
      [
        'GET /work: 90.0% of requests waited for a free connection, and that wait counts as latency: ' +
          '4 connections are too few for 100 req/s at 10.0 ms a request',
      ],
    ],
    [
      'fewer than 20 requests: none, though most queued and all were late',
      window({ requests: 19, queuedSends: 19, lateSends: 19, rawLatencyMs: raw(50) }),
      load(200, 4),
      [],
    ],
    [
      'most queued, far slower than unloaded: the service is saturated, not short of connections',
      window({ queuedSends: 90, lateSends: 0, rawLatencyMs: raw(200), unloadedLatencyMs: 50 }),
      load(60, 8),
      [
        'GET /work: 90.0% of requests waited for a free connection, and that wait counts as latency: ' +
          'the service is saturated, not short of connections: it answered about 40.0 req/s of the 60 asked, ' +
          'at 200 ms a request against 50.0 ms unloaded; more connections would only queue longer inside it',
      ],
    ],
    [
      'most queued, as fast as unloaded: too few connections',
      window({ queuedSends: 60, lateSends: 0, rawLatencyMs: raw(50), unloadedLatencyMs: 45 }),
      load(200, 4),
      [
        expect.stringContaining(
          '4 connections are too few for 200 req/s at 50.0 ms a request (it takes at least 10)',
        ),
      ],
    ],
    [
      'over 1% late',
      window({ queuedSends: 0, lateSends: 2 }),
      load(100),
      [
        `GET /work: slo-gate could not hold 100 req/s: 2.0% of requests went out over ${LATE_SEND_MS} ms late on a free ` +
          "connection (the load generator's CPU was busy); fewer connections or a lower rate may help",
      ],
    ],
    [
      'both, queued first',
      window({ queuedSends: 100, lateSends: 100, rawLatencyMs: raw(1) }),
      load(100, 4),
      [
        expect.stringContaining('100.0% of requests waited'),
        expect.stringContaining('could not hold 100 req/s'),
      ],
    ],
  ])('%s', (_, result, config, warnings) => {
    expect(fixedRateWarnings(result, config)).toEqual(warnings);
  });
});
