/**
 * What one shard of a sharded run does (issue #12): a pure function from the whole run's config and the
 * shard to this shard's config, and the record of it that goes into the shard's report.
 *
 * - A baseline: every shard runs all the alternating rounds; shards are replicates, pooled by the merge.
 * - A service booted in the job, loaded endpoint by endpoint: the endpoints are dealt round-robin in config
 *   order, and each shard boots its own copy, so wall time drops with N. A mixed load cannot be split (its
 *   endpoints share one window by weight): every shard runs the whole mix on its own copy, as a replicate.
 * - A running target (no `service`): every shard drives 1/N of the load on every endpoint, so the merged
 *   load is the configured one. `unique` data rows are dealt out too, since the shards share the target.
 */
import { configError } from '../errors.js';
import type { DataSetConfig, GateConfig, LoadConfig, LoadStage } from '../config/types.js';
import type { ShardPart, ShardRecord } from '../report/model.js';
import type { ShardSpec } from './spec.js';

/** The smallest unit a fixed rate is split in: shares are exact in thousandths of a request per second. */
const RATE_UNITS_PER_REQUEST = 1000;

export interface ShardPlan {
  /** This shard's config: the whole run's, with its share of the endpoints, load and `unique` rows. */
  config: GateConfig;
  /** What goes into the shard's report as `shard`. */
  record: ShardRecord;
  /** Set when the shard has no endpoint to run (more shards than endpoints): why, in one line. */
  idle?: string;
}

/**
 * Shard `index` (1-based) of `total` equal-as-can-be shares of `units`: the remainder goes one each to the
 * first shards, so the shares sum to `units` exactly and differ by at most one.
 */
export function shareOf(units: number, shard: ShardSpec): number {
  const base = Math.floor(units / shard.total);
  return base + (shard.index <= units % shard.total ? 1 : 0);
}

/** The items dealt to this shard, round-robin in their order: item k goes to shard k mod N + 1. */
export function dealt<T>(items: readonly T[], shard: ShardSpec): T[] {
  return items.filter((_, k) => k % shard.total === shard.index - 1);
}

export function planShard(config: GateConfig, shard: ShardSpec): ShardPlan {
  const part = partOf(config);
  const totalLoad = {
    connections: config.load.connections,
    ...(config.load.ratePerSecond !== undefined ? { ratePerSecond: config.load.ratePerSecond } : {}),
  };
  let planned: GateConfig = config;
  if (part === 'endpoints') planned = { ...config, endpoints: dealt(config.endpoints, shard) };
  if (part === 'rate' || part === 'connections') {
    refuseSplitCapacity(config);
    planned = { ...config, load: splitLoad(config, shard) };
  }
  // Shards that share a target must not send the same `unique` row twice.
  if (!config.service && config.data) planned = { ...planned, data: dealtUniqueRows(planned, shard) };
  const record: ShardRecord = {
    index: shard.index,
    total: shard.total,
    part,
    endpoints: planned.endpoints.map((e) => e.name),
    totalLoad,
  };
  const count = config.endpoints.length;
  const idle =
    planned.endpoints.length === 0
      ? `shard ${shard.index}/${shard.total} has no endpoint to run: ${count} endpoint${count === 1 ? '' : 's'} dealt over ${shard.total} shards`
      : undefined;
  return { config: planned, record, ...(idle ? { idle } : {}) };
}

function partOf(config: GateConfig): ShardPart {
  if (config.baseline) return 'replicate';
  if (config.service) return config.load.mode === 'mixed' ? 'replicate' : 'endpoints';
  const byRate = config.load.stages
    ? config.load.stages.some((s) => s.ratePerSecond !== undefined)
    : config.load.ratePerSecond !== undefined;
  return byRate ? 'rate' : 'connections';
}

/**
 * A capacity search finds the rate one service holds from one load generator: shards splitting the load on
 * a shared target would each search at their own rates, and no merge of those is the target's capacity.
 */
function refuseSplitCapacity(config: GateConfig): void {
  const searched = config.endpoints.find((e) => e.capacity);
  if (!searched) return;
  throw configError(
    `${config.source}: capacity: a capacity search cannot be split over shards against a running target (endpoint ${searched.name}); run the search unsharded, or shard a config with a service (each shard searches its own endpoints)`,
  );
}

/**
 * At a fixed rate the rate is the load: it is split in thousandths, and each shard keeps ceil(C/N)
 * connections, which only bound what may be in flight (never less than one, never adding load). Closed-loop,
 * the connections are the load: split exactly, and a shard left with none is a config error.
 */
function splitLoad(config: GateConfig, shard: ShardSpec): LoadConfig {
  const { load } = config;
  const where = `${config.source}: load`;
  if (load.stages) return splitStages(load, load.stages, shard, where);
  if (load.ratePerSecond !== undefined) {
    const units = Math.round(load.ratePerSecond * RATE_UNITS_PER_REQUEST);
    const share = shareOf(units, shard);
    if (share === 0) {
      throw configError(
        `${where}.rate ${load.ratePerSecond}/s cannot be split over ${shard.total} shards: shard ${shard.index} would send nothing; raise the rate or run fewer shards`,
      );
    }
    const connections = Math.ceil(load.connections / shard.total);
    return { ...load, ratePerSecond: share / RATE_UNITS_PER_REQUEST, connections };
  }
  const connections = shareOf(load.connections, shard);
  if (connections === 0) {
    throw configError(
      `${where}.connections ${load.connections} cannot be split over ${shard.total} shards: shard ${shard.index} would have none; give at least ${shard.total} connections or run fewer shards`,
    );
  }
  return { ...load, connections };
}

/**
 * Staged load: every stage's rate (or connections) split as a flat load's is, so the shards' ramps add up
 * to the configured one at every instant. A stage that leaves this shard nothing to hold (a rate or a
 * connection count above zero whose share is zero) is a config error, as for a flat load; a ramp down to 0
 * stays 0.
 */
function splitStages(
  load: LoadConfig,
  stages: readonly LoadStage[],
  shard: ShardSpec,
  where: string,
): LoadConfig {
  const split = stages.map((stage, i) => {
    const byRate = stage.ratePerSecond !== undefined;
    const value = byRate ? stage.ratePerSecond! : (stage.connections ?? 0);
    const units = byRate ? Math.round(value * RATE_UNITS_PER_REQUEST) : value;
    const share = shareOf(units, shard);
    if (value > 0 && share === 0) {
      const what = byRate ? `rate ${value}/s` : `connections ${value}`;
      throw configError(
        `${where}.stages[${i}].${what} cannot be split over ${shard.total} shards: shard ${shard.index} would get none; raise it or run fewer shards`,
      );
    }
    return byRate
      ? { ...stage, ratePerSecond: share / RATE_UNITS_PER_REQUEST }
      : { ...stage, connections: share };
  });
  const byRate = stages.some((s) => s.ratePerSecond !== undefined);
  const connections = byRate
    ? Math.ceil(load.connections / shard.total)
    : Math.max(...split.map((s) => s.connections ?? 0));
  return { ...load, stages: split, connections };
}

/** Each `unique` data set's rows dealt over the shards; a set this shard uses and gets no row of is an error. */
function dealtUniqueRows(config: GateConfig, shard: ShardSpec): Record<string, DataSetConfig> {
  const used = new Set(
    [...config.endpoints, ...(config.setup ?? [])].flatMap((e) => e.templates?.dataSets ?? []),
  );
  const sets: Record<string, DataSetConfig> = {};
  for (const [name, set] of Object.entries(config.data ?? {})) {
    if (set.order !== 'unique') {
      sets[name] = set;
      continue;
    }
    const rows = dealt(set.rows, shard);
    if (rows.length === 0 && used.has(name)) {
      throw configError(
        `${config.source}: data.${name}: ${set.rows.length} unique row${set.rows.length === 1 ? '' : 's'} cannot be dealt over ${shard.total} shards: shard ${shard.index} would get none`,
      );
    }
    sets[name] = { ...set, rows };
  }
  return sets;
}
