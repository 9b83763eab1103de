import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/action/inputs.js';

const workspace = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-inputs-'));
mkdirSync(path.join(workspace, 'services', 'api'), { recursive: true });
afterAll(() => rmSync(workspace, { recursive: true, force: true }));

/** The runner's environment: every input of action.yml at its default, plus the given ones. */
function env(inputs: Record<string, string> = {}, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const all = {
    config: 'slo-gate.yml',
    'github-token': 'ghs_token',
    comment: 'always',
    'fail-on-breach': 'true',
    'working-directory': '.',
    id: '',
    ...inputs,
  };
  return {
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '99',
    GITHUB_SERVER_URL: 'https://github.example.com',
    ...extra,
  };
}

function event(payload: unknown): string {
  const file = path.join(workspace, `event-${Math.random().toString(16).slice(2)}.json`);
  writeFileSync(file, JSON.stringify(payload));
  return file;
}

describe('readSettings', () => {
  it('reads the defaults', () => {
    const settings = readSettings(env(), workspace);
    expect(settings).toEqual({
      configPath: 'slo-gate.yml',
      workingDirectory: workspace,
      githubToken: 'ghs_token',
      comment: 'always',
      failOnBreach: true,
      gateId: '',
      reportPath: path.join(workspace, '.slo-gate', 'report.json'),
      markdownPath: path.join(workspace, '.slo-gate', 'report.md'),
      eventName: '',
      pullRequest: undefined,
      runUrl: 'https://github.example.com/acme/shop/actions/runs/99',
      merge: '',
    });
  });

  it('takes merge relative to working-directory, and refuses one that is not there', () => {
    mkdirSync(path.join(workspace, 'shard-reports'), { recursive: true });
    expect(readSettings(env({ merge: 'shard-reports' }), workspace).merge).toBe(
      path.join(workspace, 'shard-reports'),
    );
    expect(() => readSettings(env({ merge: 'no-such-folder' }), workspace)).toThrow(
      `Invalid input 'merge': "no-such-folder". Expected the folder actions/download-artifact wrote the shard reports to.`,
    );
  });

  it('takes config relative to working-directory, and keys the reports by id', () => {
    const settings = readSettings(
      env({ 'working-directory': 'services/api', config: 'gate.yml', id: 'api', comment: 'on-failure' }),
      workspace,
    );
    expect(settings).toMatchObject({
      configPath: path.join('services', 'api', 'gate.yml'),
      workingDirectory: path.join(workspace, 'services', 'api'),
      gateId: 'api',
      comment: 'on-failure',
      reportPath: path.join(workspace, 'services', 'api', '.slo-gate', 'report-api.json'),
    });
  });

  it('keeps a config outside the workspace absolute', () => {
    const settings = readSettings(env({ config: '/etc/slo-gate.yml' }), workspace);
    expect(settings.configPath).toBe('/etc/slo-gate.yml');
  });

  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['', true],
  ])('fail-on-breach %j is %s', (value, expected) => {
    expect(readSettings(env({ 'fail-on-breach': value }), workspace).failOnBreach).toBe(expected);
  });

  it.each([
    [{ comment: 'sometimes' }, `Invalid input 'comment': "sometimes". Expected always, on-failure or never.`],
    [{ 'fail-on-breach': 'yes' }, `Invalid input 'fail-on-breach': "yes". Expected true or false.`],
    [
      { id: 'my gate' },
      `Invalid input 'id': "my gate". Expected up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
    ],
    [{ id: 'x-->' }, /^Invalid input 'id': "x-->"/],
    [
      { 'working-directory': 'nope' },
      `Invalid input 'working-directory': "nope". Expected a directory in the workspace.`,
    ],
  ])('rejects %j', (inputs, message) => {
    expect(() => readSettings(env(inputs), workspace)).toThrow(message);
  });

  it('finds the pull request of a pull_request event', () => {
    const settings = readSettings(
      env(
        {},
        {
          GITHUB_EVENT_NAME: 'pull_request',
          GITHUB_EVENT_PATH: event({ number: 12, pull_request: { number: 12, head: { sha: 'abc1234def' } } }),
        },
      ),
      workspace,
    );
    expect(settings.pullRequest).toEqual({ owner: 'acme', repo: 'shop', number: 12, headSha: 'abc1234def' });
  });

  it('finds the pull request of a comment on one, and none for a comment on an issue', () => {
    const onPr = event({ issue: { number: 5, pull_request: { url: 'x' } } });
    const onIssue = event({ issue: { number: 6 } });
    expect(readSettings(env({}, { GITHUB_EVENT_PATH: onPr }), workspace).pullRequest?.number).toBe(5);
    expect(readSettings(env({}, { GITHUB_EVENT_PATH: onIssue }), workspace).pullRequest).toBeUndefined();
  });

  it.each(['push', 'schedule', 'workflow_dispatch'])('has no pull request on %s', (name) => {
    const settings = readSettings(
      env({}, { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: event({ ref: 'refs/heads/main' }) }),
      workspace,
    );
    expect(settings.pullRequest).toBeUndefined();
    expect(settings.eventName).toBe(name);
  });
});
