/**
 * Reads the shard reports to merge (issue #12) and refuses, with one line naming the file, anything that
 * would not merge into one honest result: an unreadable file, a report that is not a shard report, and
 * reports of different configs or commits, of different shard counts, or with the same shard number.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { usageError } from '../errors.js';
import type { GateResult } from '../report/model.js';

/** A shard report as read, with the file it came from (for messages). */
export interface ShardReport {
  file: string;
  result: GateResult & { shard: { index: number; total: number }; configHash: string };
}

/** Every `.json` file under the paths given, directories searched recursively, in name order. */
export async function reportFiles(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (!info) throw usageError(`${input}: no such file or directory`);
    if (!info.isDirectory()) {
      files.push(input);
      continue;
    }
    const entries = await readdir(input, { recursive: true, withFileTypes: true });
    const found = entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => path.join(e.parentPath, e.name))
      .sort();
    if (found.length === 0) throw usageError(`${input}: no .json report in it`);
    files.push(...found);
  }
  return files;
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1;

/** Latencies measured come with their histogram. */
const hasHistogram = (window: unknown): boolean =>
  isRecord(window) && (window.latencyMs === null || isRecord(window.histogram));

const roundsHaveHistograms = (perRound: unknown): boolean =>
  Array.isArray(perRound) &&
  perRound.every((r) => isRecord(r) && hasHistogram(r.base) && hasHistogram(r.head));

/** Why a parsed report cannot be merged, or undefined when it can. */
function problemOf(report: unknown): string | undefined {
  if (!isRecord(report) || !Array.isArray(report.endpoints) || typeof report.verdict !== 'string')
    return 'not an slo-gate JSON report';
  const shard = report.shard;
  if (!isRecord(shard)) return 'not a shard report (no "shard"; run it with --shard I/N)';
  if (!isCount(shard.index) || !isCount(shard.total) || shard.index > shard.total)
    return `"shard" is not an index from 1 to its total: ${JSON.stringify(shard)}`;
  if (typeof report.configHash !== 'string') return 'has no "configHash" (written by an older slo-gate)';
  if (report.commit !== null && typeof report.commit !== 'string') return 'has no "commit"';
  const endpoints = report.endpoints as unknown[];
  if (!endpoints.every(isRecord)) return 'an endpoint is not an object';
  const unmergeable = (endpoints as Record<string, unknown>[]).find(
    (e) => !hasHistogram(e) || (isRecord(e.baseline) && !roundsHaveHistograms(e.baseline.perRound)),
  );
  if (unmergeable)
    return `endpoint ${JSON.stringify(unmergeable.name)} has no histograms (written by an older slo-gate)`;
  return undefined;
}

export async function readShardReport(file: string): Promise<ShardReport> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const why = error instanceof SyntaxError ? 'not JSON' : (error as NodeJS.ErrnoException).code;
    throw usageError(`${file}: cannot read it as a report (${why})`);
  }
  const problem = problemOf(parsed);
  if (problem) throw usageError(`${file}: ${problem}`);
  return { file, result: parsed as ShardReport['result'] };
}

/** Throws a usage error when the reports are not shards of one run; the reports in shard order otherwise. */
export function checkShardSet(reports: readonly ShardReport[]): ShardReport[] {
  const first = reports[0];
  if (!first) throw usageError('no report to merge');
  const differs = (what: string, pick: (r: ShardReport) => unknown) => {
    const other = reports.find((r) => pick(r) !== pick(first));
    if (other) {
      throw usageError(
        `${other.file}: ${what} ${String(pick(other))} differs from ${first.file}'s ${String(pick(first))}; ` +
          'only shards of one run merge',
      );
    }
  };
  differs('configHash', (r) => r.result.configHash);
  differs('commit', (r) => r.result.commit);
  differs('shard total', (r) => r.result.shard.total);
  const byIndex = new Map<number, ShardReport>();
  for (const report of reports) {
    const same = byIndex.get(report.result.shard.index);
    if (same) {
      throw usageError(
        `${report.file} and ${same.file} are both shard ${report.result.shard.index}/${report.result.shard.total}`,
      );
    }
    byIndex.set(report.result.shard.index, report);
  }
  return [...reports].sort((a, b) => a.result.shard.index - b.result.shard.index);
}

/** The shard numbers (1-based) of a total that no report carries. */
export function missingShards(reports: readonly ShardReport[]): number[] {
  const total = reports[0]?.result.shard.total ?? 0;
  const present = new Set(reports.map((r) => r.result.shard.index));
  return Array.from({ length: total }, (_, i) => i + 1).filter((i) => !present.has(i));
}
