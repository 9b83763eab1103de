import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { describeGitHubFailure } from '../../src/github/errors.js';
import { resolveTokenIdentity } from '../../src/github/identity.js';
import { DEFAULT_RETRY_POLICY, retryDelayMs, type FailedAttempt } from '../../src/github/retry.js';
import { FakeGitHubApi, TOKENS } from './fake-github-api.js';

const NOW = Date.UTC(2025, 0, 1);
const attempt = (overrides: Partial<FailedAttempt>): FailedAttempt => ({
  method: 'GET',
  url: '/repos/{owner}/{repo}/issues/{issue_number}/comments',
  status: 502,
  headers: {},
  message: 'Bad Gateway',
  answered: true,
  ...overrides,
});

describe('retryDelayMs', () => {
  const policy = DEFAULT_RETRY_POLICY;
  it.each<[string, FailedAttempt, number, number | undefined]>([
    ['a 502 on a GET: 1 s', attempt({}), 0, 1000],
    ['then 2 s', attempt({}), 1, 2000],
    ['then 4 s', attempt({}), 2, 4000],
    ['then gives up', attempt({}), 3, undefined],
    ['a 503 on a PATCH', attempt({ method: 'PATCH', status: 503 }), 0, 1000],
    ['no answer on a GET', attempt({ status: 500, answered: false }), 0, 1000],
    ['not a 502 on a POST: it may have been created', attempt({ method: 'POST' }), 0, undefined],
    ['but a GraphQL read is a POST that is safe', attempt({ method: 'POST', url: '/graphql' }), 0, 1000],
    [
      'never a 403 for permissions',
      attempt({ status: 403, message: 'Resource not accessible by integration' }),
      0,
      undefined,
    ],
    ['never a 404', attempt({ status: 404 }), 0, undefined],
    ['never a 422', attempt({ status: 422 }), 0, undefined],
    ['a 429 after its retry-after', attempt({ status: 429, headers: { 'retry-after': '3' } }), 0, 3000],
    ['even on a POST', attempt({ method: 'POST', status: 429, headers: { 'retry-after': '3' } }), 0, 3000],
    [
      'a 403 secondary rate limit after its retry-after',
      attempt({
        status: 403,
        headers: { 'retry-after': '5' },
        message: 'You have exceeded a secondary rate limit',
      }),
      0,
      5000,
    ],
    [
      'a 403 primary rate limit until the reset',
      attempt({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 20) },
      }),
      0,
      21_000,
    ],
    [
      'not when the reset is an hour away',
      attempt({
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1000 + 3600) },
      }),
      0,
      undefined,
    ],
    [
      'a secondary rate limit without headers: a minute',
      attempt({ status: 403, message: 'secondary rate limit' }),
      0,
      60_000,
    ],
    ['rate limits are bounded too', attempt({ status: 429, headers: { 'retry-after': '1' } }), 3, undefined],
  ])('%s', (_name, failed, retry, expected) => {
    expect(retryDelayMs(failed, retry, policy, NOW)).toBe(expected);
  });
});

describe('retries against the fake GitHub API', () => {
  let api: FakeGitHubApi;
  let waits: number[];
  beforeEach(async () => {
    api = await new FakeGitHubApi().start();
    waits = [];
  });
  afterEach(async () => {
    await api.close();
  });
  const client = (options: { attemptTimeoutMs?: number; baseUrl?: string } = {}) =>
    createGitHubClient(TOKENS.alicePat, {
      baseUrl: options.baseUrl ?? api.url,
      sleep: async (ms) => {
        waits.push(ms);
      },
      ...(options.attemptTimeoutMs ? { retry: { attemptTimeoutMs: options.attemptTimeoutMs } } : {}),
    });
  const list = (octokit: ReturnType<typeof client>) =>
    octokit.paginate(octokit.rest.issues.listComments, {
      owner: 'a',
      repo: 'b',
      issue_number: 1,
      per_page: 100,
    });

  it('retries transient server errors with a growing backoff, inside pagination too', async () => {
    for (let i = 0; i < 150; i++) api.addComment('a', 'b', 1, { login: 'x', id: 1, type: 'User' }, `c${i}`);
    api.fail('GET', /comments$/, 502, { times: 2 });
    const all = await list(client());
    expect(all).toHaveLength(150);
    expect(waits).toEqual([1000, 2000]);
  });

  it('gives up after three retries with the last error', async () => {
    api.fail('GET', /comments$/, 503, { times: 10 });
    await expect(list(client())).rejects.toMatchObject({ status: 503 });
    expect(api.calls).toHaveLength(4);
  });

  it('waits out a 429 for as long as retry-after says', async () => {
    api.fail('GET', /^\/user$/, 429, {
      headers: { 'retry-after': '2' },
      body: { message: 'API rate limit exceeded' },
    });
    const identity = await resolveTokenIdentity(client());
    expect(identity).toMatchObject({ login: 'alice', type: 'User', id: 1001 });
    expect(waits).toEqual([2000]);
  });

  it('does not retry a 403 that is about permissions', async () => {
    api.tokens.get(TOKENS.alicePat)!.canWrite = false;
    const octokit = client();
    const error = await octokit.rest.issues
      .createComment({ owner: 'a', repo: 'b', issue_number: 1, body: 'x' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 403 });
    expect(waits).toEqual([]);
    expect(describeGitHubFailure(error)).toEqual({
      kind: 'forbidden',
      message:
        '403 Resource not accessible by integration - https://docs.github.com/rest/issues/comments#create-an-issue-comment',
    });
  });

  it('abandons an attempt that hangs and tries again', async () => {
    let requests = 0;
    const server = http.createServer((req, res) => {
      requests++;
      if (requests === 1) return; // never answers
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ login: 'alice', id: 1001, type: 'User' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const identity = await resolveTokenIdentity(client({ baseUrl: url, attemptTimeoutMs: 200 }));
      expect(identity.login).toBe('alice');
      expect(requests).toBe(2);
      expect(waits).toEqual([1000]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('explains a bad token as unauthorized, and a network failure as other', async () => {
    const bad = createGitHubClient('ghp_nope', { baseUrl: api.url, sleep: async () => {} });
    const unauthorized = await bad.rest.users.getAuthenticated().catch((e: unknown) => e);
    expect(describeGitHubFailure(unauthorized)).toMatchObject({ kind: 'unauthorized' });
    await api.close();
    const down = await client()
      .rest.users.getAuthenticated()
      .catch((e: unknown) => e);
    expect(describeGitHubFailure(down).kind).toBe('other');
    expect(waits).toEqual([1000, 2000, 4000]);
  });
});
