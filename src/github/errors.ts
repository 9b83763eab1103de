/** Failed GitHub calls, explained for the one warning the Action prints about them. */
import { isRateLimited, toFailedAttempt } from './retry.js';

export type GitHubFailureKind =
  /** The token may not do this: a pull request from a fork, or no `pull-requests: write` permission. */
  | 'forbidden'
  /** The token is not valid. */
  | 'unauthorized'
  /** Rate limits, server errors after retries, network errors, anything else. */
  | 'other';

export interface GitHubFailure {
  kind: GitHubFailureKind;
  /** "403 Resource not accessible by integration". */
  message: string;
}

export function describeGitHubFailure(error: unknown): GitHubFailure {
  const attempt = toFailedAttempt(error, '', '');
  const text = error instanceof Error ? error.message : String(error);
  if (!attempt) return { kind: 'other', message: text };
  const message = attempt.answered ? `${attempt.status} ${attempt.message}` : attempt.message || text;
  if (attempt.status === 401) return { kind: 'unauthorized', message };
  // 404: a private repository or pull request the token cannot see is "Not Found", not 403.
  if ((attempt.status === 403 && !isRateLimited(attempt)) || attempt.status === 404) {
    return { kind: 'forbidden', message };
  }
  return { kind: 'other', message };
}
