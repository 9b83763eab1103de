/**
 * Writes the gate's sticky comment on the pull request, when there is one and the `comment` input asks
 * for it. Never throws: a comment that cannot be written (a fork's read-only token, a missing permission,
 * GitHub down after retries, a rate limit that lifts too late) is one warning, and the SLO verdict alone
 * decides the step.
 */
import { createGitHubClient } from '../github/client.js';
import { describeGitHubFailure, type GitHubFailure } from '../github/errors.js';
import { stickyMarker, upsertStickyComment } from '../github/sticky-comment.js';
import type { Logger } from '../log.js';
import { commentAction, commentBody } from './comment.js';
import type { ActionSettings } from './inputs.js';

export interface CommentResult {
  url?: string;
  id?: number;
}

const SEE_ALSO =
  'The report is in the job summary, and the SLO verdict alone decides this step. ' +
  'See "Pull requests from forks" in the slo-gate README for commenting on them through workflow_run.';

export function explainCommentFailure(failure: GitHubFailure): string {
  const what = `Could not write the pull request comment (${failure.message})`;
  if (failure.kind === 'forbidden') {
    return (
      `${what}: the token may not comment on this pull request. On a pull request from a fork, ` +
      `GITHUB_TOKEN is read-only; otherwise give the job "permissions: pull-requests: write". ${SEE_ALSO}`
    );
  }
  if (failure.kind === 'unauthorized')
    return `${what}: the github-token input is not a valid token. ${SEE_ALSO}`;
  if (failure.kind === 'rate-limited') {
    const lifts = failure.rateLimitLiftsAt
      ? `until ${failure.rateLimitLiftsAt.toISOString().slice(11, 16)} UTC`
      : 'for now';
    return `${what}: GitHub's rate limit for this token is spent ${lifts}, longer than slo-gate waits. ${SEE_ALSO}`;
  }
  return `${what}. ${SEE_ALSO}`;
}

export async function publishPullRequestComment(
  settings: ActionSettings,
  markdown: string,
  gatePassed: boolean,
  log: Logger,
): Promise<CommentResult> {
  if (settings.shard) {
    const { index, total } = settings.shard;
    log.info(
      `shard ${index}/${total}: no pull request comment; the merge job (merge: DIR) writes it from all ${total} shards' reports`,
    );
    return {};
  }
  const action = commentAction(settings.comment, gatePassed);
  const pr = settings.pullRequest;
  if (action === 'none') {
    log.info('comment: never, so no pull request comment');
    return {};
  }
  if (!pr) {
    log.info(
      `No pull request in this ${settings.eventName || 'local'} run: the report is in the job summary`,
    );
    return {};
  }
  if (!settings.githubToken) {
    log.warn(`No github-token, so no pull request comment. ${SEE_ALSO}`);
    return {};
  }
  try {
    const octokit = createGitHubClient(settings.githubToken, { log });
    const outcome = await upsertStickyComment(
      octokit,
      pr,
      {
        marker: stickyMarker(settings.gateId),
        body: commentBody(markdown, settings),
        createIfMissing: action === 'upsert',
      },
      log,
    );
    if (outcome.action === 'skipped') {
      log.info('All SLOs met and no earlier comment to update (comment: on-failure)');
      return {};
    }
    log.info(`Comment ${outcome.action} on ${pr.owner}/${pr.repo}#${pr.number}: ${outcome.url}`);
    return { url: outcome.url, id: outcome.id };
  } catch (error) {
    log.warn(explainCommentFailure(describeGitHubFailure(error)));
    return {};
  }
}
