/**
 * Who the token is, so that slo-gate only ever edits its own comments.
 *
 * A personal access token is a user: `GET /user` says who, with a stable id. An app installation token (the
 * workflow's GITHUB_TOKEN, or one from actions/create-github-app-token) is the app's bot, and `GET /user`
 * answers 403 "Resource not accessible by integration"; GraphQL's `viewer` then names the bot
 * ("github-actions[bot]", "my-app[bot]"). When that fails too, it is GITHUB_TOKEN's bot, github-actions[bot].
 */
import type { GitHubClient } from './client.js';
import { isRateLimited } from './errors.js';

export interface TokenIdentity {
  /** The login without any "[bot]" suffix, as compared: "octocat", "github-actions". */
  login: string;
  /** A user, or an app's bot; a user never matches a bot's comment and the other way round. */
  type: 'User' | 'Bot';
  /** A user's id, which survives renames. Unknown for bots, whose ids differ between GitHub hosts. */
  id?: number;
  /** How it was found, for the debug log. */
  source: 'GET /user' | 'GraphQL viewer' | 'default for GITHUB_TOKEN';
}

/** The author of comments made with a workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_BOT: TokenIdentity = {
  login: 'github-actions',
  type: 'Bot',
  source: 'default for GITHUB_TOKEN',
};

/** The author of a comment, as the REST API returns it. */
export interface CommentAuthor {
  login: string;
  id: number;
  type?: string;
}

const withoutBotSuffix = (login: string) => login.replace(/\[bot\]$/i, '').toLowerCase();

/** True when the comment was written by this identity. */
export function isAuthoredBy(author: CommentAuthor | null | undefined, identity: TokenIdentity): boolean {
  if (!author) return false;
  const authorIsBot = author.type === 'Bot' || /\[bot\]$/i.test(author.login);
  if (identity.type === 'Bot') {
    return authorIsBot && withoutBotSuffix(author.login) === identity.login.toLowerCase();
  }
  if (authorIsBot) return false;
  if (identity.id !== undefined) return author.id === identity.id;
  return author.login.toLowerCase() === identity.login.toLowerCase();
}

const statusOf = (error: unknown) =>
  error !== null && typeof error === 'object' && typeof (error as { status?: unknown }).status === 'number'
    ? (error as { status: number }).status
    : undefined;

/** Throws what `GET /user` throws when the token is bad (401) or GitHub is down after retries. */
export async function resolveTokenIdentity(
  octokit: GitHubClient,
  log: { debug(message: string): void } = { debug: () => {} },
): Promise<TokenIdentity> {
  try {
    const { data } = await octokit.rest.users.getAuthenticated();
    const type = data.type === 'Bot' ? 'Bot' : 'User';
    return {
      login: type === 'Bot' ? withoutBotSuffix(data.login) : data.login,
      type,
      ...(type === 'User' ? { id: data.id } : {}),
      source: 'GET /user',
    };
  } catch (error) {
    // A rate limit is a 403 too, but says nothing about the token.
    if (statusOf(error) !== 403 || isRateLimited(error)) throw error;
    log.debug('GET /user answered 403: the token is an app installation token (such as GITHUB_TOKEN)');
  }
  try {
    const data = await octokit.graphql<{ viewer?: { login?: unknown } }>('query { viewer { login } }');
    const login = data.viewer?.login;
    if (typeof login === 'string' && login.length > 0) {
      return { login: withoutBotSuffix(login), type: 'Bot', source: 'GraphQL viewer' };
    }
  } catch (error) {
    log.debug(`the GraphQL viewer query failed (${(error as Error).message}): assuming github-actions[bot]`);
  }
  return GITHUB_ACTIONS_BOT;
}
