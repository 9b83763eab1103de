/**
 * A contract test for the zod internals `knownKeysAt` reads (`_zod.def` shape, element, innerType, in): a
 * zod upgrade that moves them fails here, by name, rather than as vaguer "did you mean" messages.
 */
import { describe, expect, it } from 'vitest';
import { knownKeysAt } from '../../src/config/schema-keys.js';

describe('knownKeysAt', () => {
  it.each([
    {
      at: [],
      keys: ['target', 'service', 'load', 'slo', 'baseline', 'capacity', 'data', 'setup', 'endpoints'],
    },
    { at: ['capacity'], keys: ['from', 'to', 'step', 'precision', 'max-time', 'warmup'] },
    // through optional (service), prefault (ready) and default (nothing here)
    { at: ['service', 'ready'], keys: ['url', 'log', 'tcp', 'timeout', 'interval'] },
    {
      at: ['load'],
      keys: ['duration', 'warmup', 'connections', 'rate', 'stages', 'request-timeout', 'mode'],
    },
    // a setup step: an endpoint's keys without slo, with capture
    {
      at: ['setup', 0],
      keys: ['name', 'method', 'path', 'headers', 'body', 'expect-status', 'capture', 'per-connection'],
    },
    // through an array's element and an optional map
    {
      at: ['endpoints', 0, 'slo'],
      keys: [
        'p50',
        'p90',
        'p95',
        'p99',
        'max',
        'error-rate',
        'min-rps',
        'min-capacity',
        'max-rss',
        'max-rss-growth',
        'max-cpu-per-request',
        'max-regression',
      ],
    },
    {
      at: ['baseline', 'service'],
      keys: ['command', 'setup', 'setup-timeout', 'cwd', 'env', 'ready', 'stop-timeout'],
    },
    // not maps: a scalar (through its pipe), a record, a key that does not exist
    { at: ['load', 'duration'], keys: [] },
    { at: ['service', 'env'], keys: [] },
    { at: ['nowhere', 'deeper'], keys: [] },
  ])('$at', ({ at, keys }) => {
    expect(knownKeysAt(at)).toEqual(keys);
  });

  it('lists every endpoint key', () => {
    expect(knownKeysAt(['endpoints', 3])).toEqual([
      'name',
      'method',
      'path',
      'headers',
      'body',
      'expect-status',
      'slo',
      'weight',
      'capacity',
    ]);
  });
});
