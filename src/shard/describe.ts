/** What a shard did, in one line for people: the log, the terminal and the shard's markdown report. */
import type { GateResult, ShardRecord } from '../report/model.js';

/** Shares are exact to a thousandth (src/shard/plan.ts): 3.334/s, 100/s. */
const rate = (perSecond: number) => `${Number(perSecond.toFixed(3))}/s`;

/** "shard 2/3: 100/s of 300/s (load.rate) on every endpoint, with up to 4 connections". */
export function describeShard(shard: ShardRecord, load: GateResult['load']): string {
  const which = `shard ${shard.index}/${shard.total}`;
  const total = shard.totalLoad;
  const names = shard.endpoints ?? [];
  switch (shard.part) {
    case 'rate':
      return `${which}: ${rate(load.ratePerSecond ?? 0)} of ${rate(total?.ratePerSecond ?? 0)} (load.rate) on every endpoint, with up to ${load.connections} connections`;
    case 'connections':
      return `${which}: ${load.connections} of ${total?.connections ?? '?'} connections (load.connections) on every endpoint`;
    case 'endpoints':
      return names.length === 0
        ? `${which}: no endpoint to run`
        : `${which}: ${names.length === 1 ? 'endpoint' : 'endpoints'} ${names.join(', ')}, on its own copy of the service`;
    case 'replicate':
      return `${which}: the whole run, a replicate`;
    default:
      return which;
  }
}

/** The line a shard's markdown report and terminal table end with: where the verdict comes from. */
export function shardNote(result: GateResult): string | undefined {
  if (!result.shard) return undefined;
  return `${describeShard(result.shard, result.load)}. One part of a sharded run: no pull request comment; the merge of all the shards (slo-gate merge) gives the verdict.`;
}
