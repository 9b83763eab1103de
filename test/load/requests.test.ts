/** Table tests of what a templated request is, byte for byte: no sockets. */
import { describe, expect, it } from 'vitest';
import { parseTemplate } from '../../src/config/template.js';
import type { DataSetConfig, EndpointTemplates } from '../../src/config/types.js';
import { DataCursors, RequestSource, type RequestShape } from '../../src/load/requests.js';

const sets: Record<string, DataSetConfig> = {
  users: {
    name: 'users',
    file: 'u.csv',
    order: 'sequential',
    rows: [
      { name: 'ann', id: '1' },
      { name: 'bo b', id: '2' },
    ],
  },
  items: {
    name: 'items',
    file: 'i.jsonl',
    order: 'unique',
    rows: [
      { id: 7, tag: '007' },
      { id: 8, tag: 'x"y' },
    ],
  },
  picks: {
    name: 'picks',
    file: 'p.json',
    order: 'random',
    rows: [{ v: 'a' }, { v: 'b' }, { v: 'c' }, { v: 'd' }],
  },
};

/** A random source that returns the given numbers in turn. */
const sequence = (...values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length]!;
};

describe('DataCursors', () => {
  it.each([
    { set: 'users', random: [0], taken: ['ann', 'bo b', 'ann', 'bo b', 'ann'] },
    { set: 'picks', random: [0.99, 0, 0.5, 0.25], taken: ['d', 'a', 'c', 'b', 'd'] },
    { set: 'items', random: [0], taken: [7, 8, undefined, undefined, undefined] },
  ])('$set: order $set', ({ set, random, taken }) => {
    const cursors = new DataCursors(sets, sequence(...random));
    const field = set === 'items' ? 'id' : set === 'users' ? 'name' : 'v';
    expect(taken.map(() => cursors.take(set)?.[field])).toEqual(taken);
    expect(cursors.exhausted.has(set)).toBe(set === 'items');
  });

  it('counts seq per key from 1 over the run', () => {
    const cursors = new DataCursors(sets);
    expect([cursors.nextSeq('a'), cursors.nextSeq('a'), cursors.nextSeq('b'), cursors.nextSeq('a')]).toEqual([
      1, 2, 1, 3,
    ]);
  });
});

const templatesOf = (parts: Partial<EndpointTemplates>): EndpointTemplates => ({
  headers: {},
  dataSets: [],
  ...parts,
});

function shape(overrides: Partial<RequestShape>): RequestShape {
  return {
    name: 'e',
    method: 'GET',
    target: 'http://127.0.0.1:3000',
    path: '/',
    headers: { 'accept-encoding': '' },
    templates: templatesOf({}),
    ...overrides,
  };
}

const texts = (source: RequestSource, n: number) =>
  Array.from({ length: n }, () => source.next()?.toString());

describe('RequestSource', () => {
  it.each([
    {
      name: 'a path field, URL-encoded, rows in order',
      shape: shape({
        path: '/u/{{ users.name }}',
        templates: templatesOf({ path: parseTemplate('/u/{{ users.name }}'), dataSets: ['users'] }),
      }),
      requests: [
        'GET /u/ann HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\n\r\n',
        'GET /u/bo%20b HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\n\r\n',
      ],
    },
    {
      name: 'a target with a path prefixes the templated path',
      shape: shape({
        target: 'http://h:1/api',
        path: '/n/{{ seq }}',
        templates: templatesOf({ path: parseTemplate('/n/{{ seq }}') }),
      }),
      requests: [
        'GET /api/n/1 HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\n\r\n',
        'GET /api/n/2 HTTP/1.1\r\nHost: h:1\r\nConnection: keep-alive\r\n\r\n',
      ],
    },
    {
      name: 'path and header from the same row; fixed headers kept; default accept-encoding',
      shape: shape({
        path: '/u/{{ users.id }}',
        headers: { 'x-user': '{{ users.name }}', 'x-fixed': 'f' },
        templates: templatesOf({
          path: parseTemplate('/u/{{ users.id }}'),
          headers: { 'x-user': parseTemplate('{{ users.name }}') },
          dataSets: ['users'],
        }),
      }),
      requests: [
        'GET /u/1 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\naccept-encoding: gzip, deflate\r\nx-fixed: f\r\nx-user: ann\r\n\r\n',
        'GET /u/2 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\naccept-encoding: gzip, deflate\r\nx-fixed: f\r\nx-user: bo b\r\n\r\n',
      ],
    },
    {
      name: 'a JSON body: whole templates keep their type, mixed ones are strings; unique stops',
      shape: shape({
        method: 'POST',
        path: '/o',
        templates: templatesOf({
          body: [
            '{"id":',
            { template: parseTemplate('{{ items.id }}'), as: 'json' },
            ',"tag":',
            { template: parseTemplate('{{ items.tag }}'), as: 'json' },
            ',"n":',
            { template: parseTemplate('{{ seq }}'), as: 'json' },
            ',"label":',
            { template: parseTemplate('#{{ items.id }}'), as: 'json' },
            '}',
          ],
          dataSets: ['items'],
        }),
      }),
      requests: [
        'POST /o HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\nContent-Length: 39\r\n\r\n{"id":7,"tag":"007","n":1,"label":"#7"}',
        'POST /o HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\nContent-Length: 40\r\n\r\n{"id":8,"tag":"x\\"y","n":2,"label":"#8"}',
        undefined,
      ],
    },
    {
      name: 'a form body is URL-encoded; Content-Length counts bytes',
      shape: shape({
        method: 'POST',
        path: '/f',
        templates: templatesOf({
          body: ['who=', { template: parseTemplate('{{ users.name }}é'), as: 'form' }],
          dataSets: ['users'],
        }),
      }),
      requests: [
        'POST /f HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\nContent-Length: 13\r\n\r\nwho=ann%C3%A9',
        'POST /f HTTP/1.1\r\nHost: 127.0.0.1:3000\r\nConnection: keep-alive\r\nContent-Length: 14\r\n\r\nwho=bo+b%C3%A9',
      ],
    },
    {
      name: 'random-int within its bounds, from the random source',
      shape: shape({
        path: '/r/{{ random-int 1 5 }}',
        templates: templatesOf({ path: parseTemplate('/r/{{ random-int 1 5 }}') }),
      }),
      requests: ['GET /r/1 HTTP/1.1', 'GET /r/5 HTTP/1.1', 'GET /r/3 HTTP/1.1'],
      prefixOnly: true,
    },
  ])('$name', ({ shape: s, requests, prefixOnly }) => {
    const source = new RequestSource(s, new DataCursors(sets, sequence(0, 0.999, 0.5)));
    const got = texts(source, requests.length);
    expect(prefixOnly ? got.map((t) => t?.split('\r\n')[0]) : got).toEqual(requests);
  });
});

describe('RequestSource against the prebuilt request', () => {
  it('writes the same bytes as autocannon builds for the same values', async () => {
    const { GateClient } = await import('../../src/load/gate-client.js');
    const client = new GateClient(
      {
        url: 'http://127.0.0.1:3000/x/1',
        method: 'POST',
        headers: { 'x-a': 'b', 'content-type': 'application/json' },
        body: '{"id":"1"}',
        requestTimeoutMs: 1000,
      },
      () => {},
    );
    const prebuilt = client.getRequestBuffer().toString();
    client.destroy();
    const source = new RequestSource(
      shape({
        method: 'POST',
        path: '/x/{{ users.id }}',
        headers: { 'x-a': 'b', 'content-type': 'application/json' },
        templates: templatesOf({
          path: parseTemplate('/x/{{ users.id }}'),
          body: ['{"id":', { template: parseTemplate('{{ users.id }}'), as: 'json' }, '}'],
          dataSets: ['users'],
        }),
      }),
      new DataCursors(sets),
    );
    expect(source.next()!.toString()).toBe(prebuilt);
  });
});
