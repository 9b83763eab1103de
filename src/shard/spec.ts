/**
 * Which shard of a sharded run this process is (issue #12): `--shard I/N`, the Action's `shard` input, or
 * `auto`, read from the CI system's own variables. Only an explicit `auto` reads them: a job that happens to
 * run under GitLab's `parallel:` is never sharded behind the user's back.
 */
import path from 'node:path';
import { usageError } from '../errors.js';

/** Which part of a sharded run this process is (issue #12). */
export interface ShardSpec {
  /** 1-based: shard 1 of 4 is `--shard 1/4`. */
  index: number;
  total: number;
}

/**
 * The variable that gives the shard count to a Kubernetes Indexed Job: Kubernetes exports each pod's
 * JOB_COMPLETION_INDEX but not `completions`, so the Job's spec sets this one to the same number.
 */
export const SHARD_TOTAL_VARIABLE = 'SLO_GATE_SHARD_TOTAL';

/** More shards than this is a typo, not a plan (a matrix holds at most 256 jobs). */
const MAX_SHARDS = 1000;

const EXPECTED = 'I/N with 1 ≤ I ≤ N (such as 2/4), or auto';

/** A whole number written in decimal digits only (no sign, no exponent, no blanks). */
const wholeNumber = (text: string | undefined): number | undefined =>
  text !== undefined && /^\d{1,9}$/.test(text.trim()) ? Number(text.trim()) : undefined;

/** `said` is what the user gave, for the message: `--shard "5/4"`. */
function checked(index: number, total: number, said: string): ShardSpec {
  if (total < 1 || total > MAX_SHARDS)
    throw usageError(`${said}: the shard count must be 1 to ${MAX_SHARDS}`);
  if (index < 1 || index > total) throw usageError(`${said}: shard ${index} is not one of 1…${total}`);
  return { index, total };
}

/**
 * Reads `I/N` or `auto` (then from `env`); `where` names the flag or input in the one-line error, e.g.
 * `--shard` or `input 'shard'`.
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv, where = '--shard'): ShardSpec {
  const value = text.trim();
  if (value === 'auto') return shardFromEnv(env, where);
  const match = /^(\d{1,9})\s*\/\s*(\d{1,9})$/.exec(value);
  if (!match) throw usageError(`${where} ${JSON.stringify(text)}: expected ${EXPECTED}`);
  return checked(Number(match[1]), Number(match[2]), `${where} ${JSON.stringify(text)}`);
}

/** One CI system's pair of variables: the index (0- or 1-based) and the count. */
interface ShardVariables {
  index: string;
  total: string;
  firstIndex: 0 | 1;
}

/**
 * In the order they are tried: GitLab's `parallel:` (and Knapsack-style runners, 1-based), Buildkite's
 * `parallelism:` (0-based), and a Kubernetes Indexed Job (0-based) with the count from SHARD_TOTAL_VARIABLE.
 */
const SOURCES: readonly ShardVariables[] = [
  { index: 'CI_NODE_INDEX', total: 'CI_NODE_TOTAL', firstIndex: 1 },
  { index: 'BUILDKITE_PARALLEL_JOB', total: 'BUILDKITE_PARALLEL_JOB_COUNT', firstIndex: 0 },
  { index: 'JOB_COMPLETION_INDEX', total: SHARD_TOTAL_VARIABLE, firstIndex: 0 },
];

/** `auto`: the shard from the first CI system whose index variable is set; an error names what is missing. */
export function shardFromEnv(env: NodeJS.ProcessEnv, where = '--shard'): ShardSpec {
  const source = SOURCES.find((s) => (env[s.index] ?? '') !== '');
  if (!source) {
    const names = SOURCES.map((s) => s.index).join(', ');
    throw usageError(`${where} auto: none of ${names} is set; give the shard as I/N instead`);
  }
  const indexText = env[source.index]!;
  const totalText = env[source.total];
  if ((totalText ?? '') === '') {
    const hint = source.total === SHARD_TOTAL_VARIABLE ? ", the Job's completions" : '';
    throw usageError(
      `${where} auto: ${source.index} is set but ${source.total} is not (the shard count${hint})`,
    );
  }
  const what = `${source.index}=${indexText}, ${source.total}=${totalText}`;
  const index = wholeNumber(indexText);
  const total = wholeNumber(totalText);
  if (index === undefined || total === undefined) {
    throw usageError(
      `${where} auto (${what}): expected whole numbers (${source.index} counts from ${source.firstIndex})`,
    );
  }
  return checked(index + 1 - source.firstIndex, total, `${where} auto (${what})`);
}

/**
 * Where a shard writes its JSON report unless told: `.slo-gate/report[-id]-shard-I-of-N.json` beside the
 * config, a distinct name per shard so that one artifact folder can hold them all for the merge.
 */
export function shardReportPath(configPath: string, shard: ShardSpec, gateId = ''): string {
  const name = `report${gateId ? `-${gateId}` : ''}-shard-${shard.index}-of-${shard.total}.json`;
  return path.join(path.dirname(path.resolve(configPath)), '.slo-gate', name);
}
