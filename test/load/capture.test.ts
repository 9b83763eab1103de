import { describe, expect, it } from 'vitest';
import { extractCapture } from '../../src/load/capture.js';

const body = JSON.stringify({
  access_token: 'tok-123',
  data: { token: 'nested', count: 7, flag: false, empty: '', none: null, obj: { a: 1 } },
  items: [{ id: 41 }, { id: 42 }],
});

describe('extractCapture from the JSON body', () => {
  it.each([
    { path: 'access_token', value: 'tok-123' },
    { path: 'data.token', value: 'nested' },
    // Numbers and booleans are captured as their JSON text, objects as JSON.
    { path: 'data.count', value: '7' },
    { path: 'data.flag', value: 'false' },
    { path: 'data.obj', value: '{"a":1}' },
    { path: 'items.0.id', value: '41' },
    { path: 'items.1.id', value: '42' },
  ])('$path → $value', ({ path, value }) => {
    expect(extractCapture({ json: path }, { headers: {}, body })).toEqual({ ok: true, value });
  });

  it.each([
    { path: 'missing', why: 'json missing: the body has no missing' },
    { path: 'data.missing', why: 'json data.missing: the body has no data.missing' },
    { path: 'access_token.x', why: 'json access_token.x: the body has no access_token.x' },
    { path: 'items.2.id', why: 'json items.2.id: items.2 is not in a list of 2' },
    { path: 'items.first', why: 'json items.first: items.first is not in a list of 2' },
    { path: 'data.empty', why: 'json data.empty: the value is empty' },
    { path: 'data.none', why: 'json data.none: the value is null' },
    // An inherited property is not in the body.
    { path: 'data.toString', why: 'json data.toString: the body has no data.toString' },
  ])('$path finds nothing', ({ path, why }) => {
    expect(extractCapture({ json: path }, { headers: {}, body })).toEqual({ ok: false, why });
  });

  it('says when the body is not JSON', () => {
    expect(extractCapture({ json: 'token' }, { headers: {}, body: '<html>' })).toEqual({
      ok: false,
      why: 'json token: the body is not JSON',
    });
  });
});

describe('extractCapture from a header', () => {
  it.each([
    { name: 'x-token', headers: { 'x-token': 'abc' }, value: 'abc' },
    { name: 'X-Token', headers: { 'x-token': 'abc' }, value: 'abc' },
    // Set-Cookie: each cookie's name=value, attributes dropped, ready to send as a Cookie header.
    {
      name: 'set-cookie',
      headers: { 'set-cookie': ['sid=s1; Path=/; HttpOnly', 'theme=dark'] },
      value: 'sid=s1; theme=dark',
    },
  ])('$name → $value', ({ name, headers, value }) => {
    expect(extractCapture({ header: name }, { headers, body: '' })).toEqual({ ok: true, value });
  });

  it.each([
    { headers: {}, why: 'header x-token: the response has none' },
    { headers: { 'x-token': '' }, why: 'header x-token: the response has none' },
  ])('missing → $why', ({ headers, why }) => {
    expect(extractCapture({ header: 'x-token' }, { headers, body: '' })).toEqual({ ok: false, why });
  });
});
