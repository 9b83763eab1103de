/**
 * A fake GitHub REST API on 127.0.0.1 that behaves like github.com for what slo-gate uses, so the
 * tests exercise the real Octokit, its pagination and our retries over real HTTP:
 *
 * - tokens: a personal access token is a user (`GET /user` answers 200); an installation token (the
 *   workflow's GITHUB_TOKEN) answers `GET /user` with 403 "Resource not accessible by integration", and
 *   GraphQL `viewer` names its bot; an unknown token gets 401 "Bad credentials";
 * - issue comments: listed oldest first, `per_page` (default 30, at most 100) and `page`, with a `Link`
 *   header of absolute URLs; created (201) and edited (200) only with a token that may write, else 403;
 *   like GitHub, a token that may write can edit anyone's comment, so only the client can keep off them;
 *   a body over 65,536 characters is 422;
 * - failures can be queued per route (a 502, a 429 with retry-after, …);
 * - every call is recorded.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeUser {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export const ACTIONS_BOT: FakeUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' };
export const ALICE: FakeUser = { login: 'alice', id: 1001, type: 'User' };
export const MALLORY: FakeUser = { login: 'mallory', id: 666, type: 'User' };
export const OTHER_BOT: FakeUser = { login: 'other-app[bot]', id: 5005, type: 'Bot' };

export interface FakeToken {
  /** `pat`: a user's personal access token; `installation`: an app's token, such as GITHUB_TOKEN. */
  kind: 'pat' | 'installation';
  user: FakeUser;
  /** May create and edit comments (`pull-requests: write`); false for a fork PR's read-only token. */
  canWrite: boolean;
  /** GraphQL `viewer` fails for this token (the last fallback). */
  graphqlFails?: boolean;
}

/** The tokens every fake knows. */
export const TOKENS = {
  /** GITHUB_TOKEN with `pull-requests: write`. */
  actionsWrite: 'ghs_actions_write',
  /** GITHUB_TOKEN on a pull request from a fork: read-only. */
  actionsReadOnly: 'ghs_actions_read_only',
  /** Alice's personal access token. */
  alicePat: 'ghp_alice',
  /** An installation token of another app, "other-app[bot]". */
  otherApp: 'ghs_other_app',
} as const;

export interface StoredComment {
  id: number;
  issue: string;
  body: string;
  user: FakeUser;
  createdAt: string;
  updatedAt: string;
}

export interface RecordedCall {
  method: string;
  /** Path without the query. */
  path: string;
  query: Record<string, string>;
  token?: string;
  body?: unknown;
  status: number;
  /** When it arrived (performance.now()), to measure the waits between retries. */
  atMs: number;
}

interface QueuedFailure {
  method: string;
  path: RegExp;
  status: number;
  headers: Record<string, string>;
  body: unknown;
  times: number;
  /** Do the work first (create the comment), then answer with the failure: a 502 from a proxy. */
  afterWork: boolean;
}

interface Answer {
  status: number;
  payload: unknown;
  headers?: Record<string, string>;
}

const json = (
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) => {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'x-github-request-id': `FAKE:${Math.random().toString(16).slice(2, 10)}`,
    'x-ratelimit-limit': '5000',
    'x-ratelimit-remaining': '4999',
    'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
    'x-ratelimit-resource': 'core',
    ...headers,
  });
  res.end(text);
};

const DOCS = 'https://docs.github.com/rest';

export class FakeGitHubApi {
  readonly calls: RecordedCall[] = [];
  readonly tokens = new Map<string, FakeToken>([
    [TOKENS.actionsWrite, { kind: 'installation', user: ACTIONS_BOT, canWrite: true }],
    [TOKENS.actionsReadOnly, { kind: 'installation', user: ACTIONS_BOT, canWrite: false }],
    [TOKENS.alicePat, { kind: 'pat', user: ALICE, canWrite: true }],
    [TOKENS.otherApp, { kind: 'installation', user: OTHER_BOT, canWrite: true }],
  ]);
  private readonly comments: StoredComment[] = [];
  private readonly failures: QueuedFailure[] = [];
  private nextId = 900_001;
  private server?: http.Server;
  url = '';

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let raw = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (raw += chunk));
      req.on('end', () => this.handle(req, res, raw));
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Seeds a comment, as if written earlier by `user`. */
  addComment(owner: string, repo: string, issue: number, user: FakeUser, body: string): StoredComment {
    const at = new Date(Date.UTC(2025, 0, 1) + this.comments.length * 60_000).toISOString();
    const comment = {
      id: this.nextId++,
      issue: `${owner}/${repo}#${issue}`,
      body,
      user,
      createdAt: at,
      updatedAt: at,
    };
    this.comments.push(comment);
    return comment;
  }

  commentsOn(owner: string, repo: string, issue: number): StoredComment[] {
    return this.comments.filter((c) => c.issue === `${owner}/${repo}#${issue}`);
  }

  /** The next `times` calls matching method and path answer `status` (with these headers and body). */
  fail(
    method: string,
    path: RegExp,
    status: number,
    options: { times?: number; headers?: Record<string, string>; body?: unknown; afterWork?: boolean } = {},
  ): void {
    this.failures.push({
      method,
      path,
      status,
      headers: options.headers ?? {},
      body: options.body ?? { message: http.STATUS_CODES[status] ?? 'Error' },
      times: options.times ?? 1,
      afterWork: options.afterWork ?? false,
    });
  }

  /** Calls that changed something. */
  writes(): RecordedCall[] {
    return this.calls.filter((c) => c.method !== 'GET' && c.path !== '/graphql');
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): void {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const auth = /^(?:token|bearer)\s+(.+)$/i.exec(req.headers.authorization ?? '');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const call: RecordedCall = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      token: auth?.[1],
      body,
      status: 0,
      atMs: performance.now(),
    };
    this.calls.push(call);
    const failure = this.failures.find(
      (f) => f.method === method && f.path.test(url.pathname) && f.times > 0,
    );
    if (failure) failure.times--;
    let answer: Answer | undefined;
    if (!failure || failure.afterWork) answer = this.route(method, url, auth?.[1], body);
    if (failure) answer = { status: failure.status, payload: failure.body, headers: failure.headers };
    call.status = answer!.status;
    json(res, answer!.status, answer!.payload, answer!.headers);
  }

  private route(method: string, url: URL, tokenText: string | undefined, body: unknown): Answer {
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}): Answer => ({
      status,
      payload,
      headers,
    });
    const token = tokenText ? this.tokens.get(tokenText) : undefined;
    if (!token) return send(401, { message: 'Bad credentials', documentation_url: DOCS, status: '401' });
    const forbidden = (doc: string) =>
      send(403, {
        message: 'Resource not accessible by integration',
        documentation_url: `${DOCS}/${doc}`,
        status: '403',
      });

    if (method === 'GET' && url.pathname === '/user') {
      if (token.kind === 'installation') return forbidden('users/users#get-the-authenticated-user');
      return send(200, this.userJson(token.user));
    }

    if (method === 'POST' && url.pathname === '/graphql') {
      const query = (body as { query?: string } | undefined)?.query ?? '';
      if (token.graphqlFails) return send(502, { message: 'Server Error' });
      if (/\bviewer\s*\{\s*login\s*\}/.test(query))
        return send(200, { data: { viewer: { login: token.user.login } } });
      return send(200, { errors: [{ message: 'this fake only answers viewer { login }' }] });
    }

    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    if (list && method === 'GET') {
      const [, owner, repo, issue] = list;
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const all = this.commentsOn(owner!, repo!, Number(issue));
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const items = all.slice((page - 1) * perPage, page * perPage);
      const link = (p: number, rel: string) => {
        const target = new URL(url.pathname, this.url);
        target.searchParams.set('per_page', String(perPage));
        target.searchParams.set('page', String(p));
        return `<${target.href}>; rel="${rel}"`;
      };
      const links: string[] = [];
      if (page > 1) links.push(link(page - 1, 'prev'));
      if (page < lastPage) links.push(link(page + 1, 'next'), link(lastPage, 'last'));
      if (page > 1) links.push(link(1, 'first'));
      return send(
        200,
        items.map((c) => this.commentJson(c)),
        links.length ? { link: links.join(', ') } : {},
      );
    }

    if (list && method === 'POST') {
      const [, owner, repo, issue] = list;
      if (!token.canWrite) return forbidden('issues/comments#create-an-issue-comment');
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text.length === 0) {
        return send(422, {
          message: 'Validation Failed',
          errors: [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }],
        });
      }
      if (text.length > 65_536) return send(422, this.tooLong());
      const comment = this.addComment(owner!, repo!, Number(issue), token.user, text);
      comment.createdAt = comment.updatedAt = new Date().toISOString();
      return send(201, this.commentJson(comment));
    }

    const edit = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    if (edit && method === 'PATCH') {
      const [, owner, repo, id] = edit;
      const comment = this.comments.find(
        (c) => c.id === Number(id) && c.issue.startsWith(`${owner}/${repo}#`),
      );
      if (!comment) return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
      if (!token.canWrite) return forbidden('issues/comments#update-an-issue-comment');
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string') return send(422, { message: 'Validation Failed' });
      if (text.length > 65_536) return send(422, this.tooLong());
      comment.body = text;
      comment.updatedAt = new Date().toISOString();
      return send(200, this.commentJson(comment));
    }

    return send(404, { message: 'Not Found', documentation_url: DOCS, status: '404' });
  }

  private tooLong() {
    return {
      message: 'Validation Failed',
      errors: [
        {
          resource: 'IssueComment',
          code: 'custom',
          field: 'body',
          message: 'body is too long (maximum is 65536 characters)',
        },
      ],
    };
  }

  private userJson(user: FakeUser) {
    return {
      login: user.login,
      id: user.id,
      node_id: `U_${user.id}`,
      type: user.type,
      site_admin: false,
      html_url: `https://github.com/${user.login.replace('[bot]', '')}`,
    };
  }

  private commentJson(c: StoredComment) {
    const [repoPath, issue] = c.issue.split('#') as [string, string];
    return {
      id: c.id,
      node_id: `IC_${c.id}`,
      url: `${this.url}/repos/${repoPath}/issues/comments/${c.id}`,
      html_url: `https://github.com/${repoPath}/pull/${issue}#issuecomment-${c.id}`,
      issue_url: `${this.url}/repos/${repoPath}/issues/${issue}`,
      body: c.body,
      user: this.userJson(c.user),
      created_at: c.createdAt,
      updated_at: c.updatedAt,
      author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    };
  }
}
