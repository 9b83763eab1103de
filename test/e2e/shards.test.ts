/**
 * Shards end to end (issue #12): three `slo-gate run --shard i/3` processes at once, the CLI from src/ (the
 * bundle is rebuilt only at release), against one running target on 127.0.0.1 that counts what it gets.
 * Two endpoints at a fixed 300/s for 1 s each: every shard offers 100/s, and the shards' requests add up
 * to the server's own count, request for request.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/report/model.js';
import { startServer, type TestServer } from '../helpers/servers.js';

/** tsx's loader by absolute URL: the shards run in a temporary folder, where `tsx` alone would not resolve. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const CLI = ['--import', TSX, path.resolve('src/cli-entry.ts')];
const SHARDS = 3;
const RATE_PER_SECOND = 300;

interface ShardRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source in `dir` and resolves when it exits. */
function runCli(dir: string, args: string[]): Promise<ShardRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Requests the server answered, by path. */
const received = new Map<string, number>();
let server: TestServer;
let dir: string;

beforeAll(async () => {
  server = await startServer((req, res) => {
    received.set(req.url!, (received.get(req.url!) ?? 0) + 1);
    res.end('ok');
  });
  dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-shards-'));
});

afterAll(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('three shards against one running target', () => {
  let runs: ShardRun[];
  let reports: GateResult[];

  beforeAll(async () => {
    await writeFile(
      path.join(dir, 'slo-gate.yml'),
      `target: ${server.url}
load: { rate: ${RATE_PER_SECOND}, connections: 6, duration: 1s, warmup: 0s }
slo: { p95: 1s, error-rate: 1% }
endpoints:
  - path: /one
  - path: /two
`,
    );
    // All at once, as a CI matrix runs them.
    runs = await Promise.all(
      Array.from({ length: SHARDS }, (_, i) =>
        runCli(dir, ['run', '-q', '--shard', `${i + 1}/${SHARDS}`, '--report', `shards/shard-${i + 1}.json`]),
      ),
    );
    reports = await Promise.all(
      runs.map(
        async (_, i) =>
          JSON.parse(await readFile(path.join(dir, `shards/shard-${i + 1}.json`), 'utf8')) as GateResult,
      ),
    );
  }, 60_000);

  it('each shard exits 0 and records which shard it was and what part it ran', () => {
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stderr).join('\n'),
    ).toEqual([0, 0, 0]);
    expect(reports.map((r) => r.shard)).toEqual(
      Array.from({ length: SHARDS }, (_, i) => ({
        index: i + 1,
        total: SHARDS,
        part: 'rate',
        endpoints: ['GET /one', 'GET /two'],
        totalLoad: { connections: 6, ratePerSecond: RATE_PER_SECOND },
      })),
    );
    expect(runs[1]!.stdout).toContain('shard 2/3: 100/s of 300/s (load.rate) on every endpoint');
  });

  it('each shard offers a third of the rate on every endpoint', () => {
    for (const report of reports) {
      expect(report.load.ratePerSecond).toBe(RATE_PER_SECOND / SHARDS);
      expect(report.endpoints.map((e) => e.name)).toEqual(['GET /one', 'GET /two']);
      for (const e of report.endpoints) {
        // Due at 100/s over a 1 s window: 100, give or take the window's edges.
        expect(e.requests).toBeGreaterThanOrEqual(95);
        expect(e.requests).toBeLessThanOrEqual(105);
        expect(e.errors).toBe(0);
      }
    }
  });

  it("slo-gate merge reads them as one run: the server's count, the whole rate, and a pass", async () => {
    const merge = await runCli(dir, ['merge', 'shards', '--report', 'merged.json']);
    expect(merge.code, merge.stderr).toBe(0);
    expect(merge.stdout).toContain('merged from 3 shard reports');
    const merged = JSON.parse(await readFile(path.join(dir, 'merged.json'), 'utf8')) as GateResult;
    expect(merged.merged).toEqual({ shards: SHARDS });
    expect(merged.verdict).toBe('passed');
    expect(merged.load.ratePerSecond).toBe(RATE_PER_SECOND);
    expect(merged.configHash).toBe(reports[0]!.configHash);
    for (const [index, name] of ['/one', '/two'].entries()) {
      const e = merged.endpoints[index]!;
      expect(e.requests).toBe(received.get(name));
      expect(e.latencyMs!.count).toBe(reports.reduce((n, r) => n + r.endpoints[index]!.latencyMs!.count, 0));
    }
  });

  it("the shards' requests add up to the server's own count", () => {
    for (const [index, name] of ['/one', '/two'].entries()) {
      const counted = received.get(name) ?? 0;
      expect(counted).toBeGreaterThan(0);
      const summed = reports.reduce((sum, r) => sum + r.endpoints[index]!.requests, 0);
      expect(summed).toBe(counted);
    }
  });
});
