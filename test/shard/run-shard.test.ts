/**
 * A shard through the shared run (src/run.ts), booting nothing: a shard with no endpoint writes a report
 * saying so, and a shard's exit code is 3 when it failed and 0 otherwise, whatever its own checks say.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import type { GateResult, ShardRecord, Verdict } from '../../src/report/model.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { exitCodeForResult, runFromConfigFile } from '../../src/run.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-run-shard-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lines: string[] = [];
const log: Logger = {
  info: (m) => lines.push(m),
  warn: (m) => lines.push(`warning: ${m}`),
  debug: () => {},
  output: () => {},
  group: (_title, body) => body(),
};

describe('a shard with no endpoint to run', () => {
  it('boots nothing, passes, and its report says why', async () => {
    const configPath = path.join(dir, 'slo-gate.yml');
    // A service that could never start: booting it at all would fail the run.
    writeFileSync(
      configPath,
      'target: http://127.0.0.1:1\nservice: { command: "exit 7" }\nendpoints: [{ path: /a }, { path: /b }]\n',
    );
    const reportPath = path.join(dir, 'out', 'shard-3.json');
    const outcome = await runFromConfigFile({
      configPath,
      env: {},
      log,
      reportPath,
      shard: { index: 3, total: 3 },
    });
    expect(outcome.exitCode).toBe(0);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as GateResult;
    expect(report).toMatchObject({
      verdict: 'passed',
      passed: true,
      endpoints: [],
      shard: { index: 3, total: 3, part: 'endpoints', endpoints: [] },
    });
    expect(report.service).toBeUndefined();
    expect(report.warnings).toContain('shard 3/3 has no endpoint to run: 2 endpoints dealt over 3 shards');
    expect(lines).toContain('shard 3/3: no endpoint to run');
    expect(outcome.markdown).toContain('> ℹ️ shard 3/3: no endpoint to run. One part of a sharded run');
  });
});

describe("a shard's exit code", () => {
  const result = (verdict: Verdict, shard: boolean) =>
    ({
      verdict,
      passed: verdict === 'passed',
      ...(shard ? { shard: { index: 1, total: 2 } } : {}),
    }) as GateResult;

  it.each([
    ['passed', false, 0],
    ['breached', false, 1],
    ['failed', false, 3],
    ['passed', true, 0],
    ['breached', true, 0],
    ['failed', true, 3],
  ] as const)('%s, shard %s: %i', (verdict, shard, code) => {
    expect(exitCodeForResult(result(verdict, shard))).toBe(code);
  });
});

describe("a shard's markdown report", () => {
  it('says what part it ran and that the merge gives the verdict; an unsharded report does not', () => {
    const base = {
      passed: true,
      verdict: 'passed',
      target: 'http://127.0.0.1:1',
      configFile: 'slo-gate.yml',
      startedAt: '2026-01-01T00:00:00.000Z',
      durationMs: 1,
      load: { durationMs: 1000, warmupMs: 0, connections: 4, ratePerSecond: 100, requestTimeoutMs: 5000 },
      endpoints: [],
      warnings: [],
    } satisfies GateResult;
    const shard: ShardRecord = {
      index: 2,
      total: 3,
      part: 'rate',
      endpoints: ['GET /a'],
      totalLoad: { connections: 12, ratePerSecond: 300 },
    };
    expect(renderMarkdown({ ...base, shard })).toContain(
      '> ℹ️ shard 2/3: 100/s of 300/s (load.rate) on every endpoint, with up to 4 connections. One part of a sharded run: no pull request comment; the merge of all the shards (slo-gate merge) gives the verdict.',
    );
    expect(renderMarkdown(base)).not.toContain('shard');
  });
});
