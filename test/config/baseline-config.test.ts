import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/load-config.js';

const DIR = fileURLToPath(new URL('../fixtures/good-configs/', import.meta.url));

describe('baseline and readiness keys', () => {
  it('maps baseline keys, and per-endpoint max-regression overrides', async () => {
    const config = await loadConfigFile(path.join(DIR, 'baseline.yml'), {});
    expect(config.baseline).toEqual({
      target: 'http://127.0.0.1:4101',
      service: undefined,
      ref: 'auto',
      setup: 'npm ci',
      env: { PORT: '4101' },
      rounds: 8,
      roundDurationMs: 1500,
      maxRegression: 0.15,
      onInconclusive: 'fail',
    });
    expect(config.endpoints.map((e) => e.maxRegression)).toEqual([undefined, 0.25]);
  });

  it('has no /health default when readiness is by log line or port', async () => {
    const config = await loadConfigFile(path.join(DIR, 'baseline.yml'), {});
    expect(config.service!.ready).toEqual({
      url: undefined,
      log: 'Listening on',
      tcp: { host: '127.0.0.1', port: 4100 },
      timeoutMs: 60_000,
      intervalMs: 200,
    });
  });

  it('defaults rounds, round duration, max-regression and on-inconclusive', () => {
    const config = parseConfig(
      'target: http://127.0.0.1:1\nbaseline: { target: "http://127.0.0.1:2" }\nendpoints: [{ path: /a }]\n',
      'x.yml',
      {},
    );
    expect(config.baseline).toMatchObject({
      rounds: 6,
      roundDurationMs: 2000,
      maxRegression: 0.1,
      onInconclusive: 'pass',
      env: {},
    });
  });

  it('takes on-inconclusive as fail or pass only', () => {
    const text = (value: string) =>
      `target: http://127.0.0.1:1\nbaseline: { target: "http://127.0.0.1:2", on-inconclusive: ${value} }\nendpoints: [{ path: /a }]\n`;
    expect(parseConfig(text('fail'), 'x.yml', {}).baseline!.onInconclusive).toBe('fail');
    expect(() => parseConfig(text('warn'), 'x.yml', {})).toThrow(
      /^x\.yml:2:\d+: baseline\.on-inconclusive: expected fail or pass, got "warn"$/,
    );
  });
});

describe('secrets in messages', () => {
  it('never quotes a value expanded from ${VAR} in a config error', () => {
    expect(() =>
      parseConfig('target: "${TARGET}"\nendpoints: [{ path: /a }]\n', 'x.yml', {
        TARGET: 'ftp://user:hunter2@host',
      }),
    ).toThrow(/^x\.yml:1:9: target: expected an http:\/\/ or https:\/\/ URL .*, got "\*\*\*"$/);
  });

  it('does not mask values under 4 characters, which would mangle every message, and names them', () => {
    const text =
      'target: http://127.0.0.1:1\nendpoints: [{ path: /a, headers: { x-id: "${ID}" }, slo: { p95: fast } }]\n';
    // "x" masked would have made this "e***pected a duration".
    expect(() => parseConfig(text, 'x.yml', { ID: 'x' })).toThrow(
      /endpoints\[0\]\.slo\.p95: expected a duration such as "250ms", got "fast"$/,
    );
    const config = parseConfig(text.replace('fast', '1s'), 'x.yml', { ID: 'x' });
    expect(config.secrets).toEqual([]);
    expect(config.tooShortToMask).toEqual(['ID']);
    expect(parseConfig(text.replace('fast', '1s'), 'x.yml', { ID: 'abcd' })).toMatchObject({
      secrets: ['abcd'],
      tooShortToMask: [],
    });
  });
});
