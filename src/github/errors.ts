/** Failed GitHub calls: what kind of failure they are, and the one warning the Action prints about them. */

/** What an Octokit RequestError (or a network failure wrapped in one) says, read without its class. */
interface FailedCall {
  /** The HTTP status; Octokit reports a network error or a timeout as 500 without a response. */
  status: number;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  message: string;
  /** False for network errors and timeouts: the request may or may not have reached GitHub. */
  answered: boolean;
}

function readFailure(error: unknown): FailedCall | undefined {
  if (error === null || typeof error !== 'object') return undefined;
  const e = error as {
    status?: unknown;
    message?: unknown;
    response?: { headers?: Record<string, string | undefined> };
  };
  if (typeof e.status !== 'number') return undefined;
  return {
    status: e.status,
    headers: e.response?.headers ?? {},
    message: typeof e.message === 'string' ? e.message : '',
    answered: e.response !== undefined,
  };
}

/** A 429, or a 403 that is GitHub's primary or secondary rate limit rather than a missing permission. */
export function isRateLimited(error: unknown): boolean {
  const failure = readFailure(error);
  if (!failure) return false;
  if (failure.status === 429) return true;
  if (failure.status !== 403) return false;
  return (
    failure.headers['x-ratelimit-remaining'] === '0' ||
    failure.headers['retry-after'] !== undefined ||
    /rate limit/i.test(failure.message)
  );
}

/**
 * A server error or no answer at all: a write that failed so may have happened anyway, and a read may
 * succeed when tried again.
 */
export function isTransient(error: unknown): boolean {
  const failure = readFailure(error);
  return failure !== undefined && (!failure.answered || failure.status >= 500);
}

export type GitHubFailureKind =
  /** The token may not do this: a pull request from a fork, or no `pull-requests: write` permission. */
  | 'forbidden'
  /** The token is not valid. */
  | 'unauthorized'
  /** GitHub's rate limit, which lifts later than slo-gate waits for. */
  | 'rate-limited'
  /** Server errors after retries, network errors, anything else. */
  | 'other';

export interface GitHubFailure {
  kind: GitHubFailureKind;
  /** "403 Resource not accessible by integration". */
  message: string;
  /** When the rate limit lifts, if GitHub said (`x-ratelimit-reset`, `retry-after`). */
  rateLimitLiftsAt?: Date;
}

function rateLimitLiftsAt(failure: FailedCall, nowMs: number): Date | undefined {
  const retryAfterSeconds = Number(failure.headers['retry-after']);
  if (failure.headers['retry-after'] !== undefined && Number.isFinite(retryAfterSeconds)) {
    return new Date(nowMs + retryAfterSeconds * 1000);
  }
  const resetSeconds = Number(failure.headers['x-ratelimit-reset']);
  if (failure.headers['x-ratelimit-remaining'] === '0' && Number.isFinite(resetSeconds)) {
    return new Date(resetSeconds * 1000);
  }
  return undefined;
}

export function describeGitHubFailure(error: unknown, nowMs = Date.now()): GitHubFailure {
  const failure = readFailure(error);
  const text = error instanceof Error ? error.message : String(error);
  if (!failure) return { kind: 'other', message: text };
  const message = failure.answered ? `${failure.status} ${failure.message}` : failure.message || text;
  if (isRateLimited(error)) {
    const liftsAt = rateLimitLiftsAt(failure, nowMs);
    return { kind: 'rate-limited', message, ...(liftsAt ? { rateLimitLiftsAt: liftsAt } : {}) };
  }
  if (failure.status === 401) return { kind: 'unauthorized', message };
  // 404: a private repository or pull request the token cannot see is "Not Found", not 403.
  if (failure.status === 403 || failure.status === 404) return { kind: 'forbidden', message };
  return { kind: 'other', message };
}
