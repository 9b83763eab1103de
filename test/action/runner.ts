/**
 * Runs the committed dist/index.js the way the Actions runner does: under Node 24, in a workspace, with
 * INPUT_* variables (every input of action.yml, at its default unless given), the event payload at
 * GITHUB_EVENT_PATH, and GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files; GitHub's API is GITHUB_API_URL.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const NODE24 = path.join(ROOT, 'tools', 'node24', 'node_modules', 'node', 'bin', 'node');
const ACTION_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'action');

export const REPOSITORY = { owner: 'acme', repo: 'shop' };
export const HEAD_SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A checkout: the action fixtures copied to a temporary folder, __PORT__ in the configs replaced. */
export function makeWorkspace(port: number): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-action-'));
  const workspace = path.join(dir, 'workspace');
  mkdirSync(workspace);
  for (const file of readdirSync(ACTION_FIXTURES)) {
    const text = readFileSync(path.join(ACTION_FIXTURES, file), 'utf8');
    writeFileSync(
      path.join(workspace, file),
      file.endsWith('.yml') ? text.replaceAll('__PORT__', String(port)) : text,
    );
  }
  return workspace;
}

export function removeWorkspace(workspace: string): void {
  rmSync(path.dirname(workspace), { recursive: true, force: true });
}

export type Event =
  { name: 'pull_request'; number: number } | { name: 'push' | 'schedule' | 'workflow_dispatch' };

function eventPayload(event: Event): unknown {
  const repository = {
    name: REPOSITORY.repo,
    full_name: `${REPOSITORY.owner}/${REPOSITORY.repo}`,
    owner: { login: REPOSITORY.owner },
  };
  if (event.name === 'pull_request') {
    return {
      action: 'synchronize',
      number: event.number,
      pull_request: {
        number: event.number,
        head: { sha: HEAD_SHA, ref: 'feature', repo: { full_name: 'contributor/shop', fork: true } },
        base: { ref: 'main', repo: repository },
      },
      repository,
    };
  }
  if (event.name === 'push') return { ref: 'refs/heads/main', after: HEAD_SHA, repository };
  return { repository };
}

/** The inputs action.yml declares, with their defaults as the runner fills them in. */
function inputDefaults(token: string): Record<string, string> {
  const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>;
  };
  return Object.fromEntries(
    Object.entries(action.inputs).map(([name, input]) => [
      name,
      String(input.default ?? '').replace('${{ github.token }}', token),
    ]),
  );
}

export interface ActionRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed. */
  outputs: Record<string, string>;
  /** GITHUB_STEP_SUMMARY. */
  summary: string;
  /** Workflow commands on stdout: ::error ...::, ::warning ...::, ::add-mask::, … */
  commands: { command: string; properties: string; message: string; line: number }[];
  lines: string[];
}

export interface RunActionOptions {
  workspace: string;
  apiUrl: string;
  event: Event;
  /** The workflow's GITHUB_TOKEN, the default of `github-token`. */
  token: string;
  inputs?: Record<string, string>;
  env?: Record<string, string>;
  /** Sends `signal` to the Action once its stdout matches `pattern`, as a cancelled workflow does. */
  cancelWhen?: { pattern: RegExp; signal: NodeJS.Signals };
  /** Node's arguments: the committed dist/index.js unless given (src/index.ts under tsx, say). */
  entry?: string[];
}

/** GITHUB_OUTPUT is a series of `name<<DELIMITER`, value lines, `DELIMITER`. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
    outputs[name!] = value.join('\n');
  }
  return outputs;
}

export async function runAction(options: RunActionOptions): Promise<ActionRun> {
  const home = path.dirname(options.workspace);
  const runnerTemp = path.join(home, `runner-temp-${randomUUID()}`);
  mkdirSync(runnerTemp);
  const file = (name: string, content = '') => {
    const target = path.join(runnerTemp, name);
    writeFileSync(target, content);
    return target;
  };
  const inputs = { ...inputDefaults(options.token), ...options.inputs };
  const env: Record<string, string> = {
    // Only what a runner sets: nothing of this machine's own GITHUB_* leaks in.
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? home,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_EVENT_NAME: options.event.name,
    GITHUB_EVENT_PATH: file('event.json', JSON.stringify(eventPayload(options.event))),
    GITHUB_REPOSITORY: `${REPOSITORY.owner}/${REPOSITORY.repo}`,
    GITHUB_REPOSITORY_OWNER: REPOSITORY.owner,
    GITHUB_SHA: HEAD_SHA,
    GITHUB_REF:
      options.event.name === 'pull_request' ? `refs/pull/${options.event.number}/merge` : 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: '17',
    GITHUB_JOB: 'slo',
    GITHUB_ACTION: 'slo-gate',
    GITHUB_ACTOR: 'contributor',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: `${options.apiUrl}/graphql`,
    GITHUB_OUTPUT: file('output'),
    GITHUB_STEP_SUMMARY: file('summary.md'),
    GITHUB_STATE: file('state'),
    GITHUB_ENV: file('env'),
    GITHUB_PATH: file('path'),
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]),
    ),
    ...options.env,
  };
  const child = spawn(NODE24, options.entry ?? [path.join(ROOT, 'dist', 'index.js')], {
    cwd: options.workspace,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let cancelled = false;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    if (options.cancelWhen && !cancelled && options.cancelWhen.pattern.test(stdout)) {
      cancelled = true;
      child.kill(options.cancelWhen.signal);
    }
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exitCode = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = stdout.split('\n');
  const commands = lines.flatMap((line, index) => {
    const match = /^::([a-z-]+)( [^:]*)?::(.*)$/.exec(line);
    return match
      ? [{ command: match[1]!, properties: match[2]?.trim() ?? '', message: match[3]!, line: index }]
      : [];
  });
  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(env.GITHUB_OUTPUT!, 'utf8')),
    summary: readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8'),
    commands,
    lines,
  };
}
