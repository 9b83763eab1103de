/**
 * The CLI end to end, as users run it: bin/slo-gate.js (the committed bundle) on the machine's node,
 * against real services on 127.0.0.1.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, SERVERS_DIR, startServer } from '../helpers/servers.js';

const BIN = path.resolve('bin/slo-gate.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  dir: string;
  elapsedMs: number;
}

/** Every folder writeConfig made, removed once the file's tests are done. */
const tempDirs: string[] = [];
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Writes slo-gate.yml into a fresh folder, with __PORT__ a free port and SERVERS the test servers' folder. */
async function writeConfig(config: string): Promise<{ dir: string; port: number }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-cli-'));
  tempDirs.push(dir);
  const port = await freePort();
  await writeFile(
    path.join(dir, 'slo-gate.yml'),
    config.replaceAll('__PORT__', String(port)).replaceAll('SERVERS', SERVERS_DIR),
  );
  return { dir, port };
}

/** Runs the CLI on `config` (see writeConfig) in its folder. */
async function runCli(
  config: string,
  args: string[] = [],
  env: Record<string, string> = {},
  command = 'run',
): Promise<Run> {
  const { dir } = await writeConfig(config);
  const started = Date.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, command, ...args],
      { cwd: dir, env: { ...process.env, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? ((error as { code?: number }).code ?? null) : 0;
        resolve({
          code: typeof code === 'number' ? code : null,
          stdout,
          stderr,
          dir,
          elapsedMs: Date.now() - started,
        });
      },
    );
  });
}

const service = (env: string, extra = '') => `
target: http://127.0.0.1:__PORT__
service:
  command: node SERVERS/service.mjs
  env: { PORT: "__PORT__"${env ? `, ${env}` : ''} }
  ready: { timeout: 10s }
  stop-timeout: 2s
load: { duration: 500ms, warmup: 0s, connections: 4 }
${extra}`;

describe('slo-gate run', () => {
  it('exits 0 when every SLO is met, and writes the JSON and markdown reports', async () => {
    const run = await runCli(
      service(
        'DELAY_MS: "2", VERSION: "v1.2.3"',
        `
slo: { p95: 500ms, error-rate: 1% }
endpoints:
  - path: /work
  - name: work again
    path: /work
    headers: { x-tenant: "\${TENANT}" }
    slo: { p99: 1s, min-rps: 10 }
`,
      ),
      ['--report', 'out/report.json', '--markdown', 'out/report.md'],
      { TENANT: 'eu' },
    );
    expect(run.stderr).toContain('ready after');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('PASSED: all SLOs met on 2 endpoints');
    const report = JSON.parse(await readFile(path.join(run.dir, 'out/report.json'), 'utf8'));
    expect(report).toMatchObject({
      passed: true,
      target: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      service: { version: 'v1.2.3' },
    });
    expect(report.endpoints).toHaveLength(2);
    const [first, second] = report.endpoints;
    expect(first).toMatchObject({
      name: 'GET /work',
      method: 'GET',
      path: '/work',
      errors: 0,
      errorRate: 0,
      passed: true,
    });
    expect(first.requests).toBeGreaterThan(50);
    expect(first.statusCodes['200']).toBe(first.requests);
    expect(first.latencyMs.p95).toBeGreaterThan(1);
    expect(Object.keys(first.latencyMs)).toEqual(
      expect.arrayContaining(['p50', 'p90', 'p95', 'p99', 'max', 'mean']),
    );
    expect(first.checks.map((c: { metric: string }) => c.metric)).toEqual(['p95', 'error-rate']);
    expect(second.checks.map((c: { metric: string }) => c.metric)).toEqual([
      'p95',
      'p99',
      'error-rate',
      'min-rps',
    ]);
    // What the comment's charts draw, as data: each p95 as a share of its own target.
    expect(report.charts.p95ShareOfTarget.map((s: { endpoint: string }) => s.endpoint)).toEqual([
      'GET /work',
      'work again',
    ]);
    expect(report.charts.p95ShareOfTarget[0].percentOfTarget).toBeCloseTo(
      (first.latencyMs.p95 / first.checks[0].limit) * 100,
      0,
    );
    const markdown = await readFile(path.join(run.dir, 'out/report.md'), 'utf8');
    expect(markdown).toContain('all SLOs met');
    // A value too short to mask is used as it is, and said so, rather than turning every "eu" into ***.
    const tooShort = '${TENANT} is under 4 characters, too short to mask';
    expect(run.stdout).toContain(tooShort);
    expect(report.warnings).toEqual([expect.stringContaining(tooShort)]);
    expect(markdown).toContain(tooShort);
  });

  it('redacts secrets in the service log it writes, line by line', async () => {
    const run = await runCli(
      service('API_TOKEN: "${API_TOKEN}"', 'endpoints: [{ path: /work }]').replace(
        'command: node',
        'command: echo "connecting with $API_TOKEN" && echo "stderr $API_TOKEN" >&2 && exec node',
      ),
      [],
      { API_TOKEN: 's3cret-value' },
    );
    expect(run.code).toBe(0);
    const log = await readFile(path.join(run.dir, '.slo-gate/service.log'), 'utf8');
    expect(log).toContain('connecting with ***\n');
    expect(log).toContain('stderr ***\n');
    expect(log).toContain('service listening on');
    expect(log).not.toContain('s3cret-value');
  });

  it('calibrate measures the service against itself and suggests a baseline', async () => {
    const run = await runCli(
      service(
        'DELAY_MS: "2"',
        'baseline: { target: "http://127.0.0.1:1", rounds: 3, round-duration: 300ms }\nendpoints: [{ path: /work }]',
      ),
      [],
      {},
      'calibrate',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      'Noise floor of this runner: each endpoint against itself, 3 rounds of 0.3 s',
    );
    expect(run.stdout).toMatch(/GET \/work: p95 change [+−][\d.]+% \(95% CI .*\) with no change made; /);
    // Which advice depends on this machine's noise over such short rounds; each is tested in calibrate.test.ts.
    expect(run.stdout).toMatch(
      /baseline:\n {2}max-regression: \d+\.\d%\n {2}rounds: \d+\n {2}round-duration: 0\.3s|No max-regression to suggest/,
    );
  });

  it('exits 1 and names the breach when an SLO is not met', async () => {
    const run = await runCli(
      service('DELAY_MS: "20"', 'endpoints:\n  - path: /work\n    slo: { p95: 5ms }\n'),
    );
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/GET \/work: p95 \d+(\.\d+)? ms over the target 5\.00 ms/);
    expect(run.stdout).toContain('FAILED: SLO breached: GET /work (p95)');
  });

  it('exits 2 with one line for a bad config, before booting anything', async () => {
    const run = await runCli(service('', 'endpoints:\n  - path: /work\n    slo: { p95: fast }\n'));
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toMatch(
      /^slo-gate: slo-gate\.yml:\d+:\d+: endpoints\[0\]\.slo\.p95: expected a duration such as "250ms", got "fast"$/,
    );
    expect(run.stderr).not.toContain('ready after');
  });

  it('exits 2 for bad usage', async () => {
    const run = await runCli(service('', 'endpoints: [{ path: /work }]'), ['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exits 3 at once when the service dies before it is ready, with its last words', async () => {
    const run = await runCli(service('EXIT_AT_START: "7"', 'endpoints: [{ path: /work }]'));
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('FAILED: the service exited with code 7 before it was ready');
    expect(run.stdout).toContain('fatal: cannot open database at /nonexistent');
    expect(run.elapsedMs).toBeLessThan(8000);
  });

  it('exits 3 when the service is never ready, naming what the health check said', async () => {
    const run = await runCli(
      service('HEALTH: "down"', 'endpoints: [{ path: /work }]').replace(
        'ready: { timeout: 10s }',
        'ready: { timeout: 1500ms }',
      ),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /not ready after 1\.50 s: http:\/\/127\.0\.0\.1:\d+\/health answered HTTP 503, status "down" \(db: down\)/,
    );
  });

  it('exits 3 before starting the service when something else already answers at its port', async () => {
    const squatter = await startServer((_req, res) => res.end('{"status": "ok", "version": "squatter"}'));
    try {
      const run = await runCli(
        service('').replaceAll('__PORT__', String(squatter.port)) + 'endpoints: [{ path: /work }]\n',
      );
      expect(run.code).toBe(3);
      expect(run.stdout).toContain(
        `port ${squatter.port} is in use before the service started: something already answers at http://127.0.0.1:${squatter.port}`,
      );
      // Nothing was measured: the squatter saw no load.
      expect(run.stdout).not.toMatch(/squatter/);
    } finally {
      await squatter.close();
    }
  });

  it('exits 3 when the target cannot be reached at all', async () => {
    const run = await runCli(
      'target: http://127.0.0.1:__PORT__\nload: { duration: 500ms, warmup: 0s }\nendpoints: [{ path: /work }]\n',
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(/no successful response \(\d+× ECONNREFUSED\)/);
  });

  it('exits 3 when the service dies under load, naming the endpoint', async () => {
    const run = await runCli(
      service(
        'CRASH_AFTER_MS: "300"',
        'endpoints:\n  - path: /work\n  - name: second\n    path: /work\n',
      ).replace('duration: 500ms', 'duration: 3s'),
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toMatch(
      /the service exited with code 1 (during the run|while GET \/work was under load)/,
    );
    expect(run.stdout).toContain('panic: out of memory (simulated)');
    expect(run.elapsedMs).toBeLessThan(10_000);
  });

  /** Starts `slo-gate run` on a 30 s load and resolves once it is measuring. */
  async function runUntilMeasuring(serviceConfig: string) {
    const { dir, port } = await writeConfig(serviceConfig.replace('duration: 500ms', 'duration: 30s'));
    const child = spawn(process.execPath, [BIN, 'run'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = { stderr: '' };
    child.stderr.on('data', (c) => (output.stderr += c));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    await new Promise<void>((resolve) => {
      const check = () => (output.stderr.includes('measure') ? resolve() : setTimeout(check, 50));
      check();
    });
    return { child, port, output, exited };
  }

  /** True when nothing listens on the port any more: nothing of the service survived. */
  async function portRefused(port: number): Promise<boolean> {
    const probe = net.connect(port, '127.0.0.1');
    const refused = await new Promise<boolean>((resolve) => {
      probe.on('error', () => resolve(true));
      probe.on('connect', () => resolve(false));
    });
    probe.destroy();
    return refused;
  }

  it('stops the service when interrupted, and leaves no process behind', async () => {
    const run = await runUntilMeasuring(service('', 'endpoints: [{ path: /work }]'));
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(143);
    expect(run.output.stderr).toContain('SIGTERM: stopping');
    expect(await portRefused(run.port)).toBe(true);
  });

  it('kills the service at a second signal, when it ignores SIGTERM, and exits at once', async () => {
    const stubborn = service('IGNORE_SIGTERM: "1"', 'endpoints: [{ path: /work }]').replace(
      'stop-timeout: 2s',
      'stop-timeout: 30s',
    );
    const run = await runUntilMeasuring(stubborn);
    run.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const forcedAt = Date.now();
    run.child.kill('SIGINT');
    expect(await run.exited).toBe(130);
    expect(Date.now() - forcedAt).toBeLessThan(2000);
    // Give the kernel a moment to close the killed service's socket.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await portRefused(run.port)).toBe(true);
  });
});

describe('slo-gate without a command', () => {
  /** Runs the bundled CLI with `args` in the temp folder, with no config anywhere near. */
  const runBare = (args: string[]) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, ...args],
        { cwd: os.tmpdir(), timeout: 10_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout, stderr }),
      );
    });

  it('prints the usage to stderr and exits 2', async () => {
    const run = await runBare([]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: slo-gate <command>');
  });

  it.each([['--version'], ['-V']])('%s prints the version in package.json, from the bundle', async (flag) => {
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };
    const run = await runBare([flag]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
  });
});
