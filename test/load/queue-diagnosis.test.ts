/** Why fixed-rate requests queued for their connection, from a window's figures: a table, no sockets. */
import { describe, expect, it } from 'vitest';
import {
  diagnoseQueueing,
  type QueueDiagnosis,
  type QueueingFigures,
} from '../../src/load/queue-diagnosis.js';

describe('diagnoseQueueing', () => {
  it.each<[string, QueueingFigures, QueueDiagnosis]>([
    [
      // test/load/run-load.test.ts: 2 connections at 200 req/s on a 16 ms server that serves in parallel.
      'a fast service and too few connections: as fast as unloaded, so more connections help',
      { connections: 2, ratePerSecond: 200, rawMeanMs: 17, unloadedLatencyMs: 16.5 },
      { kind: 'too-few-connections', connectionsNeeded: 4 },
    ],
    [
      // gunicorn -w 2 on /delay/0.2 with 10 connections at 20 req/s: 941 ms a request against 205 ms.
      'a saturated service: far slower than unloaded, answering connections / latency a second',
      { connections: 10, ratePerSecond: 20, rawMeanMs: 941, unloadedLatencyMs: 205 },
      { kind: 'saturated', throughputPerSecond: 10000 / 941, unloadedLatencyMs: 205 },
    ],
    [
      'twice the unloaded latency already counts as queueing in the service',
      { connections: 4, ratePerSecond: 100, rawMeanMs: 100, unloadedLatencyMs: 50 },
      { kind: 'saturated', throughputPerSecond: 40, unloadedLatencyMs: 50 },
    ],
    [
      'just under twice: the connections',
      { connections: 4, ratePerSecond: 100, rawMeanMs: 99, unloadedLatencyMs: 50 },
      { kind: 'too-few-connections', connectionsNeeded: 10 },
    ],
    [
      'no request was ever sent alone: nothing to compare with, so the connections',
      { connections: 4, ratePerSecond: 100, rawMeanMs: 500 },
      { kind: 'too-few-connections', connectionsNeeded: 50 },
    ],
  ])('%s', (_, figures, expected) => {
    expect(diagnoseQueueing(figures)).toEqual(expected);
  });
});
