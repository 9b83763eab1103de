/**
 * The base branch as a second copy of the service: a git worktree of the base commit beside the checkout,
 * set up (npm ci, say) and started with the head's service settings on the baseline's port.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { GateConfig, ServiceConfig } from '../config/types.js';
import { configError, serviceError } from '../errors.js';
import type { Logger } from '../log.js';
import { socketAddressOf } from '../config/address.js';
import { runSetupCommand } from '../service/setup-command.js';

/** baseline.setup installs the base's dependencies (npm ci, pip install): bounded, but generously. */
const BASELINE_SETUP_TIMEOUT_MS = 15 * 60_000;

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    const stderr = ((error as { stderr?: string }).stderr ?? '').trim().split('\n').at(-1);
    throw serviceError(`git ${args.join(' ')} failed in ${cwd}: ${stderr || (error as Error).message}`);
  }
}

/**
 * 'auto' is the pull request's base commit, from the event payload the runner provides; any other ref is
 * taken as given.
 */
export function resolveBaseRef(ref: string, env: NodeJS.ProcessEnv): string {
  if (ref !== 'auto') return ref;
  if (env.SLO_GATE_BASE_REF) return env.SLO_GATE_BASE_REF;
  const eventPath = env.GITHUB_EVENT_PATH;
  if (eventPath) {
    try {
      const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
        pull_request?: { base?: { sha?: string } };
      };
      const sha = event.pull_request?.base?.sha;
      if (sha) return sha;
    } catch {
      // Not readable: fall through to the error below.
    }
  }
  throw configError(
    'baseline.ref: "auto" needs a pull_request event (or SLO_GATE_BASE_REF); give a branch or commit instead',
  );
}

export interface BaseWorktree {
  dir: string;
  sha: string;
  remove(): Promise<void>;
}

/** Checks `ref` out into a fresh worktree, fetching it first when a shallow checkout does not have it. */
export async function addBaseWorktree(repoDir: string, ref: string, log: Logger): Promise<BaseWorktree> {
  const top = await git(repoDir, ['rev-parse', '--show-toplevel']);
  let sha: string;
  try {
    sha = await git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    log.info(`fetching ${ref} (not in this checkout)`);
    await git(top, ['fetch', '--no-tags', '--depth=1', 'origin', ref]);
    sha = await git(top, ['rev-parse', '--verify', 'FETCH_HEAD^{commit}']);
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-base-'));
  await git(top, ['worktree', 'add', '--detach', '--force', dir, sha]);
  log.info(`base ${ref} (${sha.slice(0, 12)}) checked out in ${dir}`);
  let removed = false;
  return {
    dir,
    sha,
    remove: async () => {
      if (removed) return;
      removed = true;
      await git(top, ['worktree', 'remove', '--force', dir]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The head's service settings moved into the worktree: the same command, in the matching folder, with the
 * baseline's environment on top (its own PORT, say).
 */
export function baseServiceFrom(
  head: ServiceConfig,
  repoTop: string,
  worktreeDir: string,
  baseTarget: string,
  headTarget: string,
  env: Record<string, string>,
): ServiceConfig {
  const relativeCwd = path.relative(repoTop, head.cwd);
  if (relativeCwd.startsWith('..')) {
    throw configError(
      `service.cwd: ${head.cwd} is outside the repository, so the base copy cannot be placed`,
    );
  }
  return {
    ...head,
    cwd: path.join(worktreeDir, relativeCwd),
    env: { ...head.env, ...env },
    ready: {
      ...head.ready,
      url: head.ready.url?.startsWith(headTarget)
        ? baseTarget + head.ready.url.slice(headTarget.length)
        : head.ready.url,
      tcp: head.ready.tcp && {
        host: socketAddressOf(baseTarget).host,
        // The service's own port moves with the target; another port (a sidecar's) stays.
        port:
          head.ready.tcp.port === socketAddressOf(headTarget).port
            ? socketAddressOf(baseTarget).port
            : head.ready.tcp.port,
      },
    },
  };
}

/**
 * When the config asks for a base worktree: creates it, runs the setup, and returns the config with the
 * base service filled in, and the worktree to remove afterwards.
 */
export async function prepareBaseline(
  config: GateConfig,
  env: NodeJS.ProcessEnv,
  log: Logger,
): Promise<{ config: GateConfig; worktree?: BaseWorktree }> {
  const baseline = config.baseline;
  if (!baseline?.ref) return { config };
  if (!config.service) throw configError('baseline.ref: needs a service block to start the base copy with');
  const ref = resolveBaseRef(baseline.ref, env);
  const repoDir = path.dirname(path.resolve(config.source));
  const top = await git(repoDir, ['rev-parse', '--show-toplevel']);
  const worktree = await log.group(`Check out the base (${ref})`, () => addBaseWorktree(repoDir, ref, log));
  try {
    const service = baseServiceFrom(
      config.service,
      top,
      worktree.dir,
      baseline.target,
      config.target,
      baseline.env,
    );
    if (baseline.setup) {
      const setup = baseline.setup;
      await log.group(`Set up the base: ${setup}`, () =>
        runSetupCommand({
          key: 'baseline.setup',
          command: setup,
          cwd: service.cwd,
          env,
          timeoutMs: BASELINE_SETUP_TIMEOUT_MS,
          onLine: (line) => log.debug(line),
        }),
      );
    }
    return { config: { ...config, baseline: { ...baseline, service } }, worktree };
  } catch (error) {
    await worktree.remove();
    throw error;
  }
}
