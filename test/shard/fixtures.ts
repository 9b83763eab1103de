/** Synthetic shard reports for the merge's table tests: results built by the run's own code, no sockets. */
import type { Logger } from '../../src/log.js';
import type { LoadMeasurement } from '../../src/load/run-load.js';
import type { EndpointResult, GateResult } from '../../src/report/model.js';
import type { ShardReport } from '../../src/shard/read-reports.js';
import { gateResult } from '../verdict/fixtures.js';

/** A seeded generator: the same samples every run. */
export function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

/** Latencies with a body and a long tail, like a service's. */
export function latencies(n: number, seed: number, scaleMs: number): Float64Array {
  const random = seeded(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = scaleMs * (0.2 - Math.log(1 - random()) * (random() < 0.02 ? 20 : 1));
  return out;
}

/** Every n-th sample from `offset`: one shard's share of a measurement split round-robin. */
export const everyNth = (samples: Float64Array, n: number, offset: number): Float64Array =>
  samples.filter((_, i) => i % n === offset);

/** A window whose requests are `latenciesMs` successes plus `failed` HTTP 500s. */
export function measuredWindow(latenciesMs: Float64Array, failed = 0, windowMs = 1000): LoadMeasurement {
  return {
    windowMs,
    requests: latenciesMs.length + failed,
    successes: latenciesMs.length,
    failures: { status: failed, timeout: 0, socket: 0 },
    statusCodes: failed > 0 ? { '200': latenciesMs.length, '500': failed } : { '200': latenciesMs.length },
    socketErrors: {},
    latenciesMs,
    rawLatenciesMs: latenciesMs,
    failedLatenciesMs: new Float64Array(failed).fill(1),
    longestSilenceMs: 0,
    trailingSilenceMs: 0,
    lateSends: 0,
    queuedSends: 0,
  };
}

/** A shard report as `run --shard index/total` writes it, through JSON like a file. */
export function shardReport(
  index: number,
  total: number,
  endpoints: EndpointResult[],
  overrides: Partial<GateResult> = {},
): ShardReport {
  const result: GateResult = {
    ...gateResult(endpoints),
    passed: true,
    verdict: 'passed',
    configHash: 'c0ffee',
    commit: '0123456789abcdef0123456789abcdef01234567',
    shard: { index, total },
    ...overrides,
  };
  return {
    file: `shard-${index}.json`,
    result: JSON.parse(JSON.stringify(result)) as ShardReport['result'],
  };
}

/** A logger that drops everything: the merge logs, these tests read its result. */
export const quiet: Logger = {
  info: () => {},
  warn: () => {},
  debug: () => {},
  output: () => {},
  group: (_title, body) => body(),
};
