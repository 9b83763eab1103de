/**
 * Bounded retries for GitHub API calls: transient server errors and rate limits, never a permission
 * error. The policy (`retryDelayMs`) is a pure function of the failed attempt; `installRetries` applies it
 * to every request an Octokit makes, pagination and GraphQL included.
 */
import type { GitHubClient } from './client.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** The first backoff after a server error; it doubles with each retry. */
  baseDelayMs: number;
  /** The longest wait for a rate limit to lift; a longer one fails at once rather than stall the job. */
  maxWaitMs: number;
  /** Each attempt is abandoned (and counted as a transient failure) after this long. */
  attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  retries: 3,
  baseDelayMs: 1000,
  maxWaitMs: 60_000,
  attemptTimeoutMs: 30_000,
};

/** What a failed attempt looked like, as far as the policy cares. */
export interface FailedAttempt {
  method: string;
  url: string;
  /** The HTTP status; Octokit reports a network error or a timeout as 500 without a response. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  message: string;
  /** False for network errors and timeouts: the request may or may not have reached GitHub. */
  answered: boolean;
}

/** Methods that are safe to send twice. POST is not: a create that timed out may have happened. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE']);

/** GraphQL reads are POSTs; slo-gate only reads through GraphQL, so they are safe to repeat. */
const isGraphqlRead = (attempt: FailedAttempt) => attempt.method === 'POST' && /\/graphql$/.test(attempt.url);

export function isRateLimited(attempt: Pick<FailedAttempt, 'status' | 'headers' | 'message'>): boolean {
  if (attempt.status === 429) return true;
  if (attempt.status !== 403) return false;
  return (
    attempt.headers['x-ratelimit-remaining'] === '0' ||
    attempt.headers['retry-after'] !== undefined ||
    /rate limit/i.test(attempt.message)
  );
}

/** A server error or no answer at all: worth another try. */
export function isTransient(attempt: Pick<FailedAttempt, 'status' | 'answered'>): boolean {
  return !attempt.answered || attempt.status >= 500;
}

/**
 * How long to wait before retry number `retry` (0 for the first), or undefined to give up: when retries
 * are spent, when the error is not transient, when a retry could repeat a write, or when the rate limit
 * lifts later than `maxWaitMs`.
 */
export function retryDelayMs(
  attempt: FailedAttempt,
  retry: number,
  policy: RetryPolicy,
  nowMs: number,
): number | undefined {
  if (retry >= policy.retries) return undefined;
  if (isRateLimited(attempt)) {
    // GitHub's guidance: retry-after when given, else the reset time, else wait at least a minute.
    const retryAfterSeconds = Number(attempt.headers['retry-after']);
    const resetSeconds = Number(attempt.headers['x-ratelimit-reset']);
    let waitMs = 60_000;
    if (attempt.headers['retry-after'] !== undefined && Number.isFinite(retryAfterSeconds)) {
      waitMs = retryAfterSeconds * 1000;
    } else if (attempt.headers['x-ratelimit-remaining'] === '0' && Number.isFinite(resetSeconds)) {
      waitMs = resetSeconds * 1000 - nowMs + 1000;
    }
    waitMs = Math.max(0, waitMs);
    return waitMs <= policy.maxWaitMs ? waitMs : undefined;
  }
  if (!isTransient(attempt)) return undefined;
  if (!IDEMPOTENT.has(attempt.method) && !isGraphqlRead(attempt)) return undefined;
  return policy.baseDelayMs * 2 ** retry;
}

/** Reads an Octokit RequestError (or a fetch failure wrapped in one) without importing its class. */
export function toFailedAttempt(error: unknown, method: string, url: string): FailedAttempt | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (typeof e.status !== 'number') return undefined;
  return {
    method: method.toUpperCase(),
    url,
    status: e.status,
    headers: e.response?.headers ?? {},
    message: typeof e.message === 'string' ? e.message : '',
    answered: e.response !== undefined,
  };
}

export interface RetryOptions {
  policy: RetryPolicy;
  /** Waits; tests pass one that does not. */
  sleep: (ms: number) => Promise<void>;
  /** Told about each retry, for the log. */
  onRetry: (attempt: FailedAttempt, delayMs: number) => void;
  now?: () => number;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function installRetries(octokit: Pick<GitHubClient, 'hook'>, options: RetryOptions): void {
  const now = options.now ?? Date.now;
  octokit.hook.wrap('request', async (request, requestOptions) => {
    for (let retry = 0; ; retry++) {
      // The hooks inside this one were bound to this very options object and ignore any other passed in,
      // so the fresh timeout goes into it. A new `request` object: the old one may be shared defaults.
      requestOptions.request = {
        ...requestOptions.request,
        signal: AbortSignal.timeout(options.policy.attemptTimeoutMs),
      };
      try {
        return await request(requestOptions);
      } catch (error) {
        const url = String(requestOptions.url);
        const attempt = toFailedAttempt(error, requestOptions.method, url);
        const delayMs = attempt && retryDelayMs(attempt, retry, options.policy, now());
        if (attempt === undefined || delayMs === undefined) throw error;
        options.onRetry(attempt, delayMs);
        await options.sleep(delayMs);
      }
    }
  });
}
