import { afterEach, describe, expect, it, vi } from 'vitest';
import { ActionsLogger } from '../../src/action/actions-logger.js';

let written: string[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  written = [];
});
const capture = () =>
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });

describe('ActionsLogger', () => {
  it('folds each phase into a group, never one inside another, and closes it on failure', async () => {
    capture();
    const log = new ActionsLogger();
    await log.group('Start the service', async () => {
      log.info('started');
      await log.group('inner phase', async () => log.info('inside'));
    });
    await expect(
      log.group('Load', async () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    log.warn('the service is degraded');
    expect(written.join('')).toBe(
      [
        '::group::Start the service',
        'started',
        '▸ inner phase',
        'inside',
        '::endgroup::',
        '::group::Load',
        '::endgroup::',
        '::warning::the service is degraded',
        '',
      ].join('\n'),
    );
  });
});
