/**
 * The Octokit slo-gate talks to GitHub with: @actions/github's (which takes GITHUB_API_URL as its base
 * URL, so GitHub Enterprise Server and test fakes just work), with bounded retries on every request.
 */
import { getOctokit } from '@actions/github';
import {
  DEFAULT_RETRY_POLICY,
  installRetries,
  sleep,
  type FailedAttempt,
  type RetryPolicy,
} from './retry.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface GitHubClientOptions {
  /** Overrides GITHUB_API_URL; for tests. */
  baseUrl?: string;
  retry?: Partial<RetryPolicy>;
  /** Waits between retries; tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  /** Where retries and Octokit's own notices go. */
  log?: { debug(message: string): void; info(message: string): void; warn(message: string): void };
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {} };

export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const log = options.log ?? quiet;
  const octokit = getOctokit(token, {
    // Only when given: an explicit undefined would replace @actions/github's default (GITHUB_API_URL).
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    userAgent: 'slo-gate',
    log: { debug: log.debug, info: log.debug, warn: log.warn, error: log.warn },
  });
  installRetries(octokit, {
    policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
    sleep: options.sleep ?? sleep,
    onRetry: (attempt: FailedAttempt, delayMs: number) =>
      log.info(
        `GitHub answered ${attempt.answered ? attempt.status : 'nothing'} to ${attempt.method} ${attempt.url}` +
          `${attempt.message ? ` (${attempt.message})` : ''}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
      ),
  });
  return octokit;
}
