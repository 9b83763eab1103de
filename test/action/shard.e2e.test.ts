/**
 * The Action as one shard of a matrix (issue #12), from src/ under Node 24 (dist/ is bundled at release):
 * on a pull request, with a token that could comment, it writes its shard report and job summary, never
 * calls GitHub, and a breach in its part does not fail the step (the merge job decides).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateResult } from '../../src/report/model.js';
import { FakeGitHubApi, TOKENS } from '../github/fake-github-api.js';
import {
  freePort,
  makeWorkspace,
  NODE24,
  removeWorkspace,
  ROOT,
  runAction,
  type ActionRun,
} from './runner.js';

const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const FROM_SOURCE = ['--import', TSX, path.join(ROOT, 'src', 'index.ts')];

let api: FakeGitHubApi;
let workspace: string;

beforeAll(async () => {
  expect(existsSync(NODE24), `${NODE24} is missing: run npm run node24`).toBe(true);
  api = await new FakeGitHubApi().start();
  workspace = makeWorkspace(await freePort());
});

afterAll(async () => {
  await api?.close();
  if (workspace) removeWorkspace(workspace);
});

describe('shard 2/2 on a pull request', () => {
  let result: ActionRun;
  let calls: typeof api.calls;

  beforeAll(async () => {
    const start = api.calls.length;
    result = await runAction({
      workspace,
      apiUrl: api.url,
      env: { SLO_GATE_E2E_API_TOKEN: 'sk_live_e2e_5ecr3t_value' },
      event: { name: 'pull_request', number: 21 },
      token: TOKENS.actionsWrite,
      // breach.yml's second endpoint, "slow report", breaches its p95: it is this shard's one endpoint.
      inputs: { config: 'breach.yml', shard: '2/2' },
      entry: FROM_SOURCE,
    });
    calls = api.calls.slice(start);
  }, 60_000);

  it('posts no comment and calls GitHub not at all, and says so in the log and the job summary', () => {
    expect(calls).toEqual([]);
    expect(api.commentsOn('acme', 'shop', 21)).toEqual([]);
    expect(result.outputs['comment-url']).toBe('');
    expect(result.lines).toContain(
      "shard 2/2: no pull request comment; the merge job (merge: DIR) writes it from all 2 shards' reports",
    );
    expect(result.summary).toContain(
      'shard 2/2: endpoint slow report, on its own copy of the service. One part of a sharded run: no pull request comment',
    );
  });

  it('writes its shard report for the merge job, and a breach in its part does not fail the step', () => {
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ verdict: 'breached' });
    const reportPath = path.join(workspace, '.slo-gate', 'report-shard-2-of-2.json');
    expect(result.outputs.report).toBe(reportPath);
    const report = JSON.parse(readFileSync(reportPath, 'utf8')) as GateResult;
    expect(report.shard).toMatchObject({ index: 2, total: 2, part: 'endpoints', endpoints: ['slow report'] });
    expect(report.endpoints.map((e) => e.name)).toEqual(['slow report']);
    expect(result.commands.filter((c) => c.command === 'error')).toEqual([]);
  });
});
