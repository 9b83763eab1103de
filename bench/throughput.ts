/**
 * Throughput of the gate's engine (runLoad over GateClient) against bare autocannon, same connections and
 * duration, against a server that answers at once, in a child process. The pairs take turns (and swap
 * order each pair) so that drift in the machine falls on both alike; a pair during which something else
 * used the CPU is measured again. Target: gate / bare ≥ 0.95.
 *
 *   npx tsx bench/throughput.ts [pairs=5] [seconds=5]
 */
import autocannon from 'autocannon';
import { runLoad } from '../src/load/run-load.js';
import { startChildServer } from '../test/helpers/servers.js';
import { measureQuietly } from './lib/machine.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PAIRS = Number(process.argv[2] ?? 5);
const DURATION_S = Number(process.argv[3] ?? 5);
const CONNECTIONS = 10;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

async function gateRequestsPerSecond(url: string, durationS: number): Promise<number> {
  const m = await runLoad({
    url,
    method: 'GET',
    headers: {},
    connections: CONNECTIONS,
    warmupMs: 0,
    durationMs: durationS * 1000,
    requestTimeoutMs: 5000,
  });
  if (m.successes !== m.requests) throw new Error(`gate: ${m.requests - m.successes} requests failed`);
  return m.requests / (m.windowMs / 1000);
}

async function bareRequestsPerSecond(url: string, durationS: number): Promise<number> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: durationS });
  if (result.errors || result.non2xx)
    throw new Error(`autocannon: ${result.errors} errors, ${result.non2xx} non-2xx`);
  // requests.total counts responses; duration is the run's actual length in seconds.
  return result.requests.total / result.duration;
}

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'ok.mjs');
const server = await startChildServer(process.execPath, [serverScript]);
try {
  const url = `${server.url}/`;
  console.log(
    `server: ${url} (child process); ${CONNECTIONS} connections, ${DURATION_S} s per run, no warmup`,
  );
  // One short unmeasured run of each, so neither is timed while its code is still cold.
  await gateRequestsPerSecond(url, 1);
  await bareRequestsPerSecond(url, 1);

  const ratios: number[] = [];
  const quietRatios: number[] = [];
  console.log('\n| pair | gate req/s | bare autocannon req/s | gate / bare | machine |');
  console.log('|---:|---:|---:|---:|---|');
  for (let pair = 1; pair <= PAIRS; pair++) {
    const { result, machine, quiet, attempts } = await measureQuietly(async () => {
      if (pair % 2) {
        const gate = await gateRequestsPerSecond(url, DURATION_S);
        return { gate, bare: await bareRequestsPerSecond(url, DURATION_S) };
      }
      const bare = await bareRequestsPerSecond(url, DURATION_S);
      return { gate: await gateRequestsPerSecond(url, DURATION_S), bare };
    });
    const ratio = result.gate / result.bare;
    ratios.push(ratio);
    if (quiet) quietRatios.push(ratio);
    const tries = attempts > 1 ? ` (attempt ${attempts})` : '';
    console.log(
      `| ${pair} | ${result.gate.toFixed(0)} | ${result.bare.toFixed(0)} | ${ratio.toFixed(3)} | ${machine}${tries} |`,
    );
  }
  // A pair still disturbed after its retries says little about either client: the verdict leaves it out.
  const judged = quietRatios.length ? quietRatios : ratios;
  const medianRatio = median(judged);
  const verdict = medianRatio >= 0.95 ? 'met' : 'NOT met';
  console.log(`\nmedian gate / bare over all ${ratios.length} pairs: ${median(ratios).toFixed(3)}`);
  console.log(
    `median gate / bare over the ${judged.length} ${quietRatios.length ? 'quiet' : '(none quiet!)'} pairs: ` +
      `${medianRatio.toFixed(3)} (target ≥ 0.95: ${verdict})`,
  );
} finally {
  await server.close();
}
