import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { redactDeep } from '../../src/report/redact.js';
import { commitOf, configHash } from '../../src/shard/provenance.js';
import { decodeHistogram, encodeLatencies } from '../../src/stats/hdr.js';

const CONFIG = `
target: http://127.0.0.1:8080
load: { duration: 5s, connections: 4 }
endpoints:
  - name: home
    path: /
    headers: { authorization: "Bearer \${TOKEN}" }
    slo: { p95: 50ms }
`;

const env = { TOKEN: 'the-secret-token' };

describe('configHash', () => {
  it('is the same for the same config read from another place, in another key order', () => {
    const reordered = CONFIG.replace(
      'load: { duration: 5s, connections: 4 }',
      'load: { connections: 4, duration: 5s }',
    );
    expect(configHash(parseConfig(reordered, 'b/slo-gate.yml', env))).toBe(
      configHash(parseConfig(CONFIG, 'a/slo-gate.yml', env)),
    );
  });

  it.each([
    ['an SLO', CONFIG.replace('p95: 50ms', 'p95: 60ms')],
    ['the load', CONFIG.replace('connections: 4', 'connections: 5')],
    ['the target', CONFIG.replace('8080', '8081')],
  ])('changes with %s', (_, changed) => {
    expect(configHash(parseConfig(changed, 'slo-gate.yml', env))).not.toBe(
      configHash(parseConfig(CONFIG, 'slo-gate.yml', env)),
    );
  });

  it('does not depend on a secret value, so it cannot be used to guess one', () => {
    const a = configHash(parseConfig(CONFIG, 'slo-gate.yml', env));
    const b = configHash(parseConfig(CONFIG, 'slo-gate.yml', { TOKEN: 'another-secret-value' }));
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
  });

  it('leaves a shard spec out', () => {
    const config = parseConfig(CONFIG, 'slo-gate.yml', env);
    const sharded = { ...config, shard: { index: 2, total: 4 } };
    expect(configHash(sharded)).toBe(configHash(config));
  });
});

describe('commitOf', () => {
  it('takes GITHUB_SHA first', async () => {
    expect(await commitOf({ GITHUB_SHA: 'abc123' }, 'slo-gate.yml')).toBe('abc123');
  });

  it('reads the checkout the config is in', async () => {
    expect(await commitOf({}, path.join(process.cwd(), 'slo-gate.yml'))).toMatch(/^[0-9a-f]{40}$/);
  });

  it('is null outside a checkout', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'slo-gate-commit-'));
    expect(await commitOf({}, path.join(outside, 'slo-gate.yml'))).toBeNull();
  });
});

describe('redacting a report', () => {
  it('leaves histograms whole, even when a secret matches some of their characters by chance', () => {
    const histogram = encodeLatencies(Float64Array.from({ length: 500 }, (_, i) => 1 + i / 100))!;
    const secret = histogram.data.slice(20, 26);
    const report = { endpoints: [{ name: `uses ${secret}`, histogram }] };
    const redacted = redactDeep(report, [secret], new Set(['histogram']));
    expect(redacted.endpoints[0]!.name).toBe('uses ***');
    expect(redacted.endpoints[0]!.histogram).toEqual(histogram);
    expect(decodeHistogram(redacted.endpoints[0]!.histogram).totalCount).toBe(500);
    expect(redactDeep(report, [secret]).endpoints[0]!.histogram.data).not.toBe(histogram.data);
  });
});
