import { describe, expect, it } from 'vitest';
import { describeStop, type ServiceExit, type StopOutcome } from '../../src/service/service-process.js';

describe('describeStop', () => {
  it.each<[string, StopOutcome, ServiceExit | undefined, string]>([
    [
      'gone by SIGTERM, whatever ended the shell',
      { how: 'term', stopTimeoutMs: 10_000 },
      { code: null, signal: 'SIGTERM' },
      'stopped by SIGTERM',
    ],
    [
      'SIGKILL needed: names the timeout and SIGKILL, not the shell’s SIGTERM',
      { how: 'kill', stopTimeoutMs: 5000 },
      { code: null, signal: 'SIGTERM' },
      'did not stop within 5.00 s of SIGTERM; killed with SIGKILL',
    ],
    [
      'still there after SIGKILL',
      { how: 'stuck', stopTimeoutMs: 500 },
      undefined,
      'did not stop within 500 ms of SIGTERM, and was still running 5.00 s after SIGKILL',
    ],
    [
      'already gone: how it ended',
      { how: 'gone', stopTimeoutMs: 500 },
      { code: 1, signal: null },
      'had already stopped (exited with code 1)',
    ],
    [
      'already gone, exit not yet seen',
      { how: 'gone', stopTimeoutMs: 500 },
      undefined,
      'had already stopped',
    ],
  ])('%s', (_, outcome, exit, text) => {
    expect(describeStop(outcome, exit)).toBe(text);
  });
});
