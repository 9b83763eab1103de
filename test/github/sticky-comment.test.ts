import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { GITHUB_ACTIONS_BOT, isAuthoredBy, type TokenIdentity } from '../../src/github/identity.js';
import {
  findStickyComment,
  hasMarker,
  stickyMarker,
  upsertStickyComment,
  withMarker,
  type IssueComment,
} from '../../src/github/sticky-comment.js';
import {
  ACTIONS_BOT,
  ALICE,
  FakeGitHubApi,
  MALLORY,
  OTHER_BOT,
  TOKENS,
  type FakeUser,
} from './fake-github-api.js';

const PR = { owner: 'acme', repo: 'shop', number: 7 };
const MARKER = stickyMarker('');

let api: FakeGitHubApi;
beforeEach(async () => {
  api = await new FakeGitHubApi().start();
});
afterEach(async () => {
  await api.close();
});

const client = (token: string) =>
  createGitHubClient(token, { baseUrl: api.url, msPerWaitSecond: 1, spaceWrites: false });
const seed = (user: FakeUser, body: string) => api.addComment(PR.owner, PR.repo, PR.number, user, body);
const seedOthers = (n: number) => {
  for (let i = 0; i < n; i++) seed(i % 2 ? ALICE : MALLORY, `comment ${i}: looks good`);
};
const upsert = (token: string, body: string, createIfMissing = true, marker = MARKER) =>
  upsertStickyComment(client(token), PR, { marker, body, createIfMissing });
const comments = () => api.commentsOn(PR.owner, PR.repo, PR.number);

describe('the marker', () => {
  it('is one per gate id, none a prefix of another', () => {
    expect(stickyMarker('')).toBe('<!-- slo-gate:sticky-comment -->');
    expect(stickyMarker('api')).toBe('<!-- slo-gate:sticky-comment id="api" -->');
    const markers = ['', 'a', 'ab', 'api', 'api-v2'].map(stickyMarker);
    for (const m of markers) {
      expect(markers.filter((other) => hasMarker(withMarker('body', other), m))).toEqual([m]);
    }
  });

  it('rejects ids that could close the HTML comment', () => {
    expect(() => stickyMarker('x -->')).toThrow(/invalid gate id/);
    expect(() => stickyMarker('a"b')).toThrow(/invalid gate id/);
  });

  it('counts only as a line of its own, not quoted inside other text', () => {
    expect(hasMarker(`### report\n\n${MARKER}\n`, MARKER)).toBe(true);
    expect(hasMarker(`x\r\n  ${MARKER}  \r\n`, MARKER)).toBe(true);
    expect(hasMarker(`> ${MARKER}`, MARKER)).toBe(false);
    expect(hasMarker(`the bot writes \`${MARKER}\` at the end`, MARKER)).toBe(false);
    expect(hasMarker(null, MARKER)).toBe(false);
  });
});

describe('authorship', () => {
  const user = (login: string, id: number, type = 'User') => ({ login, id, type });
  it.each<[string, TokenIdentity, ReturnType<typeof user>, boolean]>([
    [
      'the GITHUB_TOKEN bot matches its comments',
      GITHUB_ACTIONS_BOT,
      user('github-actions[bot]', 41898282, 'Bot'),
      true,
    ],
    ['whatever the bot id on this host', GITHUB_ACTIONS_BOT, user('github-actions[bot]', 7, 'Bot'), true],
    [
      'not a user who calls themself github-actions',
      GITHUB_ACTIONS_BOT,
      user('github-actions', 9, 'User'),
      false,
    ],
    ['not another app', GITHUB_ACTIONS_BOT, user('other-app[bot]', 5, 'Bot'), false],
    [
      'a user by id',
      { login: 'alice', type: 'User', id: 1001, source: 'GET /user' },
      user('alice', 1001),
      true,
    ],
    [
      'a renamed user by id',
      { login: 'alice', type: 'User', id: 1001, source: 'GET /user' },
      user('alice-old', 1001),
      true,
    ],
    [
      'not another user with the login',
      { login: 'alice', type: 'User', id: 1001, source: 'GET /user' },
      user('alice', 2),
      false,
    ],
    [
      'a user is never a bot',
      { login: 'alice', type: 'User', id: 1001, source: 'GET /user' },
      user('alice[bot]', 1001, 'Bot'),
      false,
    ],
  ])('%s', (_name, identity, author, expected) => {
    expect(isAuthoredBy(author, identity)).toBe(expected);
  });

  it('a deleted account (user null) is nobody', () => {
    expect(isAuthoredBy(null, GITHUB_ACTIONS_BOT)).toBe(false);
  });
});

describe('findStickyComment', () => {
  const comment = (id: number, login: string, body: string, type = 'Bot'): IssueComment => ({
    id,
    body,
    html_url: `https://github.com/x/y/pull/1#issuecomment-${id}`,
    user: { login, id, type },
  });
  async function* pages(...all: IssueComment[][]) {
    yield* all;
  }

  it('skips a marker quoted by someone else and finds ours on a later page', async () => {
    const found = await findStickyComment(
      pages(
        [comment(1, 'mallory', `fake\n${MARKER}`, 'User')],
        [comment(2, 'github-actions[bot]', `real\n${MARKER}`)],
      ),
      MARKER,
      GITHUB_ACTIONS_BOT,
    );
    expect(found?.id).toBe(2);
  });

  it('skips our comments of another gate id', async () => {
    const found = await findStickyComment(
      pages([comment(1, 'github-actions[bot]', `a\n${stickyMarker('api')}`)]),
      MARKER,
      GITHUB_ACTIONS_BOT,
    );
    expect(found).toBeUndefined();
  });
});

describe('upsertStickyComment against the fake GitHub API', () => {
  it('creates the comment the first time and updates it in place after', async () => {
    const first = await upsert(TOKENS.actionsWrite, '### ❌ slo-gate: SLO breached');
    expect(first).toMatchObject({ action: 'created' });
    const second = await upsert(TOKENS.actionsWrite, '### ✅ slo-gate: all SLOs met');
    expect(second).toMatchObject({ action: 'updated', id: (first as { id: number }).id });
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.body).toBe(withMarker('### ✅ slo-gate: all SLOs met', MARKER));
    expect(comments()[0]!.body).not.toContain('❌');
  });

  it('does not write when nothing changed', async () => {
    await upsert(TOKENS.actionsWrite, 'same');
    const writes = api.writes().length;
    expect(await upsert(TOKENS.actionsWrite, 'same')).toMatchObject({ action: 'unchanged' });
    expect(api.writes()).toHaveLength(writes);
  });

  it('pages through 250 other comments to find its own', async () => {
    seedOthers(180);
    const ours = seed(ACTIONS_BOT, withMarker('old report', MARKER));
    seedOthers(70);
    const outcome = await upsert(TOKENS.actionsWrite, 'new report');
    expect(outcome).toMatchObject({ action: 'updated', id: ours.id });
    const lists = api.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/comments'));
    expect(lists.map((c) => c.query.page ?? '1')).toEqual(['1', '2']);
    expect(lists.every((c) => c.query.per_page === '100')).toBe(true);
    expect(comments()).toHaveLength(252 - 1);
  });

  it('leaves another user’s comment that quotes the marker alone', async () => {
    const mallory = seed(MALLORY, withMarker('I am the slo-gate comment, honest', MARKER));
    const outcome = await upsert(TOKENS.actionsWrite, 'report');
    expect(outcome).toMatchObject({ action: 'created' });
    expect(comments().find((c) => c.id === mallory.id)!.body).toContain('honest');
    expect(api.writes().map((c) => c.method)).toEqual(['POST']);
  });

  it('leaves another app’s comment with the marker alone', async () => {
    seed(OTHER_BOT, withMarker('another app', MARKER));
    expect(await upsert(TOKENS.actionsWrite, 'report')).toMatchObject({ action: 'created' });
    expect(comments()).toHaveLength(2);
  });

  it('keeps one comment per gate id', async () => {
    await upsert(TOKENS.actionsWrite, 'api', true, stickyMarker('api'));
    await upsert(TOKENS.actionsWrite, 'web', true, stickyMarker('web'));
    await upsert(TOKENS.actionsWrite, 'api 2', true, stickyMarker('api'));
    expect(comments().map((c) => c.body.split('\n')[0])).toEqual(['api 2', 'web']);
  });

  it('with a personal access token, finds the user’s own comment by id', async () => {
    seed(ALICE, withMarker('alice wrote this by hand', MARKER).replace(MARKER, `> ${MARKER}`));
    const created = await upsert(TOKENS.alicePat, 'report');
    expect(created).toMatchObject({ action: 'created' });
    expect(await upsert(TOKENS.alicePat, 'report 2')).toMatchObject({
      action: 'updated',
      id: (created as { id: number }).id,
    });
    expect(api.calls.filter((c) => c.path === '/user').every((c) => c.status === 200)).toBe(true);
    expect(api.calls.some((c) => c.path === '/graphql')).toBe(false);
  });

  it('with an app token, finds the app bot’s comment through GraphQL viewer', async () => {
    const created = await upsert(TOKENS.otherApp, 'report');
    expect(await upsert(TOKENS.otherApp, 'report 2')).toMatchObject({
      action: 'updated',
      id: (created as { id: number }).id,
    });
    expect(comments()).toHaveLength(1);
    expect(comments()[0]!.user.login).toBe('other-app[bot]');
  });

  it('falls back to github-actions[bot] when GraphQL fails for an installation token', async () => {
    api.tokens.get(TOKENS.actionsWrite)!.graphqlFails = true;
    const created = await upsert(TOKENS.actionsWrite, 'report');
    expect(await upsert(TOKENS.actionsWrite, 'report 2')).toMatchObject({
      action: 'updated',
      id: (created as { id: number }).id,
    });
  });

  it('with comment: on-failure after a pass, updates an existing comment but creates none', async () => {
    expect(await upsert(TOKENS.actionsWrite, 'pass', false)).toEqual({ action: 'skipped' });
    expect(comments()).toHaveLength(0);
    await upsert(TOKENS.actionsWrite, 'fail');
    expect(await upsert(TOKENS.actionsWrite, 'pass', false)).toMatchObject({ action: 'updated' });
    expect(comments()[0]!.body).toMatch(/^pass/);
  });

  it('throws the 403 of a read-only token', async () => {
    await expect(upsert(TOKENS.actionsReadOnly, 'report')).rejects.toMatchObject({ status: 403 });
    expect(comments()).toHaveLength(0);
  });

  it('searches again before repeating a create that failed with a 502, so it never posts twice', async () => {
    // GitHub created the comment, but the proxy in front of it answered 502.
    api.fail('POST', /\/issues\/7\/comments$/, 502, { afterWork: true });
    const outcome = await upsert(TOKENS.actionsWrite, 'report');
    expect(outcome).toMatchObject({ action: 'created', id: comments()[0]!.id });
    expect(comments()).toHaveLength(1);
    const kinds = api.calls.filter((c) => c.path.endsWith('/comments')).map((c) => `${c.method} ${c.status}`);
    expect(kinds).toEqual(['GET 200', 'POST 502', 'GET 200']);
  });

  it('creates again when the 502 was real and nothing was created', async () => {
    api.fail('POST', /\/issues\/7\/comments$/, 502);
    expect(await upsert(TOKENS.actionsWrite, 'report')).toMatchObject({ action: 'created' });
    expect(comments()).toHaveLength(1);
    const kinds = api.calls.filter((c) => c.path.endsWith('/comments')).map((c) => `${c.method} ${c.status}`);
    expect(kinds).toEqual(['GET 200', 'POST 502', 'GET 200', 'POST 201']);
  });

  it('gives up after a second failed create', async () => {
    api.fail('POST', /\/issues\/7\/comments$/, 503, { times: 5 });
    await expect(upsert(TOKENS.actionsWrite, 'report')).rejects.toMatchObject({ status: 503 });
    expect(api.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/comments'))).toHaveLength(2);
  });
});
