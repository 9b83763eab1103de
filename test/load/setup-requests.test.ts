/**
 * Setup requests end to end: a config with `setup` and `{{ token }}`, run through runFromConfigFile (the
 * CLI's path: log, JSON and markdown reports) against real servers on 127.0.0.1 that issue a token at
 * /login and refuse /me without the very token they issued.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { MemoryLogger } from '../../src/log.js';
import { renderTerminal } from '../../src/report/terminal.js';
import { runFromConfigFile } from '../../src/run.js';
import { startServer, type TestServer } from '../helpers/servers.js';

const dir = mkdtempSync(path.join(tmpdir(), 'slo-gate-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const PASSWORD = 'pw-secret-9';

interface AuthServer {
  server: TestServer;
  /** The tokens it issued, in order. */
  issued: string[];
  /** Requests to /me, and how many carried a token it issued. */
  me: { total: number; authorized: number };
}

/**
 * POST /login { user, password } → { access_token } and a session cookie; GET /me needs "Bearer <a token
 * this server issued>"; GET /whoami answers 403 with the caller's token in its body (a leak to mask).
 */
async function authServer(loginStatus = 200): Promise<AuthServer> {
  const issued: string[] = [];
  const me = { total: 0, authorized: 0 };
  const server = await startServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (req.url === '/login' && req.method === 'POST') {
        const credentials = JSON.parse(body) as { user?: string; password?: string };
        if (loginStatus !== 200 || credentials.password !== PASSWORD) {
          res.writeHead(loginStatus === 200 ? 401 : loginStatus, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: 'bad credentials', got: credentials.password }));
          return;
        }
        const token = `tok-${randomUUID()}`;
        issued.push(token);
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'sid=s-1; Path=/' });
        res.end(JSON.stringify({ access_token: token }));
      } else if (req.url === '/me') {
        me.total++;
        const ok = bearer !== undefined && issued.includes(bearer) && req.headers.cookie === 'sid=s-1';
        if (ok) me.authorized++;
        res.writeHead(ok ? 200 : 401);
        res.end(ok ? 'admin' : 'no');
      } else if (req.url === '/whoami') {
        res.writeHead(403);
        res.end(`token ${bearer} lacks the scope`);
      } else {
        res.writeHead(404);
        res.end();
      }
    });
  });
  servers.push(server);
  return { server, issued, me };
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

const me = `endpoints:
  - name: me
    path: /me
    headers: { authorization: 'Bearer {{ token }}', cookie: '{{ session }}' }
`;

async function run(yaml: string) {
  const configPath = path.join(dir, `${randomUUID()}.yml`);
  writeFileSync(configPath, yaml);
  const log = new MemoryLogger();
  const outcome = await runFromConfigFile({ configPath, env: { ADMIN_PASSWORD: PASSWORD }, log });
  return { ...outcome, log: log.lines.join('\n'), terminal: renderTerminal(outcome.result) };
}

const load = 'load: { connections: 2, warmup: 0s, duration: 1s, request-timeout: 2s }';

describe('setup requests', () => {
  it('logs in once and sends the token it got on every request', async () => {
    const auth = await authServer();
    const outcome = await run(`target: ${auth.server.url}\n${load}\n${login}${me}`);
    expect(outcome.result.reason).toBeUndefined();
    expect(auth.issued).toHaveLength(1);
    const [endpoint] = outcome.result.endpoints;
    expect(endpoint!.errors).toBe(0);
    expect(endpoint!.requests).toBeGreaterThan(10);
    expect(auth.me.authorized).toBe(auth.me.total);
    expect(outcome.result.setup).toEqual([
      { name: 'log in', status: 200, latencyMs: expect.any(Number), captured: ['token', 'session'] },
    ]);
    expect(outcome.exitCode).toBe(0);
    for (const text of [outcome.json, outcome.markdown, outcome.terminal, outcome.log])
      expect(text).not.toContain(auth.issued[0]);
    expect(outcome.log).toContain('setup log in: 200 in');
  });

  it('fills the token into a mixed load too: every endpoint of the mix is authorized', async () => {
    const auth = await authServer();
    const mixed = 'load: { mode: mixed, connections: 2, warmup: 0s, duration: 1s, request-timeout: 2s }';
    const endpoints = `${me.trimEnd()}\n    weight: 3\n  - { name: nothing here, path: /missing, expect-status: 404 }\n`;
    const outcome = await run(`target: ${auth.server.url}\n${mixed}\n${login}${endpoints}`);
    expect(outcome.result.reason).toBeUndefined();
    expect(auth.issued).toHaveLength(1);
    const [meResult, missing] = outcome.result.endpoints;
    expect(meResult!.requests).toBeGreaterThan(10);
    expect(meResult!.errors).toBe(0);
    expect(missing!.requests).toBeGreaterThan(3);
    expect(auth.me.authorized).toBe(auth.me.total);
    expect(outcome.result.mix?.requests).toBe(meResult!.requests + missing!.requests);
    for (const text of [outcome.json, outcome.markdown, outcome.terminal, outcome.log])
      expect(text).not.toContain(auth.issued[0]);
  });

  it('ends the run at a failed login: exit 3, the step, its status and the body redacted', async () => {
    const auth = await authServer(401);
    const outcome = await run(`target: ${auth.server.url}\n${load}\n${login}${me}`);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.result.verdict).toBe('failed');
    expect(outcome.result.reason).toBe(
      'setup "log in" failed: status 401, expected 200; body: {"error":"bad credentials","got":"***"}',
    );
    expect(outcome.result.endpoints).toEqual([]);
    expect(auth.me.total).toBe(0);
    expect(outcome.result.setup).toEqual([
      { name: 'log in', status: 401, latencyMs: expect.any(Number), captured: [] },
    ]);
    expect(outcome.json).not.toContain(PASSWORD);
  });

  it('ends the run when a step gets no answer within request-timeout', async () => {
    // Accepts the request and never answers.
    const silent = await startServer(() => {});
    servers.push(silent);
    const startedAt = Date.now();
    const outcome = await run(
      `target: ${silent.url}\nload: { connections: 1, duration: 1s, request-timeout: 300ms }\n${login}${me}`,
    );
    expect(Date.now() - startedAt).toBeLessThan(2000);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.result.reason).toBe('setup "log in" failed: no answer within 300 ms (request-timeout)');
    expect(outcome.result.setup).toEqual([
      { name: 'log in', status: 0, latencyMs: expect.any(Number), captured: [] },
    ]);
  });

  it('fails a capture that finds nothing, naming it', async () => {
    const auth = await authServer();
    const yaml = `target: ${auth.server.url}\n${load}\n${login.replace('json: access_token', 'json: data.token')}${me}`;
    const outcome = await run(yaml);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.result.reason).toMatch(
      /^setup "log in" failed: status 200, capture token found nothing \(json data\.token: the body has no data\); body: \{"access_token":"tok-[0-9a-f-]+"\}$/,
    );
  });

  it('masks a captured value everywhere, even one a later step echoes back', async () => {
    const auth = await authServer();
    const yaml = `target: ${auth.server.url}\n${load}\n${login}  - name: who\n    path: /whoami\n    headers: { authorization: 'Bearer {{ token }}' }\n${me}`;
    const outcome = await run(yaml);
    const token = auth.issued[0]!;
    expect(outcome.result.reason).toBe(
      'setup "who" failed: status 403, expected a 2xx; body: token *** lacks the scope',
    );
    expect(outcome.log).not.toContain(token);
    for (const text of [outcome.json, outcome.markdown, outcome.terminal]) {
      expect(text).not.toContain(token);
      // Markdown escapes the stars.
      expect(text.replaceAll('\\*', '*')).toContain('token *** lacks the scope');
    }
  });

  it('with a baseline, logs in to each side and sends each side its own token', async () => {
    const head = await authServer();
    const base = await authServer();
    const yaml = [
      `target: ${head.server.url}`,
      load,
      `baseline: { target: '${base.server.url}', rounds: 2, round-duration: 300ms }`,
      login + me,
    ].join('\n');
    const outcome = await run(yaml);
    expect(outcome.result.reason).toBeUndefined();
    expect([head.issued.length, base.issued.length]).toEqual([1, 1]);
    expect(head.issued[0]).not.toBe(base.issued[0]);
    expect(head.me.total).toBeGreaterThan(0);
    expect(base.me.total).toBeGreaterThan(0);
    expect(head.me.authorized).toBe(head.me.total);
    expect(base.me.authorized).toBe(base.me.total);
    expect(outcome.result.setup?.map((s) => [s.side, s.name, s.status])).toEqual([
      ['head', 'log in', 200],
      ['base', 'log in', 200],
    ]);
    for (const text of [outcome.json, outcome.markdown, outcome.log])
      for (const token of [...head.issued, ...base.issued]) expect(text).not.toContain(token);
  });

  it('fills a step from a data row, and refuses a captured value with a line break', async () => {
    const logins: string[] = [];
    const server = await startServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        logins.push(body);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ access_token: 'line-one\nline-two' }));
      });
    });
    servers.push(server);
    writeFileSync(path.join(dir, 'users.csv'), 'name\nalice-user\nbob-user\n');
    const yaml = [
      `target: ${server.url}`,
      load,
      'data: { users: { file: users.csv } }',
      'setup:',
      "  - { name: log in, method: POST, path: /login, body: { user: '{{ users.name }}' }, capture: { token: { json: access_token } } }",
      me.replace(", cookie: '{{ session }}'", ''),
    ].join('\n');
    const outcome = await run(yaml);
    expect(logins).toEqual(['{"user":"alice-user"}']);
    expect(outcome.exitCode).toBe(3);
    expect(outcome.result.reason).toMatch(
      /^setup "log in" failed: status 200, capture token has a line break, which cannot go in a request; body: /,
    );
  });

  it('per-connection: each connection logs in as its own user and keeps its own token', async () => {
    // A token is good on the first socket that uses it only: one token on many connections is refused.
    const tokenSocket = new Map<string, object>();
    const users: string[] = [];
    let refused = 0;
    let served = 0;
    const server = await startServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        if (req.url === '/login') {
          users.push((JSON.parse(body) as { user: string }).user);
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ access_token: `tok-${randomUUID()}` }));
          return;
        }
        const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ?? '';
        const owner = tokenSocket.get(token);
        if (token && (owner === undefined || owner === req.socket)) {
          tokenSocket.set(token, req.socket);
          served++;
          res.end('ok');
        } else {
          refused++;
          res.writeHead(401);
          res.end('token used on another connection');
        }
      });
    });
    servers.push(server);
    writeFileSync(path.join(dir, 'people.csv'), 'name\nann-user\nbob-user\ncid-user\ndee-user\n');
    const yaml = [
      `target: ${server.url}`,
      'load: { connections: 3, warmup: 0s, duration: 1s, request-timeout: 2s }',
      'data: { people: { file: people.csv, order: unique } }',
      'setup:',
      "  - { name: log in, method: POST, path: /login, per-connection: true, body: { user: '{{ people.name }}' }, capture: { token: { json: access_token } } }",
      'endpoints:',
      "  - { name: me, path: /me, headers: { authorization: 'Bearer {{ token }}' } }",
    ].join('\n');
    const outcome = await run(yaml);
    expect(outcome.result.reason).toBeUndefined();
    expect(users).toEqual(['ann-user', 'bob-user', 'cid-user']);
    expect(tokenSocket.size).toBe(3);
    expect(refused).toBe(0);
    expect(served).toBeGreaterThan(10);
    expect(outcome.result.endpoints[0]!.errors).toBe(0);
    expect(outcome.result.setup?.map((s) => [s.name, s.connection, s.status, s.captured])).toEqual([
      ['log in', 0, 200, ['token']],
      ['log in', 1, 200, ['token']],
      ['log in', 2, 200, ['token']],
    ]);
    for (const token of tokenSocket.keys()) expect(outcome.json + outcome.log).not.toContain(token);
  });
});
