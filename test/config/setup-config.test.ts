/** `setup` in slo-gate.yml: steps, captures and `{{ name }}` checked before boot, every bad form one line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { GateError } from '../../src/errors.js';

const source = 'slo-gate.yml';
const env = { ADMIN_PASSWORD: 'hunter22' };

function errorOf(text: string): string {
  try {
    parseConfig(text, source, env);
  } catch (error) {
    if (error instanceof GateError) return error.message;
    throw error;
  }
  throw new Error('expected a config error');
}

const login = `setup:
  - name: log in
    method: POST
    path: /login
    body: { user: admin, password: '\${ADMIN_PASSWORD}' }
    expect-status: 200
    capture:
      token: { json: access_token }
      session: { header: set-cookie }
`;

describe('setup config', () => {
  it('maps steps, encodes bodies and lets endpoints use captured names', () => {
    const config = parseConfig(
      `target: http://127.0.0.1:3000\n${login}endpoints:\n  - path: /me\n    headers: { authorization: 'Bearer {{ token }}', cookie: '{{ session }}' }\n`,
      source,
      env,
    );
    expect(config.setup).toEqual([
      {
        name: 'log in',
        method: 'POST',
        path: '/login',
        headers: { 'content-type': 'application/json' },
        body: '{"user":"admin","password":"hunter22"}',
        expectStatus: [200],
        capture: { token: { json: 'access_token' }, session: { header: 'set-cookie' } },
        perConnection: false,
      },
    ]);
    expect(config.endpoints[0]!.templates?.headers).toEqual({
      authorization: ['Bearer ', { kind: 'name', name: 'token' }],
      cookie: [{ kind: 'name', name: 'session' }],
    });
    expect(config.secrets).toEqual(['hunter22']);
  });

  it('names a step "METHOD path" by default and compiles its templates', () => {
    const config = parseConfig(
      `target: http://127.0.0.1:3000
setup:
  - { path: /a, capture: { t: { json: t } } }
  - { method: post, path: '/b/{{ t }}' }
endpoints: [{ path: /x }]
`,
      source,
      env,
    );
    expect(config.setup!.map((s) => s.name)).toEqual(['GET /a', 'POST /b/{{ t }}']);
    expect(config.setup![1]!.templates?.path).toEqual(['/b/', { kind: 'name', name: 't' }]);
  });

  it('keeps a config without setup exactly as before', () => {
    const config = parseConfig('target: http://127.0.0.1:3000\nendpoints: [{ path: /x }]\n', source, env);
    expect('setup' in config).toBe(false);
  });

  it.each([
    {
      what: 'a template naming a capture nobody makes',
      text: `target: http://127.0.0.1:3000\n${login}endpoints:\n  - path: /me\n    headers: { authorization: 'Bearer {{ tokn }}' }\n`,
      error: 'slo-gate.yml:13:31: endpoints[0].headers.authorization: "{{ tokn }}" is unknown',
    },
    {
      what: 'a step using what a later step captures',
      text: `target: http://127.0.0.1:3000
setup:
  - { path: '/a/{{ t }}' }
  - { path: /b, capture: { t: { json: t } } }
endpoints: [{ path: /x }]
`,
      error:
        'slo-gate.yml:3:13: setup[0].path: "{{ t }}" is captured by setup[1], which has not run yet when this step is sent',
    },
    {
      what: 'a step using what it captures itself',
      text: `target: http://127.0.0.1:3000
setup:
  - { path: '/a/{{ t }}', capture: { t: { json: t } } }
endpoints: [{ path: /x }]
`,
      error: 'setup[0].path: "{{ t }}" is captured by setup[0], which has not run yet',
    },
    {
      what: 'a step sent once using a per-connection capture',
      text: `target: http://127.0.0.1:3000
setup:
  - { path: /a, per-connection: true, capture: { t: { json: t } } }
  - { path: '/b/{{ t }}' }
endpoints: [{ path: /x }]
`,
      error:
        'slo-gate.yml:4:13: setup[1].path: "{{ t }}" is captured per connection by setup[0]; a step sent once cannot use it (make this step per-connection: true too)',
    },
    {
      what: 'per-connection that is not true or false',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a, per-connection: yes please }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0].per-connection: expected true or false, got',
    },
    {
      what: 'a name captured twice',
      text: `target: http://127.0.0.1:3000
setup:
  - { name: one, path: /a, capture: { t: { json: t } } }
  - { name: two, path: /b, capture: { t: { header: x-t } } }
endpoints: [{ path: /x }]
`,
      error:
        'slo-gate.yml:4:39: setup[1].capture.t: "t" is already captured by setup[0]; a name is captured once',
    },
    {
      what: 'a capture named like a built-in',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a, capture: { seq: { json: n } } }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0].capture.seq: "seq" is a built-in template name',
    },
    {
      what: 'two steps with one name',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a }\n  - { path: /a }\nendpoints: [{ path: /x }]\n`,
      error:
        'slo-gate.yml:4:5: setup[1]: its default name "GET /a" (method and path) is already the name of setup[0]',
    },
    {
      what: 'a capture that is neither json nor header',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a, capture: { t: { body: x } } }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0].capture.t: expected { json: dot.path } or { header: name }',
    },
    {
      what: 'a capture name that cannot be a template',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a, capture: { 'a.b': { json: x } } }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0].capture',
    },
    {
      what: 'an unknown key in a step',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { path: /a, slo: { p95: 1s } }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0]',
    },
    {
      what: 'a step without a path',
      text: `target: http://127.0.0.1:3000\nsetup:\n  - { name: x }\nendpoints: [{ path: /x }]\n`,
      error: 'setup[0].path',
    },
    {
      what: 'setup that is not a list',
      text: `target: http://127.0.0.1:3000\nsetup: { path: /a }\nendpoints: [{ path: /x }]\n`,
      error: 'setup: expected a list of setup requests, each with a path',
    },
  ])('rejects $what in one line', ({ text, error }) => {
    const message = errorOf(text);
    expect(message).toContain(error);
    expect(message).not.toContain('\n');
    expect(message).toMatch(/^slo-gate\.yml:\d+:\d+: /);
  });

  it('checks the data fields a setup step uses, naming the data file and line', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'slo-gate-setup-data-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(path.join(dir, 'users.csv'), 'id,login\n1,ann\n');
    const text = `target: http://127.0.0.1:3000
data: { users: { file: users.csv } }
setup:
  - { method: POST, path: /login, body: { user: '{{ users.name }}' } }
endpoints: [{ path: /x }]
`;
    const file = path.join(dir, 'slo-gate.yml');
    expect(() => parseConfig(text, file, env)).toThrow(
      `${path.join(dir, 'users.csv')}:2: the row has no field "name" (the header row names id, login), which setup[0].body uses`,
    );
    const good = parseConfig(text.replace('users.name', 'users.login'), file, env);
    expect(good.setup![0]!.templates?.dataSets).toEqual(['users']);
  });
});
