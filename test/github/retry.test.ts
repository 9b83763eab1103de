/**
 * The configured client (@octokit/plugin-retry and @octokit/plugin-throttling on @actions/github's Octokit)
 * against the fake GitHub API: what is retried, how often, after how long, and what is not. Every wait is
 * a millisecond per second (`msPerWaitSecond: 1`), so the backoff is measured in milliseconds.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { explainCommentFailure } from '../../src/action/pr-comment.js';
import { createGitHubClient, type GitHubClientOptions } from '../../src/github/client.js';
import { describeGitHubFailure, isRateLimited } from '../../src/github/errors.js';
import { resolveTokenIdentity } from '../../src/github/identity.js';
import { stickyMarker, upsertStickyComment } from '../../src/github/sticky-comment.js';
import { ALICE, FakeGitHubApi, TOKENS, type RecordedCall } from './fake-github-api.js';

let api: FakeGitHubApi;
let logged: string[];
beforeEach(async () => {
  api = await new FakeGitHubApi().start();
  logged = [];
});
afterEach(async () => {
  await api.close();
});

const log = {
  debug: () => {},
  info: (message: string) => logged.push(message),
  warn: (message: string) => logged.push(`warning: ${message}`),
};
const client = (token: string = TOKENS.alicePat, options: GitHubClientOptions = {}) =>
  createGitHubClient(token, { baseUrl: api.url, log, msPerWaitSecond: 1, spaceWrites: false, ...options });
const listAll = (octokit = client()) =>
  octokit.paginate(octokit.rest.issues.listComments, {
    owner: 'a',
    repo: 'b',
    issue_number: 1,
    per_page: 100,
  });
const callsTo = (methods: string, path: RegExp) =>
  api.calls.filter((c) => methods.split('|').includes(c.method) && path.test(c.path));
/** Milliseconds between one call and the next. */
const gapsMs = (calls: RecordedCall[]) => calls.slice(1).map((c, i) => c.atMs - calls[i]!.atMs);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.unreachable('expected a failure'),
    (error: unknown) => error,
  );

describe('server errors and network failures', () => {
  it('retries a 502 and succeeds, inside pagination too', async () => {
    for (let i = 0; i < 150; i++) api.addComment('a', 'b', 1, ALICE, `c${i}`);
    api.fail('GET', /comments$/, 502);
    expect(await listAll()).toHaveLength(150);
    const lists = callsTo('GET', /comments$/);
    expect(lists.map((c) => `${c.query.page ?? '1'}:${c.status}`)).toEqual(['1:502', '1:200', '2:200']);
    expect(logged).toEqual([
      expect.stringMatching(
        /^GitHub answered 502 to GET \S*\/repos\/a\/b\/issues\/1\/comments\S* \(Bad Gateway\); retrying in/,
      ),
    ]);
  });

  it('retries at most three times, with a growing backoff, then throws the last error', async () => {
    api.fail('GET', /comments$/, 502, { times: 10 });
    // plugin-retry waits 1, 4 and 9 seconds; here a second is 20 ms.
    expect(await errorOf(listAll(client(TOKENS.alicePat, { msPerWaitSecond: 20 })))).toMatchObject({
      status: 502,
    });
    const lists = callsTo('GET', /comments$/);
    expect(lists).toHaveLength(1 + 3);
    const [first, second, third] = gapsMs(lists) as [number, number, number];
    expect(first).toBeGreaterThanOrEqual(20);
    expect(second).toBeGreaterThanOrEqual(80);
    expect(third).toBeGreaterThanOrEqual(180);
    expect(logged.map((line) => /retrying in (.*)$/.exec(line)?.[1])).toEqual(['0.0 s', '0.1 s', '0.2 s']);
  });

  it('succeeds on the third and last retry', async () => {
    api.fail('GET', /^\/user$/, 503, { times: 3 });
    expect(await resolveTokenIdentity(client())).toMatchObject({ login: 'alice', id: 1001 });
    expect(callsTo('GET', /^\/user$/).map((c) => c.status)).toEqual([503, 503, 503, 200]);
  });

  it('starts each request’s backoff afresh, whatever the requests before it went through', async () => {
    const octokit = client();
    api.fail('GET', /^\/user$/, 502, { times: 4 });
    await errorOf(octokit.rest.users.getAuthenticated());
    api.fail('GET', /^\/user$/, 502, { times: 2 });
    await octokit.rest.users.getAuthenticated();
    // Three retries again, not none: the first request's count did not carry over.
    expect(callsTo('GET', /^\/user$/).map((c) => c.status)).toEqual([502, 502, 502, 502, 502, 502, 200]);
    expect(logged).toHaveLength(3 + 2);
  });

  it('retries a GraphQL query that met a 502', async () => {
    api.fail('POST', /^\/graphql$/, 502);
    expect(await resolveTokenIdentity(client(TOKENS.otherApp))).toMatchObject({
      login: 'other-app',
      source: 'GraphQL viewer',
    });
    expect(callsTo('POST', /^\/graphql$/).map((c) => c.status)).toEqual([502, 200]);
  });

  it('retries when there is no answer, then explains the network failure', async () => {
    const octokit = client();
    await api.close();
    const error = await errorOf(octokit.rest.users.getAuthenticated());
    expect(describeGitHubFailure(error).kind).toBe('other');
    expect(logged).toEqual(
      Array(3).fill(expect.stringMatching(/^GitHub answered nothing to GET \/user \(.+\); retrying in/)),
    );
  });

  it('abandons an attempt that hangs and tries again', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => {
      if (++requests === 1) return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ login: 'alice', id: 1001, type: 'User' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const identity = await resolveTokenIdentity(
        client(TOKENS.alicePat, { baseUrl, attemptTimeoutMs: 200 }),
      );
      expect(identity.login).toBe('alice');
      expect(requests).toBe(2);
      expect(logged).toEqual([expect.stringMatching(/^GitHub answered nothing to GET \/user .*timeout/)]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('errors that retrying cannot fix', () => {
  it('does not retry a 403 for permissions, and explains it as forbidden', async () => {
    const octokit = client(TOKENS.actionsReadOnly);
    const error = await errorOf(
      octokit.rest.issues.createComment({ owner: 'a', repo: 'b', issue_number: 1, body: 'x' }),
    );
    expect(callsTo('POST', /comments$/)).toHaveLength(1);
    expect(logged).toEqual([]);
    expect(isRateLimited(error)).toBe(false);
    expect(describeGitHubFailure(error)).toEqual({
      kind: 'forbidden',
      message:
        '403 Resource not accessible by integration - https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    });
  });

  it.each([401, 403, 404, 422])('does not retry a %i', async (status) => {
    api.fail('GET', /comments$/, status, { times: 10 });
    expect(await errorOf(listAll())).toMatchObject({ status });
    expect(callsTo('GET', /comments$/)).toHaveLength(1);
    expect(logged).toEqual([]);
  });

  it('explains a bad token as unauthorized', async () => {
    const error = await errorOf(client('ghp_nope').rest.users.getAuthenticated());
    expect(api.calls).toHaveLength(1);
    expect(describeGitHubFailure(error).kind).toBe('unauthorized');
  });
});

describe('rate limits', () => {
  const primary = (resetInSeconds: number) => ({
    headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(nowSeconds() + resetInSeconds) },
    body: { message: 'API rate limit exceeded for user ID 1001.' },
  });
  const secondary = (retryAfterSeconds?: number) => ({
    ...(retryAfterSeconds === undefined ? {} : { headers: { 'retry-after': String(retryAfterSeconds) } }),
    body: {
      message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
    },
  });

  it('waits for a primary rate limit that resets within a minute, then succeeds', async () => {
    api.fail('GET', /comments$/, 403, primary(20));
    expect(await listAll()).toEqual([]);
    const lists = callsTo('GET', /comments$/);
    expect(lists.map((c) => c.status)).toEqual([403, 200]);
    // Until the reset and a second more: 20 to 22 "seconds", depending on where in its second the test runs.
    expect(gapsMs(lists)[0]).toBeGreaterThanOrEqual(19);
    expect(logged).toEqual([expect.stringMatching(/^GitHub's rate limit on GET .*; retrying in 2[0-2] s$/)]);
  });

  it.each([
    ['a 403 with retry-after', 403, secondary(5)],
    ['a 429 with retry-after', 429, secondary(5)],
    ['one without retry-after, after a minute', 403, secondary()],
  ])('waits out a secondary rate limit: %s', async (_name, status, answer) => {
    api.fail('GET', /^\/user$/, status, answer);
    expect(await resolveTokenIdentity(client())).toMatchObject({ login: 'alice', source: 'GET /user' });
    expect(callsTo('GET', /^\/user$/).map((c) => c.status)).toEqual([status, 200]);
    expect(logged).toEqual([
      expect.stringMatching(/^GitHub's secondary rate limit on GET \/user; retrying in (5|60) s$/),
    ]);
  });

  it('waits out a rate limit on the comment it creates: GitHub refused that one unseen', async () => {
    api.fail('POST', /comments$/, 403, secondary(1));
    await client().rest.issues.createComment({ owner: 'a', repo: 'b', issue_number: 1, body: 'x' });
    expect(callsTo('POST', /comments$/).map((c) => c.status)).toEqual([403, 201]);
    expect(api.commentsOn('a', 'b', 1)).toHaveLength(1);
  });

  it('gives up at once on a reset an hour away, with one clear line', async () => {
    const answer = primary(3600);
    api.fail('GET', /comments$/, 403, answer);
    const error = await errorOf(listAll());
    expect(callsTo('GET', /comments$/)).toHaveLength(1);
    expect(logged).toEqual([
      expect.stringMatching(/^GitHub's rate limit on GET .*; it lifts in 360[01] s, too late/),
    ]);
    const failure = describeGitHubFailure(error);
    expect(failure).toMatchObject({
      kind: 'rate-limited',
      message: '403 API rate limit exceeded for user ID 1001.',
    });
    const resetAt = new Date(Number(answer.headers['x-ratelimit-reset']) * 1000).toISOString().slice(11, 16);
    expect(explainCommentFailure(failure)).toMatch(
      new RegExp(
        `^Could not write the pull request comment \\(403 API rate limit exceeded for user ID 1001\\.\\): GitHub's rate limit for this token is spent until ${resetAt} UTC, longer than slo-gate waits\\.`,
      ),
    );
    expect(explainCommentFailure(failure)).not.toContain('\n');
  });

  it('gives up on a retry-after longer than a minute', async () => {
    api.fail('GET', /^\/user$/, 429, secondary(120));
    expect(await errorOf(client().rest.users.getAuthenticated())).toMatchObject({ status: 429 });
    expect(api.calls).toHaveLength(1);
  });

  it('retries a rate limit three times at most', async () => {
    api.fail('GET', /^\/user$/, 429, { ...secondary(1), times: 10 });
    expect(await errorOf(client().rest.users.getAuthenticated())).toMatchObject({ status: 429 });
    expect(api.calls).toHaveLength(1 + 3);
  });

  it('does not take a rate-limited GET /user for an installation token', async () => {
    api.fail('GET', /^\/user$/, 403, primary(3600));
    expect(await errorOf(resolveTokenIdentity(client()))).toMatchObject({ status: 403 });
    expect(api.calls.some((c) => c.path === '/graphql')).toBe(false);
  });
});

describe('creating the comment', () => {
  const PR = { owner: 'a', repo: 'b', number: 1 };
  const posts = () => callsTo('POST', /\/issues\/1\/comments$/);
  const upsert = () =>
    upsertStickyComment(client(TOKENS.actionsWrite), PR, {
      marker: stickyMarker(''),
      body: 'report',
      createIfMissing: true,
    });

  it('is not retried by the plugin after a 502: the comments are searched again first', async () => {
    api.fail('POST', /comments$/, 502);
    expect(await upsert()).toMatchObject({ action: 'created' });
    const kinds = callsTo('GET|POST', /comments$/);
    expect(kinds.map((c) => `${c.method} ${c.status}`)).toEqual([
      'GET 200',
      'POST 502',
      'GET 200',
      'POST 201',
    ]);
    expect(logged).toEqual([]);
  });

  it('after a 502 that created it anyway, is found by searching again instead of posted twice', async () => {
    api.fail('POST', /comments$/, 502, { afterWork: true });
    expect(await upsert()).toMatchObject({ action: 'created' });
    expect(posts()).toHaveLength(1);
    expect(api.commentsOn('a', 'b', 1)).toHaveLength(1);
  });

  it('after failing twice, is given up: two POSTs, not the plugin’s four each', async () => {
    api.fail('POST', /comments$/, 503, { times: 10 });
    expect(await errorOf(upsert())).toMatchObject({ status: 503 });
    expect(posts()).toHaveLength(2);
    expect(api.commentsOn('a', 'b', 1)).toHaveLength(0);
  });
});
