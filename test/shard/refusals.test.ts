/** What `slo-gate merge` refuses, each with one line naming the file and exit code 2 (a usage error). */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exitCodeFor, GateError } from '../../src/errors.js';
import { mergeReportFiles } from '../../src/shard/merge.js';
import { toEndpointResult } from '../../src/verdict/endpoint-result.js';
import { endpoint } from '../verdict/fixtures.js';
import { latencies, measuredWindow, quiet, shardReport } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-refusals-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const part = toEndpointResult(endpoint({ slo: { p95Ms: 100 } }), measuredWindow(latencies(500, 1, 2)), false);
const report = (index: number, total: number, overrides = {}) =>
  shardReport(index, total, [part], overrides).result;

/** Writes each file's content (an object as JSON, a string as it is) into a fresh folder; returns the folder. */
async function folder(name: string, files: Record<string, unknown>): Promise<string> {
  const at = path.join(dir, name);
  await mkdir(at, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    await writeFile(path.join(at, file), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return at;
}

const withoutHistogram = () => {
  const r = report(2, 2);
  delete r.endpoints[0]!.histogram;
  return r;
};

const corruptHistogram = () => {
  const r = report(2, 2);
  r.endpoints[0]!.histogram = { ...r.endpoints[0]!.histogram!, data: 'SGVsbG8sIHdvcmxkIQ==' };
  return r;
};

const CASES: { name: string; files: Record<string, unknown>; error: RegExp }[] = [
  {
    name: 'a file that is not JSON',
    files: { 'a.json': report(1, 2), 'b.json': '{ not json' },
    error: /b\.json: cannot read it as a report \(not JSON\)$/,
  },
  {
    name: 'JSON that is not a report',
    files: { 'a.json': { hello: 1 } },
    error: /a\.json: not an slo-gate JSON report$/,
  },
  {
    name: 'a report that is not a shard',
    files: { 'a.json': { ...report(1, 1), shard: undefined } },
    error: /a\.json: not a shard report \(no "shard"; run it with --shard I\/N\)$/,
  },
  {
    name: 'a shard index beyond its total',
    files: { 'a.json': report(3, 2) },
    error: /a\.json: "shard" is not an index from 1 to its total/,
  },
  {
    name: 'a report from before histograms',
    files: { 'a.json': report(1, 2), 'b.json': withoutHistogram() },
    error: /b\.json: endpoint "GET \/work" has no histograms/,
  },
  {
    name: 'different configs',
    files: { 'a.json': report(1, 2), 'b.json': report(2, 2, { configHash: 'beef' }) },
    error: /b\.json: configHash beef differs from .*a\.json's c0ffee; only shards of one run merge$/,
  },
  {
    name: 'different commits',
    files: { 'a.json': report(1, 2), 'b.json': report(2, 2, { commit: 'feed' }) },
    error: /b\.json: commit feed differs from .*a\.json's 0123456789/,
  },
  {
    name: 'duplicate shard numbers',
    files: { 'a.json': report(1, 2), 'b.json': report(1, 2) },
    error: /b\.json and .*a\.json are both shard 1\/2$/,
  },
  {
    name: 'mixed totals',
    files: { 'a.json': report(1, 2), 'b.json': report(2, 3) },
    error: /b\.json: shard total 3 differs from .*a\.json's 2/,
  },
  {
    name: 'a histogram that does not decode',
    files: { 'a.json': report(1, 2), 'b.json': corruptHistogram() },
    error: /^endpoint "GET \/work" \(shard 1\/2, shard 2\/2\): histogram data is not hdr-v2-base64/,
  },
  { name: 'a folder with no report', files: {}, error: /no \.json report in it$/ },
];

describe('mergeReportFiles refuses', () => {
  it.each(CASES)('$name', async ({ name, files, error }) => {
    const at = await folder(name.replace(/\W+/g, '-'), files);
    const refusal = await mergeReportFiles({ inputs: [at], log: quiet }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refusal).toBeInstanceOf(GateError);
    expect(exitCodeFor(refusal)).toBe(2);
    expect((refusal as Error).message).toMatch(error);
    expect((refusal as Error).message).not.toContain('\n');
  });

  it('a path that does not exist', async () => {
    await expect(mergeReportFiles({ inputs: [path.join(dir, 'nowhere')], log: quiet })).rejects.toThrow(
      /nowhere: no such file or directory$/,
    );
  });

  it('nothing it can refuse in a good set: reports in sub-folders, as download-artifact leaves them', async () => {
    const at = await folder('good', {});
    await mkdir(path.join(at, 'shard-1'));
    await mkdir(path.join(at, 'shard-2'));
    await writeFile(path.join(at, 'shard-1', 'report.json'), JSON.stringify(report(1, 2)));
    await writeFile(path.join(at, 'shard-2', 'report.json'), JSON.stringify(report(2, 2)));
    const outcome = await mergeReportFiles({ inputs: [at], log: quiet });
    expect(outcome.result.merged).toEqual({ shards: 2 });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.markdown).toContain('Merged from 2 shard reports.');
  });
});
