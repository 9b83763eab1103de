/**
 * `slo-gate merge` end to end (issue #12), in-process from src/: two real 1 s runs against a server on
 * 127.0.0.1 write their reports (`run --report`), marked shard 1/2 and 2/2 by hand as `run --shard` would,
 * and the CLI merges them into one report, markdown and exit code.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';
import type { GateResult } from '../../src/report/model.js';
import { startServer, type TestServer } from '../helpers/servers.js';

let server: TestServer;
let dir: string;
let served = 0;

/** Runs the CLI in-process, its output captured; returns the exit code and stdout. */
async function cli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const readReport = async (file: string) => JSON.parse(await readFile(file, 'utf8')) as GateResult;

beforeAll(async () => {
  server = await startServer((_req, res) => {
    served++;
    setTimeout(() => res.end('ok'), 1);
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-merge-cli-'));
  await writeFile(
    path.join(dir, 'slo-gate.yml'),
    `target: ${server.url}
load: { duration: 1s, warmup: 0s, connections: 2 }
endpoints:
  - name: home
    path: /
    slo: { p95: 500ms, error-rate: 1% }
`,
  );
  for (const index of [1, 2]) {
    const report = path.join(dir, 'shards', `shard-${index}.json`);
    const run = await cli(['run', '-q', '-c', path.join(dir, 'slo-gate.yml'), '--report', report]);
    expect(run.code, run.stderr).toBe(0);
    // What `run --shard I/2` adds to the report; the rest is the run's own.
    const written = await readReport(report);
    await writeFile(report, JSON.stringify({ ...written, shard: { index, total: 2 } }));
  }
}, 30_000);

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('slo-gate merge', () => {
  it('merges the two runs into one report: requests added, percentiles from the histograms', async () => {
    const shards = await Promise.all(
      [1, 2].map((i) => readReport(path.join(dir, 'shards', `shard-${i}.json`))),
    );
    expect(shards[0]!.configHash).toMatch(/^[0-9a-f]{64}$/);
    expect(shards[1]!.configHash).toBe(shards[0]!.configHash);
    const merged = path.join(dir, 'merged.json');
    const markdown = path.join(dir, 'merged.md');
    const run = await cli(['merge', path.join(dir, 'shards'), '--report', merged, '--markdown', markdown]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('merged from 2 shard reports');
    const report = await readReport(merged);
    const [home] = report.endpoints;
    expect(report.merged).toEqual({ shards: 2 });
    expect(report.configHash).toBe(shards[0]!.configHash);
    expect(home!.requests).toBe(shards[0]!.endpoints[0]!.requests + shards[1]!.endpoints[0]!.requests);
    expect(home!.requests).toBeGreaterThan(100);
    expect(home!.requests).toBeLessThanOrEqual(served);
    expect(home!.latencyMs!.count).toBe(home!.successes);
    // The merged p95 lies between the shards' (each measured the same service the same way).
    const p95s = shards.map((s) => s.endpoints[0]!.latencyMs!.p95);
    expect(home!.latencyMs!.p95).toBeGreaterThanOrEqual(Math.min(...p95s) * 0.999);
    expect(home!.latencyMs!.p95).toBeLessThanOrEqual(Math.max(...p95s) * 1.001);
    expect(home!.histogram).toMatchObject({ encoding: 'hdr-v2-base64', unit: 'us', significantDigits: 3 });
    expect(await readFile(markdown, 'utf8')).toMatch(
      /^### ✅ slo-gate: all SLOs met on 1 endpoint\n\nMerged from 2 shard reports\.\n/,
    );
  });

  it('exits 3 naming the missing shard when given one of the two', async () => {
    const run = await cli(['merge', path.join(dir, 'shards', 'shard-2.json')]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('shard 1 of 2 missing (got 2): no verdict on partial data');
  });

  it('exits 2 with one line for a file that is no report', async () => {
    const run = await cli(['merge', path.join(dir, 'slo-gate.yml')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^slo-gate: .*slo-gate\.yml: cannot read it as a report \(not JSON\)\n$/);
  });
});
