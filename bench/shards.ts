/**
 * Replicates tighten the regression interval (issue #12): the 95% interval of the p95 change should narrow
 * about as 1/√N when N replicates of the same rounds are pooled. Pooling is the rule a merge uses
 * (src/baseline/compare.ts relativeChange): every replicate's per-round (base, head) p95 values are
 * concatenated, so N replicates of R rounds are N×R pairs, and one Student t interval is taken over them.
 *
 * Base and head are two copies of one server on 127.0.0.1, identical, so any change is noise. Each replicate
 * is a real baseline run through the engine: the same alternating rounds (runRounds) of the same load
 * (runLoad, the config's defaults: 6 rounds of 2 s, 2 s warmups, 10 connections) as `slo-gate run` with a
 * `baseline`; replicates run one after another. The `--runs` replicates are split into disjoint groups of
 * 1, 2 and 4, and the table gives each group size's median interval width against the width of one
 * replicate. The expected ratio is 1/√N, and a little less, since Student's t falls with the rounds
 * (t(5) = 2.571 for one replicate of 6, t(23) = 2.069 for four): both are printed.
 *
 *   npx tsx bench/shards.ts [--runs 16] [--server node|httpbin]
 *
 * node: test/servers/service.mjs (DELAY_MS=10, GET /work). httpbin: Debian's python3-httpbin under
 * gunicorn (2 sync workers, GET /get), a real service; 4 connections, since it serves 2 at a time.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { relativeChange, t975 } from '../src/baseline/compare.js';
import { runRounds, type Side } from '../src/baseline/rounds.js';
import { parseConfig } from '../src/config/load-config.js';
import { loadPlan } from '../src/gate-parts.js';
import { runLoad } from '../src/load/run-load.js';
import { summarizeLatencies } from '../src/stats/latency-summary.js';
import { SERVERS_DIR } from '../test/helpers/servers.js';
import { otherCpuUse, takeCpuSnapshot } from './lib/machine.js';

const { values: options } = parseArgs({
  options: {
    runs: { type: 'string', default: '16' },
    server: { type: 'string', default: 'node' },
  },
});
const RUNS = Number(options.runs);
if (!Number.isInteger(RUNS) || RUNS < 4)
  throw new Error(`--runs: expected a whole number ≥ 4, got ${options.runs}`);
const SERVER = options.server;
if (SERVER !== 'node' && SERVER !== 'httpbin')
  throw new Error(`--server: expected node or httpbin, got ${SERVER}`);
const GROUP_SIZES = [1, 2, 4];

/** A port in 20000–40000, where the other jobs on this machine do not look. */
const randomPort = () => 20000 + Math.floor(Math.random() * 20000);

interface Server {
  url: string;
  child: ChildProcess;
}

/** Starts one copy and waits until it answers, for up to 15 s. */
async function startServer(): Promise<Server> {
  const port = randomPort();
  const child =
    SERVER === 'node'
      ? spawn(process.execPath, [path.join(SERVERS_DIR, 'service.mjs')], {
          env: { ...process.env, PORT: String(port), DELAY_MS: '10' },
          stdio: 'ignore',
        })
      : spawn('gunicorn', ['-w', '2', '-b', `127.0.0.1:${port}`, 'httpbin:app'], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the ${SERVER} server on port ${port} exited (${child.exitCode})`);
    const up = await fetch(`${url}/${SERVER === 'node' ? 'health' : 'get'}`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the ${SERVER} server on port ${port} did not answer within 15 s`);
}

function stopServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

/** One replicate's per-round p95s, `base[i]` and `head[i]` measured back to back. */
interface Replicate {
  base: number[];
  head: number[];
  /** Others' CPU during the replicate, in percent of one core. */
  othersPercent: number;
}

async function runReplicate(base: Server, head: Server): Promise<Replicate> {
  const endpointPath = SERVER === 'node' ? '/work' : '/get';
  const connections = SERVER === 'node' ? 10 : 4;
  // The user's config: only the endpoint and the connections; rounds, durations and warmup default.
  const config = parseConfig(
    `target: ${head.url}\nbaseline: { target: ${base.url} }\nload: { connections: ${connections} }\n` +
      `endpoints: [{ path: ${endpointPath} }]\n`,
    'shards-bench.yml',
    {},
  );
  const { load, baseline } = config;
  const endpoint = config.endpoints[0]!;
  const urls: Record<Side, string> = { base: base.url + endpointPath, head: head.url + endpointPath };
  const before = takeCpuSnapshot();
  const windows = await runRounds(baseline!.rounds, {
    warm: async (side) => void (await runLoad(loadPlan(endpoint, load, urls[side], load.warmupMs, 0))),
    measure: (side) => runLoad(loadPlan(endpoint, load, urls[side], 0, baseline!.roundDurationMs)),
    stopped: () => false,
  });
  const p95s = (side: Side) => windows[side].map((m) => summarizeLatencies(m.latenciesMs)?.p95 ?? NaN);
  return {
    base: p95s('base'),
    head: p95s('head'),
    othersPercent: otherCpuUse(before, takeCpuSnapshot()).cpuPercent,
  };
}

/** The pooled interval's width, in percentage points, of replicates pooled as a merge pools them. */
function pooledWidth(group: Replicate[]): number | undefined {
  const change = relativeChange(
    group.flatMap((r) => r.base),
    group.flatMap((r) => r.head),
  );
  return change && 100 * (change.high - change.low);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

console.log(
  `${RUNS} replicates, one after another, of identical base and head (${SERVER}); default rounds, ` +
    `round-duration and warmup; ${os.cpus().length} CPUs; load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
);
const servers = [await startServer(), await startServer()];
const replicates: Replicate[] = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const startedMs = performance.now();
    const replicate = await runReplicate(servers[0]!, servers[1]!);
    replicates.push(replicate);
    const width = pooledWidth([replicate]);
    console.log(
      `${String(i + 1).padStart(2)} width ${width === undefined ? 'n/a' : `${width.toFixed(1)} points`}  ` +
        `${((performance.now() - startedMs) / 1000).toFixed(1)} s  others ${replicate.othersPercent.toFixed(0)}% of a core  ` +
        `p95 base ${replicate.base.map((v) => v.toFixed(2)).join(' ')} | head ${replicate.head.map((v) => v.toFixed(2)).join(' ')}`,
    );
  }
} finally {
  await Promise.all(servers.map(stopServer));
}

const rounds = replicates[0]!.base.length;
const widthsOf = (size: number) =>
  Array.from({ length: Math.floor(replicates.length / size) }, (_, g) =>
    pooledWidth(replicates.slice(g * size, (g + 1) * size)),
  ).filter((w): w is number => w !== undefined);
const oneWidth = median(widthsOf(1));
console.log(
  `\nload average at the end: ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
console.log('\n| replicates | pairs | groups | median width | ratio to 1 replicate | 1/√N | 1/√N with t |');
console.log('|--:|--:|--:|--:|--:|--:|--:|');
for (const size of GROUP_SIZES) {
  const widths = widthsOf(size);
  const width = median(widths);
  const withT = t975(size * rounds - 1) / t975(rounds - 1) / Math.sqrt(size);
  console.log(
    `| ${size} | ${size * rounds} | ${widths.length} | ${width.toFixed(2)} points | ${(width / oneWidth).toFixed(3)} | ` +
      `${(1 / Math.sqrt(size)).toFixed(3)} | ${withT.toFixed(3)} |`,
  );
}
