/**
 * The bounds of issue #12: a shard report of a 20 s run at 50,000 req/s stays under 200 KB, and merging 16
 * shard reports takes under 2 s. Synthesizes each shard's measurement (1,000,000 latencies over its
 * endpoints, with a long tail), writes the reports as `run --shard` would, and times `mergeReportFiles`
 * (read, check, merge, judge, write) on them.
 *
 *   npx tsx bench/merge.ts [shards] [endpoints] [baseline rounds]      (default: 16 4 0)
 */
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { judgeRounds } from '../src/baseline/rounds.js';
import type { Logger } from '../src/log.js';
import type { EndpointResult } from '../src/report/model.js';
import { mergeReportFiles } from '../src/shard/merge.js';
import { toEndpointResult } from '../src/verdict/endpoint-result.js';
import { latencies, measuredWindow, shardReport } from '../test/shard/fixtures.js';
import { endpoint } from '../test/verdict/fixtures.js';

const [shards = 16, endpoints = 4, rounds = 0] = process.argv.slice(2).map(Number);
const REQUESTS_PER_SHARD = 50_000 * 20;
const quiet: Logger = { info() {}, warn() {}, debug() {}, output() {}, group: (_t, body) => body() };

function endpointOf(shard: number, e: number): EndpointResult {
  const config = endpoint({ name: `endpoint-${e}`, slo: { p95Ms: 50, errorRate: 0.01 } });
  const perEndpoint = REQUESTS_PER_SHARD / endpoints;
  const seed = 1000 * shard + e;
  if (rounds === 0) {
    return toEndpointResult(config, measuredWindow(latencies(perEndpoint, seed, 2 + e), 0, 20_000), false);
  }
  // With a baseline the shard's requests are spread over both sides' rounds.
  const perWindow = Math.round(perEndpoint / (2 * rounds));
  const side = (offset: number) =>
    Array.from({ length: rounds }, (_, r) =>
      measuredWindow(latencies(perWindow, seed * 100 + 2 * r + offset, 2 + e)),
    );
  const windows = { base: side(0), head: side(1) };
  const result = toEndpointResult(config, measuredWindow(latencies(perWindow * rounds, seed, 2 + e)), false);
  const judged = judgeRounds(windows, 0.1)!;
  return { ...result, baseline: judged.baseline, checks: [...result.checks, judged.check] };
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-bench-merge-'));
try {
  const sizes: number[] = [];
  for (let s = 1; s <= shards; s++) {
    const report = shardReport(
      s,
      shards,
      Array.from({ length: endpoints }, (_, e) => endpointOf(s, e)),
    );
    const file = path.join(dir, `shard-${s}.json`);
    await writeFile(file, JSON.stringify(report.result, null, 2));
    sizes.push((await stat(file)).size);
  }
  const started = performance.now();
  const outcome = await mergeReportFiles({
    inputs: [dir],
    log: quiet,
    reportPath: path.join(dir, 'out', 'merged.json'),
  });
  const elapsedMs = performance.now() - started;
  const mergedBytes = (await stat(path.join(dir, 'out', 'merged.json'))).size;
  console.log(
    `${shards} shards × ${endpoints} endpoints, ${REQUESTS_PER_SHARD} requests per shard` +
      (rounds ? `, baseline ${rounds} rounds` : '') +
      `\nshard report: ${(Math.max(...sizes) / 1024).toFixed(1)} KB at most (bound 200 KB)` +
      `\nmerged report: ${(mergedBytes / 1024).toFixed(1)} KB, ${outcome.result.endpoints[0]!.requests} requests on endpoint-0` +
      `\nmerge: ${elapsedMs.toFixed(0)} ms (bound 2000 ms), verdict ${outcome.result.verdict}`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
