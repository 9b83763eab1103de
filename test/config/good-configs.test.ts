/**
 * Valid configs from test/fixtures/good-configs, loaded from disk: the documented defaults, how endpoint
 * SLOs override the top-level ones, request bodies, ${VAR} expansion and paths relative to the config file.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config.js';
import type { EndpointConfig, GateConfig, SloTargets } from '../../src/config/types.js';
import { EXAMPLE_ENV } from '../helpers/example-env.js';

const DIR = fileURLToPath(new URL('../fixtures/good-configs/', import.meta.url));
const EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

const ENV = {
  TARGET_URL: 'http://127.0.0.1:4100',
  PORT: '4100',
  API_TOKEN: 's3cret-token',
  DATABASE_URL: 'postgres://gate:pw@127.0.0.1/items',
  EMPTY: '',
};

const load = (file: string): Promise<GateConfig> => loadConfigFile(path.join(DIR, file), ENV);

function endpointNamed(config: GateConfig, name: string): EndpointConfig {
  const endpoint = config.endpoints.find((e) => e.name === name);
  if (!endpoint) throw new Error(`no endpoint named ${name}`);
  return endpoint;
}

describe('defaults of the minimal config', () => {
  const DEFAULTS: [string, (config: GateConfig) => unknown, unknown][] = [
    ['load.duration is 10s', (c) => c.load.durationMs, 10_000],
    ['load.warmup is 2s', (c) => c.load.warmupMs, 2_000],
    ['load.connections is 10', (c) => c.load.connections, 10],
    ['load.rate is unset (closed loop)', (c) => c.load.ratePerSecond, undefined],
    ['load.request-timeout is 5s', (c) => c.load.requestTimeoutMs, 5_000],
    ['load.mode is isolated', (c) => c.load.mode, 'isolated'],
    ['weight is absent', (c) => 'weight' in c.endpoints[0]!, false],
    ['slo is error-rate 1% only', (c) => c.endpoints[0]!.slo, { errorRate: 0.01 }],
    ['method is GET', (c) => c.endpoints[0]!.method, 'GET'],
    ['name is "GET /items"', (c) => c.endpoints[0]!.name, 'GET /items'],
    ['url is target + path', (c) => c.endpoints[0]!.url, 'http://127.0.0.1:3000/items'],
    ['headers are none', (c) => c.endpoints[0]!.headers, {}],
    ['body is none', (c) => c.endpoints[0]!.body, undefined],
    ['expect-status is any 2xx', (c) => c.endpoints[0]!.expectStatus, undefined],
    ['service is none', (c) => c.service, undefined],
    ['secrets are none', (c) => c.secrets, []],
  ];
  for (const file of ['minimal.yml', 'minimal.json']) {
    it.each(DEFAULTS)(`${file}: %s`, async (_, select, expected) => {
      expect(select(await load(file))).toEqual(expected);
    });
  }
});

describe('defaults of a service with only a command', () => {
  const DEFAULTS: [string, (config: GateConfig) => unknown, unknown][] = [
    [
      'ready.url is /health, resolved against target',
      (c) => c.service?.ready.url,
      'http://127.0.0.1:3000/health',
    ],
    ['ready.timeout is 60s', (c) => c.service?.ready.timeoutMs, 60_000],
    ['ready.interval is 200ms', (c) => c.service?.ready.intervalMs, 200],
    ['stop-timeout is 10s', (c) => c.service?.stopTimeoutMs, 10_000],
    ['cwd is the config file’s folder', (c) => c.service?.cwd, DIR.replace(/\/$/, '')],
    ['env is empty', (c) => c.service?.env, {}],
    ['target loses its trailing slash', (c) => c.target, 'http://127.0.0.1:3000'],
    ['url joins without "//"', (c) => c.endpoints[0]!.url, 'http://127.0.0.1:3000/items'],
  ];
  it.each(DEFAULTS)('%s', async (_, select, expected) => {
    expect(select(await load('minimal-service.yml'))).toEqual(expected);
  });
});

describe('endpoint slo keys override top-level slo keys one by one', () => {
  const TOP: SloTargets = {
    p50Ms: 10,
    p90Ms: 20,
    p95Ms: 30,
    p99Ms: 40,
    maxMs: 50,
    errorRate: 0.02,
    minRps: 100,
    maxRssBytes: 100e6,
    maxRssGrowthBytes: 10e6,
    maxCpuPerRequestMs: 1,
  };
  it('an endpoint without slo inherits every key', async () => {
    expect(endpointNamed(await load('slo-overrides.yml'), 'inherits').slo).toEqual(TOP);
  });
  it.each([
    ['p50', { p50Ms: 11 }],
    ['p90', { p90Ms: 21 }],
    ['p95', { p95Ms: 31 }],
    ['p99', { p99Ms: 41 }],
    ['max', { maxMs: 51 }],
    ['error-rate', { errorRate: 0.005 }],
    ['min-rps', { minRps: 200 }],
    ['max-rss', { maxRssBytes: 200e6 }],
    ['max-rss-growth', { maxRssGrowthBytes: 20e6 }],
    ['max-cpu-per-request', { maxCpuPerRequestMs: 2 }],
  ] satisfies [string, SloTargets][])('%s overrides only itself', async (key, override) => {
    expect(endpointNamed(await load('slo-overrides.yml'), key).slo).toEqual({ ...TOP, ...override });
  });
});

describe('request bodies', () => {
  it.each([
    [
      'map',
      {
        method: 'POST',
        body: '{"query":"item 1","limit":10}',
        headers: { 'content-type': 'application/json' },
      },
    ],
    [
      'map with its own content type',
      { body: '{"query":"item 1"}', headers: { 'Content-Type': 'application/vnd.api+json' } },
    ],
    ['string', { body: 'id,name\n1,one\n', headers: { 'content-type': 'text/csv' } }],
    ['list', { method: 'PUT', body: '[1,2]', headers: { 'content-type': 'application/json' } }],
    [
      // spaces as +, a list as the field repeated, numbers and booleans as text
      'form',
      {
        body: 'user=ada+lovelace&scope=read&scope=write&remember=true&tries=3&note=',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
    ],
    ['merge patch', { body: '{"name":"one"}', headers: { 'content-type': 'application/merge-patch+json' } }],
  ])('%s', async (name, expected) => {
    expect(endpointNamed(await load('bodies.yml'), name)).toMatchObject(expected);
  });
});

describe('${VAR} expansion', () => {
  it.each([
    ['target', (c: GateConfig) => c.target, 'http://127.0.0.1:4100'],
    ['a header', (c: GateConfig) => c.endpoints[0]!.headers.authorization, 'Bearer s3cret-token'],
    ['a body', (c: GateConfig) => c.endpoints[0]!.body, '{"token":"s3cret-token","note":"plain"}'],
    ['service.env', (c: GateConfig) => c.service?.env.DATABASE_URL, ENV.DATABASE_URL],
    ['an empty variable', (c: GateConfig) => c.endpoints[0]!.headers['x-empty'], ''],
    [
      '$${VAR} stays a literal ${VAR}',
      (c: GateConfig) => c.endpoints[0]!.headers['x-template'],
      '${API_TOKEN}',
    ],
    ['$${VAR} in service.env', (c: GateConfig) => c.service?.env.GREETING, '${NOT_EXPANDED}'],
    // The shell expands the command, with the service's env; expanding it here would expand it twice.
    [
      'not service.command',
      (c: GateConfig) => c.service?.command,
      'PORT=${PORT} node server.js --token "$API_TOKEN"',
    ],
    [
      'derived urls use the expanded target',
      (c: GateConfig) => c.service?.ready.url,
      'http://127.0.0.1:4100/health',
    ],
  ])('%s', async (_, select, expected) => {
    expect(select(await load('env.yml'))).toEqual(expected);
  });

  it('lists each expanded value once in secrets, and not the empty one', async () => {
    const { secrets } = await load('env.yml');
    expect([...secrets].sort()).toEqual([ENV.API_TOKEN, ENV.DATABASE_URL, ENV.TARGET_URL].sort());
  });

  it('reads only the environment it is given', async () => {
    await expect(loadConfigFile(path.join(DIR, 'env.yml'), {})).rejects.toThrow(
      /env\.yml:2:9: target: environment variable TARGET_URL is not set$/,
    );
  });
});

describe('paths relative to the config file', () => {
  it('resolves a relative service.cwd against the config file’s folder, not the working one', async () => {
    expect((await load('service-cwd.yml')).service?.cwd).toBe(path.resolve(DIR, '../servers'));
  });
  it('keeps an absolute service.cwd', async () => {
    expect((await load('every-key.yml')).service?.cwd).toBe('/srv/app');
  });
});

describe('expect-status', () => {
  it.each([
    ['one', [404]],
    ['list', [200, 201]],
    ['any 2xx', undefined],
  ])('%s → %j', async (name, expected) => {
    expect(endpointNamed(await load('expect-status.yml'), name).expectStatus).toEqual(expected);
  });
});

describe('stages (issue #11)', () => {
  it('by rate: durations add up to the window, connections as given, no flat rate', async () => {
    const { load: l } = await load('stages-rate.yml');
    expect(l).toEqual({
      durationMs: 40_000,
      warmupMs: 2_000,
      connections: 40,
      ratePerSecond: undefined,
      stages: [
        { durationMs: 10_000, ratePerSecond: 50 },
        { durationMs: 20_000, ratePerSecond: 200 },
        { durationMs: 10_000, ratePerSecond: 200 },
      ],
      requestTimeoutMs: 5_000,
      mode: 'isolated',
    });
  });

  it('by connections: the most any stage opens is the connection count', async () => {
    const { load: l } = await load('stages-connections.yml');
    expect(l.durationMs).toBe(30_000);
    expect(l.connections).toBe(10);
    expect(l.stages).toEqual([
      { durationMs: 5_000, connections: 10 },
      { durationMs: 20_000, connections: 10 },
      { durationMs: 5_000, connections: 2 },
    ]);
  });
});

describe('every key', () => {
  it('maps each key to its typed field, units in the names', async () => {
    const file = path.join(DIR, 'every-key.yml');
    expect(await loadConfigFile(file, ENV)).toEqual({
      source: file,
      target: 'https://127.0.0.1:8443',
      service: {
        command: './run-server --port 8443',
        setup: './seed --fresh',
        setupTimeoutMs: 90_000,
        cwd: '/srv/app',
        env: { NODE_ENV: 'production', WORKERS: '4', DEBUG: 'false' },
        ready: { url: 'http://127.0.0.1:9000/ready', timeoutMs: 120_000, intervalMs: 500 },
        stopTimeoutMs: 1_500,
      },
      load: {
        durationMs: 30_000,
        warmupMs: 0,
        connections: 64,
        ratePerSecond: 500,
        requestTimeoutMs: 750,
        mode: 'isolated',
      },
      endpoints: [
        {
          name: 'create item',
          method: 'PATCH',
          path: '/items/7?dry-run=1',
          url: 'https://127.0.0.1:8443/items/7?dry-run=1',
          headers: { accept: 'application/json', 'x-retries': '0', 'content-type': 'application/json' },
          body: '{"name":"seven"}',
          expectStatus: [200, 204],
          slo: {
            p50Ms: 5,
            p90Ms: 10,
            p95Ms: 20,
            p99Ms: 80,
            maxMs: 1_000,
            errorRate: 0.005,
            minRps: 400,
            maxRssBytes: 512 * 1024 ** 2,
            maxRssGrowthBytes: 16e6,
            maxCpuPerRequestMs: 0.5,
          },
        },
      ],
      secrets: [],
      tooShortToMask: [],
      warnings: [],
    } satisfies GateConfig);
  });
});

describe('shipped examples', async () => {
  const examples = ((await readdir(EXAMPLES, { recursive: true })) as string[])
    .filter((name) => path.basename(name) === 'slo-gate.yml')
    .sort();

  it('exist', () => {
    expect(examples.length).toBeGreaterThan(0);
  });

  it.each(examples)('examples/%s loads', async (name) => {
    const config = await loadConfigFile(path.join(EXAMPLES, name), EXAMPLE_ENV);
    expect(config.endpoints.length).toBeGreaterThan(0);
  });
});
