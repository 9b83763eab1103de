/**
 * `slo-gate merge` (issue #12): shard reports → one result, judged like a run. Endpoints are merged from
 * the shards that measured them (merge-endpoint.ts); the gate's verdict comes from decideVerdict, as a
 * run's does. A missing shard or a shard whose service failed makes the merge `failed`: never a pass on
 * partial data.
 *
 * Left out of the merged report: what differs per process and cannot be added (the shards' setup requests,
 * a mixed load's whole-mix figures, per-interval timelines, stages and capacity searches) and the `shard`
 * spec itself; the log file paths of the services are those of one shard.
 */
import { usageError } from '../errors.js';
import { completeEndpointResult } from '../gate-parts.js';
import type { Logger } from '../log.js';
import type { EndpointResult, GateResult } from '../report/model.js';
import { HistogramDecodeError } from '../stats/hdr.js';
import { decideVerdict } from '../verdict/decide.js';
import { inconclusiveWarnings } from '../verdict/inconclusive.js';
import { mergeBaseline, mergeEndpoint, type EndpointPart, type PartsRelation } from './merge-endpoint.js';
import { withCharts } from '../report/chart-data.js';
import { renderMarkdown } from '../report/markdown.js';
import { exitCodeForResult, writeText, type RunOutcome } from '../run.js';
import {
  checkShardSet,
  missingShards,
  readShardReport,
  reportFiles,
  type ShardReport,
} from './read-reports.js';

const shardLabel = (r: ShardReport) => `shard ${r.result.shard.index}/${r.result.shard.total}`;

/**
 * Replicates when the endpoints were compared with a base (each shard ran every round); otherwise the
 * shards split the work, and an endpoint measured by several shards had its load split between them.
 */
function relationOf(reports: readonly ShardReport[]): PartsRelation {
  return reports.some((r) => r.result.endpoints.some((e) => e.baseline !== undefined))
    ? 'replicates'
    : 'split';
}

/** Each endpoint's parts, in the order the shards (in shard order) first list them. */
function partsByEndpoint(reports: readonly ShardReport[]): EndpointPart[][] {
  const byName = new Map<string, EndpointPart[]>();
  for (const report of reports) {
    for (const result of report.result.endpoints) {
      const parts = byName.get(result.name) ?? [];
      parts.push({ shard: shardLabel(report), result });
      byName.set(result.name, parts);
    }
  }
  return [...byName.values()];
}

/** Warnings every shard gave once; those only some gave, with the shards' names. */
function mergeWarnings(reports: readonly ShardReport[]): string[] {
  const warnings: string[] = [];
  // A shard's inconclusive warnings judged its own rounds; the merge judges the pooled ones and says its own.
  const judgedAgain = new Set(reports.flatMap((r) => inconclusiveWarnings(r.result.endpoints)));
  const shared = (w: string) => reports.every((r) => r.result.warnings.includes(w));
  for (const w of reports[0]!.result.warnings) {
    if (shared(w) && !warnings.includes(w) && !judgedAgain.has(w)) warnings.push(w);
  }
  for (const r of reports) {
    for (const w of r.result.warnings) {
      if (!shared(w) && !judgedAgain.has(w)) warnings.push(`${shardLabel(r)}: ${w}`);
    }
  }
  return warnings;
}

/** Shards split rates in thousandths of a request per second (plan.ts): their sum is exact at that grain. */
const thousandths = (x: number) => Math.round(x * 1000) / 1000;

/** The load as the shards made it together: a split load's rates and connections add up. */
function mergedLoad(reports: readonly ShardReport[], relation: PartsRelation): GateResult['load'] {
  const load = { ...reports[0]!.result.load };
  const splitLoad = relation === 'split' && reports.every((r) => r.result.service === undefined);
  if (!splitLoad) return load;
  load.connections = reports.reduce((n, r) => n + r.result.load.connections, 0);
  if (load.ratePerSecond !== undefined)
    load.ratePerSecond = thousandths(reports.reduce((n, r) => n + (r.result.load.ratePerSecond ?? 0), 0));
  // Staged: each stage's shares add up to the stage as configured.
  const add = (i: number, key: 'ratePerSecond' | 'connections') =>
    thousandths(reports.reduce((n, r) => n + (r.result.load.stages?.[i]?.[key] ?? 0), 0));
  if (load.stages) {
    load.stages = load.stages.map((stage, i) => ({
      ...stage,
      ...(stage.ratePerSecond !== undefined ? { ratePerSecond: add(i, 'ratePerSecond') } : {}),
      ...(stage.connections !== undefined ? { connections: add(i, 'connections') } : {}),
    }));
  }
  return load;
}

/** Why the merge cannot pass whatever the figures say: a shard missing or failed. */
function failureOf(reports: readonly ShardReport[]): string | undefined {
  const missing = missingShards(reports);
  const total = reports[0]!.result.shard.total;
  if (missing.length > 0) {
    const got = reports.map((r) => r.result.shard.index).join(', ');
    return `${missing.length === 1 ? 'shard' : 'shards'} ${missing.join(', ')} of ${total} missing (got ${got}): no verdict on partial data`;
  }
  const failed = reports.find((r) => r.result.verdict === 'failed');
  if (failed)
    return `${shardLabel(failed)} failed: ${failed.result.reason ?? 'the service or target failed'}`;
  return undefined;
}

/** Pure but for log lines: shard reports of one run (checked by checkShardSet) → the merged result. */
export function mergeShardReports(reports: readonly ShardReport[], log: Logger): GateResult {
  const first = reports[0]!.result;
  const relation = relationOf(reports);
  const endpoints: EndpointResult[] = partsByEndpoint(reports).map((parts) => {
    try {
      return completeEndpointResult(mergeEndpoint(parts, relation), mergeBaseline(parts), [], log);
    } catch (error) {
      if (!(error instanceof HistogramDecodeError)) throw error;
      const shards = parts.map((p) => p.shard).join(', ');
      throw usageError(`endpoint "${parts[0]!.result.name}" (${shards}): ${error.message}`);
    }
  });
  const failedShard = reports.find((r) => r.result.verdict === 'failed')?.result;
  const startedAt = reports.map((r) => r.result.startedAt).sort()[0]!;
  const result: GateResult = {
    passed: false,
    verdict: 'failed',
    target: first.target,
    configFile: first.configFile,
    startedAt,
    // The shards run side by side: the merged run took as long as the longest.
    durationMs: Math.max(...reports.map((r) => r.result.durationMs)),
    load: mergedLoad(reports, relation),
    ...(first.service ? { service: (failedShard ?? first).service } : {}),
    ...(first.baselineService ? { baselineService: (failedShard ?? first).baselineService } : {}),
    endpoints,
    warnings: mergeWarnings(reports),
    configHash: first.configHash,
    commit: first.commit ?? null,
    merged: { shards: reports.length },
  };
  // As a run does: an inconclusive endpoint that passes says so, and what would settle it.
  result.warnings.push(...inconclusiveWarnings(result.endpoints));
  decideVerdict(result);
  const failure = failureOf(reports);
  if (failure) Object.assign(result, { verdict: 'failed', passed: false, reason: failure });
  return result;
}

export interface MergeOptions {
  /** Shard report files, and directories searched for them. */
  inputs: readonly string[];
  log: Logger;
  /** Write the merged JSON report here. */
  reportPath?: string;
  /** Write the merged markdown report here. */
  markdownPath?: string;
}

/**
 * Reads, checks and merges the reports, and writes the merged ones; throws a usage error (exit 2) for
 * reports that do not merge. The reports were redacted when written, so the merged ones are too.
 */
export async function mergeReportFiles(options: MergeOptions): Promise<RunOutcome> {
  const files = await reportFiles(options.inputs);
  const reports = checkShardSet(await Promise.all(files.map(readShardReport)));
  options.log.info(`Merging ${reports.length} shard reports: ${files.join(', ')}`);
  const result = withCharts(mergeShardReports(reports, options.log));
  const json = JSON.stringify(result, null, 2) + '\n';
  const markdown = renderMarkdown(result);
  if (options.reportPath) await writeText(options.reportPath, json);
  if (options.markdownPath) await writeText(options.markdownPath, markdown);
  return { result, exitCode: exitCodeForResult(result), markdown, json, secrets: [] };
}
