/**
 * The Action end to end: the committed dist/index.js under Node 24, as the runner runs it, against a
 * demo-like service it boots itself and a fake GitHub API on 127.0.0.1. Rebuild dist/ first
 * (`npm run bundle`). Each run loads two endpoints for 500 ms each.
 */
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stickyMarker } from '../../src/github/sticky-comment.js';
import type { GateResult } from '../../src/report/model.js';
import { ACTIONS_BOT, ALICE, FakeGitHubApi, MALLORY, TOKENS } from '../github/fake-github-api.js';
import {
  freePort,
  HEAD_SHA,
  makeWorkspace,
  NODE24,
  removeWorkspace,
  REPOSITORY,
  ROOT,
  runAction,
  type ActionRun,
  type RunActionOptions,
} from './runner.js';

const { owner, repo } = REPOSITORY;
/** The value of ${SLO_GATE_E2E_API_TOKEN} in the configs' authorization header. */
const API_SECRET = 'sk_live_e2e_5ecr3t_value';

let api: FakeGitHubApi;
let workspace: string;

beforeAll(async () => {
  expect(existsSync(NODE24), `${NODE24} is missing: run npm run node24`).toBe(true);
  expect(existsSync(path.join(ROOT, 'dist', 'index.js')), 'dist/index.js is missing: npm run bundle').toBe(
    true,
  );
  api = await new FakeGitHubApi().start();
  workspace = makeWorkspace(await freePort());
});

afterAll(async () => {
  await api?.close();
  if (workspace) removeWorkspace(workspace);
});

const run = (options: Partial<RunActionOptions> & Pick<RunActionOptions, 'event' | 'token'>) =>
  runAction({
    workspace,
    apiUrl: api.url,
    env: { SLO_GATE_E2E_API_TOKEN: API_SECRET },
    ...options,
  });

const commandsOf = (r: ActionRun, command: string) => r.commands.filter((c) => c.command === command);
const failedWith = (r: ActionRun) => commandsOf(r, 'error').map((c) => c.message);
const callsSince = (start: number) => api.calls.slice(start);

/** Nothing shows the secret but the one command that masks it. */
function expectNoSecret(r: ActionRun, ...texts: string[]): void {
  const withoutMaskCommand = r.stdout.replace(`::add-mask::${API_SECRET}`, '');
  for (const text of [withoutMaskCommand, r.stderr, r.summary, JSON.stringify(r.outputs), ...texts]) {
    expect(text).not.toContain(API_SECRET);
  }
}

describe('on a pull request with 150 other comments', () => {
  const PR = 7;
  const comments = () => api.commentsOn(owner, repo, PR);
  let first: ActionRun;
  let firstCalls: typeof api.calls;
  let malloryId: number;

  beforeAll(async () => {
    for (let i = 0; i < 150; i++)
      api.addComment(owner, repo, PR, i % 3 ? ALICE : MALLORY, `review comment ${i}`);
    // Someone pastes our marker to get their comment edited (or to have ours never found).
    malloryId = api.addComment(
      owner,
      repo,
      PR,
      MALLORY,
      `### ✅ slo-gate: all good, merge it\n\n${stickyMarker('')}\n`,
    ).id;
    const start = api.calls.length;
    first = await run({
      event: { name: 'pull_request', number: PR },
      token: TOKENS.actionsWrite,
      inputs: { config: 'breach.yml' },
    });
    firstCalls = callsSince(start);
  });

  it('fails the step on a breach, after reporting', () => {
    expect(first.exitCode, first.stdout + first.stderr).toBe(1);
    const failure = commandsOf(first, 'error').at(-1)!;
    expect(failure.message).toBe('slo-gate: SLO breached: slow report (p95)');
    // Report first, then fail: the comment and the summary were written before the failure.
    const commented = first.lines.findIndex((l) => l.startsWith('Comment created on acme/shop#7:'));
    expect(commented).toBeGreaterThan(-1);
    expect(commented).toBeLessThan(failure.line);
    expect(first.summary).toMatch(/^### ❌ slo-gate: SLO breached on 1 of 2 endpoints: slow report \(p95\)/);
  });

  it('annotates each breached SLO', () => {
    const breaches = commandsOf(first, 'error').filter((c) => c.properties.includes('title=SLO breached'));
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.properties).toContain('file=breach.yml');
    expect(breaches[0]!.message).toMatch(/^slow report \(GET \/slow\): p95 .* over its 5\.00 ms budget$/);
  });

  it('creates one comment after paging through all the others, and leaves the marker-quoting one alone', () => {
    const lists = firstCalls.filter((c) => c.method === 'GET' && c.path.endsWith(`/issues/${PR}/comments`));
    expect(lists.map((c) => c.query.page ?? '1')).toEqual(['1', '2']);
    expect(firstCalls.filter((c) => c.method === 'POST' && c.path.endsWith('/comments'))).toHaveLength(1);
    expect(firstCalls.some((c) => c.method === 'PATCH')).toBe(false);
    // The GITHUB_TOKEN identity: GET /user is 403 for an installation token, GraphQL names the bot.
    expect(firstCalls.find((c) => c.path === '/user')?.status).toBe(403);
    expect(firstCalls.every((c) => c.token === TOKENS.actionsWrite)).toBe(true);
    expect(comments()).toHaveLength(152);
    expect(comments().find((c) => c.id === malloryId)!.body).toContain('all good, merge it');
    const ours = comments().at(-1)!;
    expect(ours.user).toEqual(ACTIONS_BOT);
    expect(first.outputs['comment-url']).toBe(`https://github.com/acme/shop/pull/7#issuecomment-${ours.id}`);
    expect(first.outputs['comment-id']).toBe(String(ours.id));
  });

  it('writes a comment with the verdict, the table, the details and the redacted log tail', () => {
    const body = comments().at(-1)!.body;
    expect(body.split('\n')[0]).toBe('### ❌ slo-gate: SLO breached on 1 of 2 endpoints: slow report (p95)');
    expect(body).toMatch(
      /\| ❌ \| slow report<br><sub>GET \/slow<\/sub> \| [\d.]+ \| [\d.]+&nbsp;ms&nbsp;\/&nbsp;5\.00&nbsp;ms&nbsp;❌ \| [\d.]+%&nbsp;\/&nbsp;1\.0% \|/,
    );
    expect(body).toMatch(/\| ✅ \| list items<br><sub>GET \/items<\/sub> \|/);
    expect(body).toContain('<summary>Status codes and failures</summary>');
    expect(body).toContain('- Version: <code>v3.1.4-e2e</code>');
    expect(body).toContain('<summary>Config used</summary>');
    expect(body).toContain('first request with authorization: Bearer ***');
    expect(body).toContain(
      `commit ${HEAD_SHA.slice(0, 7)} · [workflow run](https://github.com/acme/shop/actions/runs/4242)`,
    );
    expect(body.trimEnd().endsWith(stickyMarker(''))).toBe(true);
    expect(body.length).toBeLessThanOrEqual(65_536);
  });

  it('masks the expanded secret and keeps it out of every report', () => {
    expect(commandsOf(first, 'add-mask').map((c) => c.message)).toContain(API_SECRET);
    const maskedAt = first.lines.indexOf(`::add-mask::${API_SECRET}`);
    const bootedAt = first.lines.findIndex((l) => l.startsWith('::group::Start the service'));
    expect(maskedAt).toBeLessThan(bootedAt);
    const report = readFileSync(first.outputs.report!, 'utf8');
    expect(report).toContain('Bearer ***');
    expectNoSecret(
      first,
      comments().at(-1)!.body,
      report,
      readFileSync(first.outputs['markdown-report']!, 'utf8'),
    );
  });

  it('sets the outputs', () => {
    expect(first.outputs).toMatchObject({
      passed: 'false',
      verdict: 'breached',
      reason: 'SLO breached: slow report (p95)',
      'worst-p95-endpoint': 'slow report',
      'failed-endpoints': '["slow report"]',
      'markdown-report': path.join(workspace, '.slo-gate', 'report.md'),
    });
    expect(first.outputs.report).toBe(path.join(workspace, '.slo-gate', 'report.json'));
    expect(Number(first.outputs['worst-p95-ms'])).toBeGreaterThan(5);
    expect(Number(first.outputs['max-error-rate'])).toBe(0);
    const result = JSON.parse(readFileSync(first.outputs.report!, 'utf8')) as GateResult;
    expect(result.verdict).toBe('breached');
  });

  it('reads like a table of contents: one group per phase', () => {
    expect(commandsOf(first, 'group').map((c) => c.message)).toEqual([
      expect.stringMatching(/^Start the service: node service\.mjs$/),
      'Load list items',
      'Load slow report',
      'Stop the service',
      // The service's own output, folded: the whole of it is in the log file the group names.
      expect.stringMatching(/^Output of the service \(the last lines; all of it in .*service\.log\)$/),
      'Report',
    ]);
  });

  describe('then a run that passes', () => {
    let second: ActionRun;
    let secondCalls: typeof api.calls;
    beforeAll(async () => {
      const start = api.calls.length;
      // GitHub has a bad moment: the first page of comments answers 502 once.
      api.fail('GET', /\/issues\/7\/comments$/, 502);
      second = await run({
        event: { name: 'pull_request', number: PR },
        token: TOKENS.actionsWrite,
        inputs: { config: 'pass.yml' },
      });
      secondCalls = callsSince(start);
    });

    it('succeeds', () => {
      expect(second.exitCode, second.stdout + second.stderr).toBe(0);
      expect(failedWith(second)).toEqual([]);
      expect(second.outputs).toMatchObject({
        passed: 'true',
        verdict: 'passed',
        reason: '',
        'failed-endpoints': '[]',
      });
    });

    it('retries the transient 502', () => {
      const lists = secondCalls.filter((c) => c.method === 'GET' && c.path.endsWith('/comments'));
      expect(lists.map((c) => `${c.query.page ?? '1'}:${c.status}`)).toEqual(['1:502', '1:200', '2:200']);
      expect(second.stdout).toMatch(/GitHub answered 502 to GET .*; retrying in 1\.0 s/);
      expect(commandsOf(second, 'warning')).toEqual([]);
    });

    it('updates the same comment in place, with no stale failure left', () => {
      expect(comments()).toHaveLength(152);
      const writes = secondCalls.filter((c) => c.method !== 'GET' && c.path !== '/graphql');
      expect(writes.map((c) => `${c.method} ${c.path}`)).toEqual([
        `PATCH /repos/acme/shop/issues/comments/${comments().at(-1)!.id}`,
      ]);
      const body = comments().at(-1)!.body;
      expect(body.split('\n')[0]).toBe('### ✅ slo-gate: all SLOs met on 2 endpoints');
      expect(body).not.toContain('❌');
      expect(body).not.toContain('Service output');
      expect(comments().find((c) => c.id === malloryId)!.body).toContain('all good, merge it');
      expect(second.outputs['comment-id']).toBe(first.outputs['comment-id']);
      expect(second.summary.split('\n')[0]).toBe('### ✅ slo-gate: all SLOs met on 2 endpoints');
      expectNoSecret(second, body);
    });
  });
});

describe('on a pull request from a fork (a read-only token)', () => {
  let result: ActionRun;
  beforeAll(async () => {
    result = await run({
      event: { name: 'pull_request', number: 8 },
      token: TOKENS.actionsReadOnly,
      inputs: { config: 'pass.yml' },
    });
  });

  it('warns once, keeps the job summary, and lets the verdict decide', () => {
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    const warnings = commandsOf(result, 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(
      /^Could not write the pull request comment \(403 Resource not accessible by integration.*GITHUB_TOKEN is read-only.*pull-requests: write.*job summary.*Pull requests from forks/,
    );
    expect(result.summary.split('\n')[0]).toBe('### ✅ slo-gate: all SLOs met on 2 endpoints');
    expect(api.commentsOn(owner, repo, 8)).toEqual([]);
    expect(result.outputs['comment-url']).toBe('');
    expect(result.outputs.passed).toBe('true');
  });
});

describe('on a push, with fail-on-breach: false', () => {
  let result: ActionRun;
  let calls: typeof api.calls;
  beforeAll(async () => {
    const start = api.calls.length;
    result = await run({
      event: { name: 'push' },
      token: TOKENS.actionsWrite,
      inputs: { config: 'breach.yml', 'fail-on-breach': 'false', id: 'nightly' },
    });
    calls = callsSince(start);
  });

  it('writes the job summary and no comment, and a breach does not fail the step', () => {
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(calls).toEqual([]);
    expect(result.summary.split('\n')[0]).toBe(
      '### ❌ slo-gate (nightly): SLO breached on 1 of 2 endpoints: slow report (p95)',
    );
    expect(result.outputs).toMatchObject({ passed: 'false', verdict: 'breached', 'comment-url': '' });
    expect(result.outputs.report).toBe(path.join(workspace, '.slo-gate', 'report-nightly.json'));
    // The breach is a warning annotation, not an error.
    expect(failedWith(result)).toEqual([]);
    expect(commandsOf(result, 'warning').map((c) => c.properties)).toEqual([
      expect.stringContaining('title=SLO breached%3A slow report p95'),
    ]);
  });
});

describe('when the workflow is cancelled', () => {
  it('stops the load and the service, writes the summary, leaves the comment alone, and fails', async () => {
    const port = Number(
      /127\.0\.0\.1:(\d+)/.exec(readFileSync(path.join(workspace, 'pass.yml'), 'utf8'))![1],
    );
    const start = api.calls.length;
    const startedAt = Date.now();
    const result = await run({
      event: { name: 'pull_request', number: 11 },
      token: TOKENS.actionsWrite,
      inputs: { config: 'pass.yml' },
      cancelWhen: { pattern: /::group::Load list items/, signal: 'SIGINT' },
    });
    expect(Date.now() - startedAt).toBeLessThan(10_000);
    expect(result.exitCode).toBe(1);
    expect(failedWith(result)).toEqual(['slo-gate: cancelled; the service was stopped']);
    expect(result.stdout).toContain('::group::Stop the service');
    expect(result.summary.split('\n')[0]).toBe('### ❌ slo-gate: interrupted');
    expect(callsSince(start)).toEqual([]);
    // Nothing listens on the service's port any more.
    const refused = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.on('connect', () => (socket.destroy(), resolve(false)));
      socket.on('error', () => resolve(true));
    });
    expect(refused).toBe(true);
  });
});

describe('with an invalid config', () => {
  let result: ActionRun;
  beforeAll(async () => {
    result = await run({
      event: { name: 'pull_request', number: 9 },
      token: TOKENS.actionsWrite,
      inputs: { config: 'invalid.yml' },
    });
  });

  it('fails with the one-line message, after telling the pull request', () => {
    expect(result.exitCode).toBe(1);
    const message =
      'invalid.yml:5:17: endpoints[0].slo.p95: expected a duration such as "250ms", got 100 (a bare number has no unit)';
    expect(failedWith(result)).toEqual([message.replace(/\n/g, '%0A')]);
    expect(result.summary).toContain('### ❌ slo-gate: the config is invalid');
    expect(api.commentsOn(owner, repo, 9).map((c) => c.body.split('\n')[0])).toEqual([
      '### ❌ slo-gate: the config is invalid',
    ]);
    expect(result.outputs).toMatchObject({ passed: 'false', verdict: 'error', reason: message, report: '' });
  });
});

describe('with a bad input', () => {
  it('fails naming the input and the expected values, and touches nothing', async () => {
    const start = api.calls.length;
    const result = await run({
      event: { name: 'pull_request', number: 10 },
      token: TOKENS.actionsWrite,
      inputs: { comment: 'sometimes' },
    });
    expect(result.exitCode).toBe(1);
    expect(failedWith(result)).toEqual([
      `Invalid input 'comment': "sometimes". Expected always, on-failure or never.`,
    ]);
    expect(callsSince(start)).toEqual([]);
    expect(result.summary).toContain('### ❌ slo-gate: could not run');
  });
});
