/**
 * Throughput of the gate's engine (runLoad over GateClient) against bare autocannon, same connections and
 * duration, against a server that answers at once, in a child process. The pairs take turns (and swap
 * order each pair) so that drift in the machine falls on both alike; a pair during which something else
 * used the CPU is measured again. Target: gate / bare ≥ 0.95.
 *
 * Each pair also runs the gate on a templated path, `/items/{{ items.id }}` drawn from a 10,000-row CSV
 * in random order (issue #10): every request is built anew. Target: templated gate / bare autocannon on
 * one fixed URL ≥ 0.90.
 *
 *   npx tsx bench/throughput.ts [pairs=5] [seconds=5]
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { parseConfig } from '../src/config/load-config.js';
import { DataCursors, RequestSource } from '../src/load/requests.js';
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

async function gateRequestsPerSecond(
  url: string,
  durationS: number,
  nextRequest?: () => Buffer | undefined,
): Promise<number> {
  const m = await runLoad({
    url,
    method: 'GET',
    headers: {},
    connections: CONNECTIONS,
    warmupMs: 0,
    durationMs: durationS * 1000,
    requestTimeoutMs: 5000,
    nextRequest,
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

/** `/items/{{ items.id }}` over a 10,000-row CSV, through the config loader as a user's config goes. */
function templatedRequests(target: string): () => Buffer | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'slo-gate-bench-'));
  try {
    const rows = Array.from({ length: 10_000 }, (_, i) => `${1000 + i},item ${i}`);
    writeFileSync(path.join(dir, 'items.csv'), ['id,name', ...rows].join('\n') + '\n');
    const yml = `target: ${target}\ndata: { items: { file: items.csv, order: random } }\nendpoints:\n  - path: /items/{{ items.id }}\n`;
    const config = parseConfig(yml, path.join(dir, 'slo-gate.yml'), {});
    const endpoint = config.endpoints[0]!;
    const source = new RequestSource(
      { ...endpoint, target, templates: endpoint.templates! },
      new DataCursors(config.data!),
    );
    return () => source.next();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const serverScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'servers', 'ok.mjs');
const server = await startChildServer(process.execPath, [serverScript]);
try {
  const url = `${server.url}/`;
  console.log(
    `server: ${url} (child process); ${CONNECTIONS} connections, ${DURATION_S} s per run, no warmup`,
  );
  const templated = templatedRequests(server.url);
  // One short unmeasured run of each, so none is timed while its code is still cold.
  await gateRequestsPerSecond(url, 1);
  await gateRequestsPerSecond(url, 1, templated);
  await bareRequestsPerSecond(url, 1);

  const ratios: number[] = [];
  const quietRatios: number[] = [];
  const templatedRatios: number[] = [];
  const quietTemplatedRatios: number[] = [];
  console.log(
    '\n| pair | gate req/s | templated gate req/s | bare autocannon req/s | gate / bare | templated / bare | machine |',
  );
  console.log('|---:|---:|---:|---:|---:|---:|---|');
  for (let pair = 1; pair <= PAIRS; pair++) {
    const { result, machine, quiet, attempts } = await measureQuietly(async () => {
      if (pair % 2) {
        const gate = await gateRequestsPerSecond(url, DURATION_S);
        const gateTemplated = await gateRequestsPerSecond(url, DURATION_S, templated);
        return { gate, gateTemplated, bare: await bareRequestsPerSecond(url, DURATION_S) };
      }
      const bare = await bareRequestsPerSecond(url, DURATION_S);
      const gateTemplated = await gateRequestsPerSecond(url, DURATION_S, templated);
      return { gate: await gateRequestsPerSecond(url, DURATION_S), gateTemplated, bare };
    });
    const ratio = result.gate / result.bare;
    const templatedRatio = result.gateTemplated / result.bare;
    ratios.push(ratio);
    templatedRatios.push(templatedRatio);
    if (quiet) quietRatios.push(ratio);
    if (quiet) quietTemplatedRatios.push(templatedRatio);
    const tries = attempts > 1 ? ` (attempt ${attempts})` : '';
    console.log(
      `| ${pair} | ${result.gate.toFixed(0)} | ${result.gateTemplated.toFixed(0)} | ${result.bare.toFixed(0)} | ${ratio.toFixed(3)} | ${templatedRatio.toFixed(3)} | ${machine}${tries} |`,
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
  const judgedTemplated = quietTemplatedRatios.length ? quietTemplatedRatios : templatedRatios;
  const medianTemplated = median(judgedTemplated);
  console.log(
    `median templated gate / bare over the ${judgedTemplated.length} ${quietTemplatedRatios.length ? 'quiet' : '(none quiet!)'} pairs: ` +
      `${medianTemplated.toFixed(3)} (all pairs ${median(templatedRatios).toFixed(3)}; target ≥ 0.90: ${medianTemplated >= 0.9 ? 'met' : 'NOT met'})`,
  );
} finally {
  await server.close();
}
