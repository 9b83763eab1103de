/**
 * One comment per pull request and gate id, kept up to date: found by a hidden marker line *and* by its
 * author being the token's own identity (anyone can paste a marker; only we can be us), paging through
 * every comment. Created the first time, edited in place after, never duplicated, never someone else's.
 */
import type { GitHubClient } from './client.js';
import { isAuthoredBy, resolveTokenIdentity, type CommentAuthor, type TokenIdentity } from './identity.js';
import { isTransient } from './errors.js';

/** Gate ids go inside an HTML comment, so they are kept to characters that cannot close it. */
export const GATE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The hidden line that marks a gate's comment: one per id, and no id's marker is a prefix of another's. */
export function stickyMarker(gateId: string): string {
  if (gateId !== '' && !GATE_ID_PATTERN.test(gateId))
    throw new Error(`invalid gate id ${JSON.stringify(gateId)}`);
  return gateId ? `<!-- slo-gate:sticky-comment id="${gateId}" -->` : '<!-- slo-gate:sticky-comment -->';
}

/** True when one line of the body is the marker, exactly: a marker quoted inside other text is not one. */
export function hasMarker(body: string | null | undefined, marker: string): boolean {
  return (body ?? '').split(/\r?\n/).some((line) => line.trim() === marker);
}

export function withMarker(body: string, marker: string): string {
  return `${body.trimEnd()}\n\n${marker}\n`;
}

/** An issue comment as the REST API lists it; only what the search needs. */
export interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: CommentAuthor | null;
}

/** The first comment (oldest first, as GitHub lists them) that carries the marker and is ours. */
export async function findStickyComment(
  comments: AsyncIterable<IssueComment[]>,
  marker: string,
  identity: TokenIdentity,
): Promise<IssueComment | undefined> {
  for await (const page of comments) {
    const found = page.find((c) => hasMarker(c.body, marker) && isAuthoredBy(c.user, identity));
    if (found) return found;
  }
  return undefined;
}

export interface PullRequestRef {
  owner: string;
  repo: string;
  number: number;
}

export interface StickyCommentRequest {
  marker: string;
  /** The comment without the marker. */
  body: string;
  /** False: only update a comment that exists (comment: on-failure, after a pass). */
  createIfMissing: boolean;
}

export type StickyCommentOutcome =
  { action: 'created' | 'updated' | 'unchanged'; id: number; url: string } | { action: 'skipped' };

/** Pages of comments, 100 at a time (GitHub's maximum), oldest first. */
async function* listComments(octokit: GitHubClient, pr: PullRequestRef): AsyncGenerator<IssueComment[]> {
  const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  });
  for await (const page of pages) yield page.data;
}

/**
 * Creates or updates the gate's comment. Throws Octokit's errors (403 when the token may not write) for
 * the caller to explain. A create that fails without a clear answer is not repeated blindly: the comments
 * are searched again first, since GitHub may have created it after all.
 */
export async function upsertStickyComment(
  octokit: GitHubClient,
  pr: PullRequestRef,
  request: StickyCommentRequest,
  log: { debug(message: string): void } = { debug: () => {} },
): Promise<StickyCommentOutcome> {
  const identity = await resolveTokenIdentity(octokit, log);
  log.debug(`the token is ${identity.type} ${identity.login} (${identity.source})`);
  const body = withMarker(request.body, request.marker);
  for (let attempt = 1; ; attempt++) {
    const existing = await findStickyComment(listComments(octokit, pr), request.marker, identity);
    if (existing) {
      if (existing.body === body) {
        // On a second pass, an identical comment is the one the failed create made after all.
        return { action: attempt > 1 ? 'created' : 'unchanged', id: existing.id, url: existing.html_url };
      }
      const { data } = await octokit.rest.issues.updateComment({
        owner: pr.owner,
        repo: pr.repo,
        comment_id: existing.id,
        body,
      });
      return { action: 'updated', id: data.id, url: data.html_url };
    }
    if (!request.createIfMissing) return { action: 'skipped' };
    try {
      const { data } = await octokit.rest.issues.createComment({
        owner: pr.owner,
        repo: pr.repo,
        issue_number: pr.number,
        body,
        // Not retried by plugin-retry: this loop retries it, after looking for the comment again.
        // (A rate limit is still waited out by the throttling plugin: GitHub refused that one unseen.)
        request: { retries: 0 },
      });
      return { action: 'created', id: data.id, url: data.html_url };
    } catch (error) {
      if (attempt >= 2 || !isTransient(error)) throw error;
      log.debug(
        `creating the comment failed (${(error as Error).message}); searching again before another try`,
      );
    }
  }
}
