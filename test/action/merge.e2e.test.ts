/**
 * The Action's `merge` input end to end (issue #12): the committed dist/index.js under Node 24 merges a
 * folder of shard reports, as actions/download-artifact leaves them, and reports like a run: outputs, job
 * summary and the sticky comment on the fake GitHub API. Rebuild dist/ first (`npm run bundle`).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/report/model.js';
import { toEndpointResult } from '../../src/verdict/endpoint-result.js';
import { FakeGitHubApi, TOKENS } from '../github/fake-github-api.js';
import { latencies, measuredWindow, shardReport } from '../shard/fixtures.js';
import { endpoint } from '../verdict/fixtures.js';
import { freePort, makeWorkspace, removeWorkspace, REPOSITORY, runAction } from './runner.js';

const { owner, repo } = REPOSITORY;
let api: FakeGitHubApi;
let workspace: string;

beforeAll(async () => {
  api = await new FakeGitHubApi().start();
  workspace = makeWorkspace(await freePort());
});

afterAll(async () => {
  await api?.close();
  if (workspace) removeWorkspace(workspace);
});

const checkout = endpoint({ name: 'checkout', slo: { p95Ms: 50 } });

/** Shard reports in one folder per artifact, as download-artifact writes several artifacts. */
function writeShards(
  folder: string,
  shards: { index: number; total: number; configHash?: string }[],
): string {
  const dir = path.join(workspace, folder);
  for (const { index, total, configHash } of shards) {
    const result = toEndpointResult(checkout, measuredWindow(latencies(2000, index, 4)), false);
    const report = shardReport(index, total, [result], configHash ? { configHash } : {}).result;
    mkdirSync(path.join(dir, `slo-gate-shard-${index}`), { recursive: true });
    writeFileSync(path.join(dir, `slo-gate-shard-${index}`, 'report.json'), JSON.stringify(report));
  }
  return folder;
}

const mergeRun = (folder: string, pr: number) =>
  runAction({
    workspace,
    apiUrl: api.url,
    event: { name: 'pull_request', number: pr },
    token: TOKENS.actionsWrite,
    inputs: { merge: folder },
  });

describe('merge: a folder of shard reports', () => {
  it('writes one report, summary and comment, with the number of shards', async () => {
    const folder = writeShards(
      'all-shards',
      [1, 2, 3].map((index) => ({ index, total: 3 })),
    );
    const run = await mergeRun(folder, 21);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.verdict).toBe('passed');
    const merged = JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as GateResult;
    expect(merged.merged).toEqual({ shards: 3 });
    expect(merged.endpoints[0]!.requests).toBe(6000);
    expect(run.summary.split('\n').slice(0, 3)).toEqual([
      '### ✅ slo-gate: all SLOs met on 1 endpoint',
      '',
      'Merged from 3 shard reports.',
    ]);
    const comments = api.commentsOn(owner, repo, 21);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('Merged from 3 shard reports.');
  });

  it('fails the step and says so on the pull request when a shard is missing', async () => {
    const folder = writeShards('one-missing', [
      { index: 1, total: 3 },
      { index: 3, total: 3 },
    ]);
    const run = await mergeRun(folder, 22);
    expect(run.exitCode).toBe(1);
    expect(run.outputs.verdict).toBe('failed');
    const headline = '### ❌ slo-gate: shard 2 of 3 missing (got 1, 3): no verdict on partial data';
    expect(run.summary.split('\n')[0]).toBe(headline);
    expect(api.commentsOn(owner, repo, 22).map((c) => c.body.split('\n')[0])).toEqual([headline]);
  });

  it('refuses reports of different configs with one line, and comments nothing', async () => {
    const folder = writeShards('mixed-configs', [
      { index: 1, total: 2 },
      { index: 2, total: 2, configHash: 'another-config' },
    ]);
    const run = await mergeRun(folder, 23);
    expect(run.exitCode).toBe(1);
    const errors = run.commands.filter((c) => c.command === 'error').map((c) => c.message);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /slo-gate-shard-2\/report\.json: configHash another-config differs from .*; only shards of one run merge$/,
    );
    expect(api.commentsOn(owner, repo, 23)).toEqual([]);
  });
});
