/**
 * The one place the Action's inputs and the runner's context are read. Everything after receives one typed
 * `ActionSettings`; a bad input is an error naming the input and the expected form, never a quiet default.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { usageError } from '../errors.js';
import { GATE_ID_PATTERN } from '../github/sticky-comment.js';
import { parseShard, shardReportPath, type ShardSpec } from '../shard/spec.js';

/** When to write the pull request comment. */
export type CommentMode = 'always' | 'on-failure' | 'never';

const COMMENT_MODES: readonly CommentMode[] = ['always', 'on-failure', 'never'];

export interface PullRequestContext {
  owner: string;
  repo: string;
  number: number;
  /** The head commit the gate measured, for the comment's footer. */
  headSha?: string;
}

export interface ActionSettings {
  /** The config file as messages and reports show it: relative to the workspace when inside it. */
  configPath: string;
  /** The `working-directory` input, absolute; `config` is taken relative to it. */
  workingDirectory: string;
  /** The `github-token` input; empty when none was given (then no comment is written). */
  githubToken: string;
  /** The `comment` input. `on-failure` still updates an earlier comment when the gate passes. */
  comment: CommentMode;
  /** The `fail-on-breach` input: a breached SLO fails the step. A service failure always does. */
  failOnBreach: boolean;
  /** The `id` input: '' or a name that keeps this gate's comment apart from other gates' on the same PR. */
  gateId: string;
  /** Where the JSON report is written (absolute): `.slo-gate/report[-id].json` beside the config. */
  reportPath: string;
  /** Where the markdown report is written (absolute), beside the JSON report. */
  markdownPath: string;
  /** The event that started the workflow: `pull_request`, `push`, `schedule`, … */
  eventName: string;
  /** The pull request to comment on; undefined when the event has none (push, schedule, …). */
  pullRequest?: PullRequestContext;
  /** The link to this workflow run, for the comment's footer. */
  runUrl?: string;
  /**
   * The `shard` input (`I/N` or `auto`, issue #12): run one shard, write its report for the merge job, and
   * never comment. Undefined when empty.
   */
  shard?: ShardSpec;
  /**
   * The `merge` input, absolute: a folder (or file) of shard reports to merge instead of running (issue
   * #12); '' to run the gate.
   */
  merge: string;
}

type Env = NodeJS.ProcessEnv;

/** As @actions/core reads an input: INPUT_ + the name upper-cased, spaces as underscores, trimmed. */
function input(env: Env, name: string): string {
  return (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function invalid(name: string, value: string, expected: string) {
  return usageError(`Invalid input '${name}': ${JSON.stringify(value)}. Expected ${expected}.`);
}

/** YAML 1.2 core-schema booleans, as `core.getBooleanInput` accepts them. */
function booleanInput(env: Env, name: string, fallback: boolean): boolean {
  const value = input(env, name);
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw invalid(name, value, 'true or false');
}

function commentInput(env: Env): CommentMode {
  const value = input(env, 'comment') || 'always';
  if ((COMMENT_MODES as readonly string[]).includes(value)) return value as CommentMode;
  throw invalid('comment', value, 'always, on-failure or never');
}

function gateIdInput(env: Env): string {
  const value = input(env, 'id');
  if (value !== '' && !GATE_ID_PATTERN.test(value)) {
    throw invalid('id', value, 'up to 64 letters, digits, ".", "_" or "-", starting with a letter or digit');
  }
  return value;
}

function mergeInput(env: Env, workingDirectory: string): string {
  const value = input(env, 'merge');
  if (value === '') return '';
  const absolute = path.resolve(workingDirectory, value);
  if (!existsSync(absolute)) {
    throw invalid('merge', value, 'the folder actions/download-artifact wrote the shard reports to');
  }
  return absolute;
}

function workingDirectoryInput(env: Env, cwd: string): string {
  const value = input(env, 'working-directory') || '.';
  const absolute = path.resolve(cwd, value);
  if (!existsSync(absolute) || !statSync(absolute).isDirectory()) {
    throw invalid('working-directory', value, 'a directory in the workspace');
  }
  return absolute;
}

/** The event payload GitHub wrote to GITHUB_EVENT_PATH; {} when there is none. */
function eventPayload(env: Env): Record<string, unknown> {
  const file = env.GITHUB_EVENT_PATH;
  if (!file || !existsSync(file)) return {};
  try {
    const payload: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>) : {};
  } catch {
    throw usageError(`GITHUB_EVENT_PATH ${file} is not a JSON event payload`);
  }
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;

/**
 * The pull request of the event: `pull_request` and `pull_request_target` carry one, and so does an
 * `issue_comment` on a pull request. Other events (push, schedule, workflow_dispatch) have none.
 */
function pullRequestOf(env: Env, payload: Record<string, unknown>): PullRequestContext | undefined {
  const pr = record(payload.pull_request);
  const issue = record(payload.issue);
  const number = pr?.number ?? (issue && record(issue.pull_request) ? issue.number : undefined);
  if (typeof number !== 'number') return undefined;
  // The repository the workflow runs in: for a fork's pull request, the base, where the comment goes.
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  const repository = record(payload.repository);
  const ownerLogin = owner || record(repository?.owner)?.login;
  const repoName = repo || repository?.name;
  if (typeof ownerLogin !== 'string' || !ownerLogin || typeof repoName !== 'string' || !repoName)
    return undefined;
  const headSha = record(pr?.head)?.sha;
  return {
    owner: ownerLogin,
    repo: repoName,
    number,
    ...(typeof headSha === 'string' ? { headSha } : {}),
  };
}

/** Reads and checks every input; throws a usage error naming the first bad one. */
export function readSettings(env: Env, cwd: string): ActionSettings {
  const workingDirectory = workingDirectoryInput(env, cwd);
  const config = input(env, 'config') || 'slo-gate.yml';
  const configAbsolute = path.resolve(workingDirectory, config);
  const relative = path.relative(cwd, configAbsolute);
  const configPath =
    relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : configAbsolute;
  const gateId = gateIdInput(env);
  const shardText = input(env, 'shard');
  const shard = shardText ? parseShard(shardText, env, "input 'shard'") : undefined;
  const reportBase = shard
    ? shardReportPath(configAbsolute, shard, gateId).replace(/\.json$/, '')
    : path.join(path.dirname(configAbsolute), '.slo-gate', gateId ? `report-${gateId}` : 'report');
  const payload = eventPayload(env);
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return {
    configPath,
    workingDirectory,
    githubToken: input(env, 'github-token'),
    comment: commentInput(env),
    failOnBreach: booleanInput(env, 'fail-on-breach', true),
    gateId,
    reportPath: `${reportBase}.json`,
    markdownPath: `${reportBase}.md`,
    eventName: env.GITHUB_EVENT_NAME ?? '',
    pullRequest: pullRequestOf(env, payload),
    runUrl:
      env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined,
    ...(shard ? { shard } : {}),
    merge: mergeInput(env, workingDirectory),
  };
}
