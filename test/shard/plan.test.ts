/**
 * What each shard does (src/shard/plan.ts), table-tested on configs parsed as users write them: the shares
 * of a rate or of connections sum exactly to the whole, endpoints are a partition, baselines replicate.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import type { GateConfig } from '../../src/config/types.js';
import { GateError } from '../../src/errors.js';
import { planShard, shareOf, type ShardPlan } from '../../src/shard/plan.js';

const dir = mkdtempSync(path.join(tmpdir(), 'slo-gate-shard-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = path.join(dir, 'slo-gate.yml');
writeFileSync(path.join(dir, 'ids.csv'), 'id\n1\n2\n3\n4\n5\n6\n7\n');
writeFileSync(path.join(dir, 'one.csv'), 'id\n1\n');

const SERVICE = 'service: { command: "node server.js" }\n';
const ENDPOINTS = 'endpoints: [{ path: /a }, { path: /b }, { path: /c }, { path: /d }, { path: /e }]\n';

const config = (yaml: string): GateConfig =>
  parseConfig(`target: http://127.0.0.1:3000\n${yaml}`, source, {});

/** Every shard's plan, 1…N. */
const plans = (c: GateConfig, total: number): ShardPlan[] =>
  Array.from({ length: total }, (_, i) => planShard(c, { index: i + 1, total }));

function configErrorOf(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).kind).toBe('config');
    return (error as Error).message;
  }
  throw new Error('no config error');
}

describe('shareOf', () => {
  it.each([
    [10, 3, [4, 3, 3]],
    [10, 4, [3, 3, 2, 2]],
    [3, 3, [1, 1, 1]],
    [2, 3, [1, 1, 0]],
    [7, 1, [7]],
  ])('%i over %i shards is %j', (units, total, shares) => {
    expect(Array.from({ length: total }, (_, i) => shareOf(units, { index: i + 1, total }))).toEqual(shares);
  });
});

describe('a running target at a fixed rate: every shard drives its share of the rate', () => {
  it.each([
    [300, 3, 12, [100, 100, 100], 4],
    [10, 3, 10, [3.334, 3.333, 3.333], 4],
    [1000, 16, 10, Array<number>(16).fill(62.5), 1],
    [0.5, 2, 1, [0.25, 0.25], 1],
    [1234.567, 4, 8, [308.642, 308.642, 308.642, 308.641], 2],
  ])('rate %d over %i shards (%i connections)', (rate, total, connections, shares, perShard) => {
    const c = config(`load: { rate: ${rate}, connections: ${connections} }\n${ENDPOINTS}`);
    const all = plans(c, total);
    expect(all.map((p) => p.config.load.ratePerSecond)).toEqual(shares);
    // Exact in thousandths of a request per second: nothing is lost or added by the split.
    const sumUnits = all.reduce((sum, p) => sum + Math.round(p.config.load.ratePerSecond! * 1000), 0);
    expect(sumUnits).toBe(Math.round(rate * 1000));
    for (const p of all) {
      expect(p.config.load.connections).toBe(perShard);
      expect(p.config.endpoints).toEqual(c.endpoints);
      expect(p.record).toMatchObject({ part: 'rate', totalLoad: { connections, ratePerSecond: rate } });
      expect(p.idle).toBeUndefined();
    }
  });

  it('splits a mixed load the same way: every shard drives the whole mix at its share', () => {
    const c = config(`load: { mode: mixed, rate: 90, connections: 9 }\n${ENDPOINTS}`);
    for (const p of plans(c, 3)) {
      expect(p.config.load).toEqual({ ...c.load, ratePerSecond: 30, connections: 3 });
      expect(p.config.endpoints).toEqual(c.endpoints);
      expect(p.record.part).toBe('rate');
    }
  });

  it('refuses a rate too small to give every shard a share', () => {
    const c = config(`load: { rate: 0.002 }\n${ENDPOINTS}`);
    expect(configErrorOf(() => planShard(c, { index: 3, total: 3 }))).toBe(
      `${source}: load.rate 0.002/s cannot be split over 3 shards: shard 3 would send nothing; raise the rate or run fewer shards`,
    );
  });
});

describe('a running target, closed loop: the connections are split', () => {
  it.each([
    [10, 3, [4, 3, 3]],
    [10, 4, [3, 3, 2, 2]],
    [12, 4, [3, 3, 3, 3]],
    [5, 5, [1, 1, 1, 1, 1]],
  ])('%i connections over %i shards: %j', (connections, total, shares) => {
    const c = config(`load: { connections: ${connections} }\n${ENDPOINTS}`);
    const all = plans(c, total);
    expect(all.map((p) => p.config.load.connections)).toEqual(shares);
    expect(all.reduce((sum, p) => sum + p.config.load.connections, 0)).toBe(connections);
    for (const p of all) {
      expect(p.record.part).toBe('connections');
      expect(p.config.load.ratePerSecond).toBeUndefined();
      expect(p.record.endpoints).toEqual(['GET /a', 'GET /b', 'GET /c', 'GET /d', 'GET /e']);
    }
  });

  it('refuses a shard left with no connection, naming the numbers', () => {
    const c = config(`load: { connections: 3 }\n${ENDPOINTS}`);
    expect(planShard(c, { index: 3, total: 4 }).config.load.connections).toBe(1);
    expect(configErrorOf(() => planShard(c, { index: 4, total: 4 }))).toBe(
      `${source}: load.connections 3 cannot be split over 4 shards: shard 4 would have none; give at least 4 connections or run fewer shards`,
    );
  });
});

describe('a service booted in the job: the endpoints are dealt round-robin', () => {
  it.each([
    [1, [['a', 'b', 'c', 'd', 'e']]],
    [
      2,
      [
        ['a', 'c', 'e'],
        ['b', 'd'],
      ],
    ],
    [3, [['a', 'd'], ['b', 'e'], ['c']]],
    [5, [['a'], ['b'], ['c'], ['d'], ['e']]],
  ])('over %i shards', (total, paths) => {
    const c = config(`${SERVICE}load: { connections: 10, rate: 100 }\n${ENDPOINTS}`);
    const all = plans(c, total);
    expect(all.map((p) => p.config.endpoints.map((e) => e.path.slice(1)))).toEqual(paths);
    expect(all.map((p) => p.record.endpoints)).toEqual(paths.map((ps) => ps.map((p) => `GET /${p}`)));
    // A partition: every endpoint once, whatever the shard count.
    expect(all.flatMap((p) => p.config.endpoints).sort((x, y) => x.path.localeCompare(y.path))).toEqual(
      c.endpoints,
    );
    for (const p of all) {
      // Each shard boots its own copy, so each loads its endpoints as the whole run would.
      expect(p.config.load).toEqual(c.load);
      expect(p.record.part).toBe('endpoints');
    }
  });

  it('a shard with no endpoint is idle and says why', () => {
    const c = config(`${SERVICE}endpoints: [{ path: /a }, { path: /b }]\n`);
    const [, , third] = plans(c, 3);
    expect(third!.config.endpoints).toEqual([]);
    expect(third!.record.endpoints).toEqual([]);
    expect(third!.idle).toBe('shard 3/3 has no endpoint to run: 2 endpoints dealt over 3 shards');
  });

  it('a mixed load cannot be split: every shard runs the whole mix, a replicate', () => {
    const c = config(`${SERVICE}load: { mode: mixed }\n${ENDPOINTS}`);
    for (const p of plans(c, 3)) {
      expect(p.config).toEqual(c);
      expect(p.record.part).toBe('replicate');
    }
  });
});

describe('a baseline: every shard runs all the rounds, a replicate', () => {
  it.each([
    ['both running', 'baseline: { target: "http://127.0.0.1:3001", rounds: 4 }\nload: { rate: 90 }\n'],
    ['booted', `${SERVICE}baseline: { target: "http://127.0.0.1:3001", ref: auto }\n`],
  ])('%s', (_name, yaml) => {
    const c = config(`${yaml}${ENDPOINTS}`);
    for (const p of plans(c, 4)) {
      expect(p.config).toEqual(c);
      expect(p.record.part).toBe('replicate');
      expect(p.record.endpoints).toHaveLength(5);
    }
  });
});

describe('unique data rows', () => {
  const DATA = 'data: { ids: { file: ids.csv, order: unique }, seq: { file: ids.csv } }\n';
  const USES = 'endpoints: [{ path: "/item/{{ ids.id }}" }, { path: "/s/{{ seq.id }}" }]\n';
  const ids = (p: ShardPlan, set: string) => p.config.data![set]!.rows.map((r) => r.id);

  it('are dealt over shards that share a running target, so no row is sent twice', () => {
    const all = plans(config(`${DATA}${USES}`), 3);
    expect(all.map((p) => ids(p, 'ids'))).toEqual([
      ['1', '4', '7'],
      ['2', '5'],
      ['3', '6'],
    ]);
    // Sequential sets are read again by every shard.
    for (const p of all) expect(ids(p, 'seq')).toHaveLength(7);
  });

  it('are kept whole when each shard boots its own copy of the service', () => {
    const all = plans(config(`${SERVICE}${DATA}${USES}`), 2);
    expect(all.map((p) => ids(p, 'ids'))).toEqual([ids(all[0]!, 'seq'), ids(all[0]!, 'seq')]);
    expect(ids(all[1]!, 'ids')).toHaveLength(7);
  });

  it('refuses a shard that would get none of a set it uses', () => {
    const c = config(
      'data: { one: { file: one.csv, order: unique } }\nendpoints: [{ path: "/{{ one.id }}" }]\n',
    );
    expect(configErrorOf(() => planShard(c, { index: 2, total: 2 }))).toBe(
      `${source}: data.one: 1 unique row cannot be dealt over 2 shards: shard 2 would get none`,
    );
  });
});

describe('a running target under load.stages: every stage is split like a flat load', () => {
  it.each([
    [
      'rate',
      '[{ duration: 2s, rate: 90 }, { duration: 2s, rate: 10 }, { duration: 1s, rate: 0 }]',
      'ratePerSecond',
      [
        [30, 30, 30],
        [3.334, 3.333, 3.333],
        [0, 0, 0],
      ],
    ],
    [
      'connections',
      '[{ duration: 1s, connections: 10 }, { duration: 1s, connections: 4 }]',
      'connections',
      [
        [4, 3, 3],
        [2, 1, 1],
      ],
    ],
  ] as const)('stages by %s over 3 shards add up to each stage', (part, stages, key, shares) => {
    const c = config(`load: { stages: ${stages} }\n${ENDPOINTS}`);
    const all = plans(c, 3);
    shares.forEach((stageShares, i) => {
      expect(all.map((p) => p.config.load.stages![i]![key])).toEqual(stageShares);
      // The shares sum to the stage as configured (thousandths of a request per second for a rate).
      const sum = all.reduce((n, p) => n + Math.round(p.config.load.stages![i]![key]! * 1000), 0);
      expect(sum).toBe(Math.round(c.load.stages![i]![key]! * 1000));
    });
    for (const p of all) {
      expect(p.record.part).toBe(part);
      expect(p.config.load.stages!.map((s) => s.durationMs)).toEqual(c.load.stages!.map((s) => s.durationMs));
    }
    if (part === 'connections') expect(all.map((p) => p.config.load.connections)).toEqual([4, 3, 3]);
  });

  it('refuses a stage that would leave a shard nothing to hold', () => {
    const c = config(
      `load: { stages: [{ duration: 1s, connections: 4 }, { duration: 1s, connections: 2 }] }\n${ENDPOINTS}`,
    );
    expect(configErrorOf(() => planShard(c, { index: 3, total: 3 }))).toBe(
      `${source}: load.stages[1].connections 2 cannot be split over 3 shards: shard 3 would get none; raise it or run fewer shards`,
    );
  });
});

describe('a capacity search', () => {
  it('cannot be split over shards that share a running target', () => {
    const c = config(`load: { rate: 100 }\ncapacity: { from: 50, to: 800, step: 1s }\n${ENDPOINTS}`);
    expect(configErrorOf(() => planShard(c, { index: 1, total: 2 }))).toMatch(
      /capacity: a capacity search cannot be split over shards against a running target \(endpoint GET \/a\)/,
    );
  });

  it('runs on each shard for its own endpoints when each boots its service', () => {
    const c = config(`${SERVICE}capacity: { from: 50, to: 800, step: 1s }\n${ENDPOINTS}`);
    const [first] = plans(c, 2);
    expect(first!.config.endpoints.map((e) => e.name)).toEqual(['GET /a', 'GET /c', 'GET /e']);
    expect(first!.config.endpoints.every((e) => e.capacity)).toBe(true);
  });
});
