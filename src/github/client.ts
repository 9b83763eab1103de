/**
 * The Octokit slo-gate talks to GitHub with: @actions/github's (which takes GITHUB_API_URL as its base
 * URL, so GitHub Enterprise Server and test fakes just work, and the runner's proxy settings), with
 * @octokit/plugin-retry for server errors and network failures and @octokit/plugin-throttling for rate
 * limits, on every request, pagination and GraphQL included.
 */
import { getOctokit } from '@actions/github';
import { defaults as actionsDefaults } from '@actions/github/lib/utils';
import type { Octokit } from '@octokit/core';
import { retry } from '@octokit/plugin-retry';
import { throttling, type ThrottlingOptions } from '@octokit/plugin-throttling';
import Bottleneck from 'bottleneck/light.js';

export type GitHubClient = ReturnType<typeof getOctokit>;

/** Retries after the first attempt, for server errors and network failures, and for rate limits. */
export const RETRIES = 3;
/** The longest wait for a rate limit to lift; a longer one fails at once rather than stall the job. */
export const MAX_RATE_LIMIT_WAIT_SECONDS = 60;
/** Each attempt is abandoned (and retried as a network failure) after this long. */
export const ATTEMPT_TIMEOUT_MS = 30_000;

/**
 * Statuses plugin-retry leaves alone: its own defaults (permissions, validation: retrying cannot help),
 * plus 429, which is a rate limit: the throttling plugin waits for it as GitHub says, or gives up.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

export interface GitHubClientOptions {
  /** Overrides GITHUB_API_URL; for tests. */
  baseUrl?: string;
  /** Where retries and Octokit's own notices go. */
  log?: { debug(message: string): void; info(message: string): void; warn(message: string): void };
  /** Overrides {@link ATTEMPT_TIMEOUT_MS}; for tests. */
  attemptTimeoutMs?: number;
  /**
   * How long one second of a retry's backoff or a rate limit's wait lasts, in milliseconds: 1000; tests
   * pass 1 so that they wait for nothing. The plugins count their waits in seconds times this.
   */
  msPerWaitSecond?: number;
  /**
   * GitHub asks for a second between writes (the throttling plugin keeps to that, and to 3 s between
   * writes that notify people, such as a new comment). True by default; tests turn it off.
   */
  spaceWrites?: boolean;
}

const quiet = { debug: () => {}, info: () => {}, warn: () => {} };

/** What the retry plugin reads from and writes to each request's `request` options. */
interface RetryState {
  /** Retries allowed for this request, when it overrides the client's. */
  retries?: number;
  /** Retries made so far. */
  retryCount?: number;
}

/**
 * Logs each failed attempt that plugin-retry is about to retry. Listed before it, so that these hooks
 * run inside its retry loop, once per attempt; the wait mirrors plugin-retry 8's backoff, the square
 * of the retry's number in seconds (1 s, 4 s, 9 s).
 */
function logRetries(log: Required<GitHubClientOptions>['log'], msPerWaitSecond: number) {
  return (octokit: Octokit) => {
    octokit.hook.error('request', (error, options) => {
      const state = (options.request ?? {}) as RetryState;
      const status = (error as { status?: unknown }).status;
      const retryCount = state.retryCount ?? 0;
      const retries = state.retries ?? RETRIES;
      const retried =
        'request' in error && typeof status === 'number' && status >= 400 && !DO_NOT_RETRY.includes(status);
      if (retried && retryCount < retries) {
        const answered = 'response' in error && error.response !== undefined;
        const delayMs = (retryCount + 1) ** 2 * msPerWaitSecond;
        log.info(
          `GitHub answered ${answered ? status : 'nothing'} to ${options.method} ${options.url}` +
            `${error.message ? ` (${error.message})` : ''}; retrying in ${(delayMs / 1000).toFixed(1)} s`,
        );
      }
      throw error;
    });
  };
}

/** Fetch with a timeout per call, so each attempt of a request gets its own (a hung one is retried). */
function withAttemptTimeout(fetchImpl: typeof fetch, timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetchImpl(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
    });
  };
}

export function createGitHubClient(token: string, options: GitHubClientOptions = {}): GitHubClient {
  const log = options.log ?? quiet;
  const msPerWaitSecond = options.msPerWaitSecond ?? 1000;

  const onRateLimit =
    (limit: string): NonNullable<ThrottlingOptions['onRateLimit']> =>
    (retryAfterSeconds, request, _octokit, retryCount) => {
      const what = `${limit} on ${request.method} ${request.url}`;
      if (retryCount < RETRIES && retryAfterSeconds <= MAX_RATE_LIMIT_WAIT_SECONDS) {
        log.info(`GitHub's ${what}; retrying in ${retryAfterSeconds} s`);
        return true;
      }
      log.info(`GitHub's ${what}; it lifts in ${retryAfterSeconds} s, too late to wait for`);
      return false;
    };
  // Without spacing, still one write at a time, in order.
  const unspaced = () => new Bottleneck.Group({ maxConcurrent: 1 });

  const baseFetch = actionsDefaults.request?.fetch ?? globalThis.fetch;
  const octokit = getOctokit(
    token,
    {
      // Only when given: an explicit undefined would replace @actions/github's default (GITHUB_API_URL).
      ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
      userAgent: 'slo-gate',
      log: { debug: log.debug, info: log.debug, warn: log.warn, error: log.warn },
      // Replaces @actions/github's default `request` (Octokit merges the top level only): keep its proxy fetch.
      request: {
        ...actionsDefaults.request,
        fetch: withAttemptTimeout(baseFetch, options.attemptTimeoutMs ?? ATTEMPT_TIMEOUT_MS),
      },
      retry: { retries: RETRIES, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: msPerWaitSecond },
      throttle: {
        onRateLimit: onRateLimit('rate limit'),
        onSecondaryRateLimit: onRateLimit('secondary rate limit'),
        retryAfterBaseValue: msPerWaitSecond,
        ...(options.spaceWrites === false ? { write: unspaced(), notifications: unspaced() } : {}),
      },
    },
    logRetries(log, msPerWaitSecond),
    retry,
    throttling,
  );
  // Unless a call passes its own `request` options, every call shares the client's `request` object, and
  // both plugins write their retry count into it: the next request would start its backoff from the last
  // one's count (octokit/plugin-throttling.js#442). The outermost hook gives each call its own copy.
  octokit.hook.before('request', (requestOptions) => {
    requestOptions.request = { ...requestOptions.request };
  });
  return octokit;
}
