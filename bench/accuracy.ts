/**
 * How close the gate's percentiles come to the truth, beside hey and bare autocannon, on four servers:
 *   (a) known latency (test/servers/known-latency.mjs): the truth is analytic;
 *   (b) Flask under gunicorn -w 2 sync workers (`Connection: close`): hey is the reference, and Little's law
 *       (mean latency = connections ÷ throughput) checks every client's mean;
 *   (c) a server that stops 700 ms every 2 s, at a fixed 100 req/s over 5 connections: the truth is what
 *       requests arriving evenly at 100/s would wait;
 *   (d) a server that never answers 10% of requests: their latency is unbounded, so p95 and p99 must come
 *       out at least at the request timeout;
 *   (e) the capacity search (issue #11) against N workers holding each request D ms: the truth is N/D.
 * Prints a markdown table for the README's "How we measure" section.
 *
 *   npx tsx bench/accuracy.ts [a] [b] [c] [d] [e]     (no argument: all five)
 */
import autocannon from 'autocannon';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadMeasurement, type LoadPlan } from '../src/load/run-load.js';
import { summarizeLatencies } from '../src/stats/latency-summary.js';
import { startChildServer, startNodeServer } from '../test/helpers/servers.js';
import { hasGunicorn, startGunicorn } from '../test/helpers/gunicorn.js';
import { hasHey, runHey, type HeyOptions, type HeyResult } from '../test/helpers/hey.js';
import { measureCapacityCase } from './lib/capacity-case.js';
import { measureQuietly } from './lib/machine.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

interface Row {
  server: string;
  client: string;
  p50: string;
  p95: string;
  p99: string;
  mean: string;
  rps: string;
  errors: string;
  notes: string;
}

const ms = (value: number | undefined): string => {
  if (value === undefined || Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return '∞';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
};
const percent = (part: number, whole: number) => (whole ? `${((100 * part) / whole).toFixed(1)}%` : '—');

interface Shape {
  connections: number;
  durationS: number;
  ratePerSecond?: number;
  requestTimeoutS: number;
}

/** A warm-up of the server and of the gate's code, not measured; every measured run starts cold of warmup. */
async function warmUp(url: string, shape: Shape): Promise<void> {
  await runLoad({ ...gatePlan(url, shape), durationMs: 1000 });
}

const gatePlan = (url: string, shape: Shape): LoadPlan => ({
  url,
  method: 'GET',
  headers: {},
  connections: shape.connections,
  ratePerSecond: shape.ratePerSecond,
  warmupMs: 0,
  durationMs: shape.durationS * 1000,
  requestTimeoutMs: shape.requestTimeoutS * 1000,
});

function gateRow(server: string, m: LoadMeasurement, samples: Float64Array, client: string, notes = ''): Row {
  const summary = summarizeLatencies(samples);
  const failed = m.failures.status + m.failures.socket + m.failures.timeout;
  return {
    server,
    client,
    p50: ms(summary?.p50),
    p95: ms(summary?.p95),
    p99: ms(summary?.p99),
    mean: ms(summary?.mean),
    rps: (m.requests / (m.windowMs / 1000)).toFixed(0),
    errors: failed
      ? `${failed} (${percent(failed, m.requests)})${m.failures.timeout ? ' timeouts' : ''}`
      : '0',
    notes,
  };
}

async function measureGate(
  server: string,
  url: string,
  shape: Shape,
): Promise<{ row: Row; m: LoadMeasurement }> {
  const m = await runLoad(gatePlan(url, shape));
  return { row: gateRow(server, m, m.latenciesMs, 'slo-gate'), m };
}

async function measureHey(server: string, url: string, shape: Shape, notes = ''): Promise<Row> {
  const options: HeyOptions = {
    connections: shape.connections,
    durationS: shape.durationS,
    requestTimeoutS: shape.requestTimeoutS,
    ...(shape.ratePerSecond ? { ratePerConnection: shape.ratePerSecond / shape.connections } : {}),
  };
  const hey: HeyResult = await runHey(url, options);
  const answered = Object.values(hey.statusCodes).reduce((a, b) => a + b, 0);
  return {
    server,
    client: 'hey',
    p50: ms(hey.percentilesMs[50]),
    p95: ms(hey.percentilesMs[95]),
    p99: ms(hey.percentilesMs[99]),
    mean: ms(hey.averageMs),
    rps: hey.requestsPerSecond.toFixed(0),
    errors: hey.errors ? `${hey.errors} (${percent(hey.errors, hey.errors + answered)})` : '0',
    notes,
  };
}

async function measureAutocannon(server: string, url: string, shape: Shape, notes = ''): Promise<Row> {
  const result: autocannon.Result = await autocannon({
    url,
    connections: shape.connections,
    duration: shape.durationS,
    timeout: shape.requestTimeoutS,
    ...(shape.ratePerSecond ? { overallRate: shape.ratePerSecond } : {}),
  });
  const { latency } = result;
  const sent = result.requests.total + result.errors;
  return {
    server,
    client: 'autocannon',
    p50: String(latency.p50),
    // autocannon's histogram has no p95: the two percentiles around it.
    p95: `— (p90 ${latency.p90}, p97.5 ${latency.p97_5})`,
    p99: String(latency.p99),
    mean: ms(latency.mean),
    rps: (result.requests.total / result.duration).toFixed(0),
    errors: result.errors ? `${result.errors} (${percent(result.errors, sent)})` : '0',
    notes: [notes, `${latency.totalCount} samples for ${result.requests.total} responses`]
      .filter(Boolean)
      .join('; '),
  };
}

const truthRow = (server: string, p50: string, p95: string, p99: string, notes: string, mean = ''): Row => ({
  server,
  client: '**truth**',
  p50,
  p95,
  p99,
  mean,
  rps: '',
  errors: '',
  notes,
});

/** The scenarios asked for on the command line, or all. */
const selected = new Set(process.argv.slice(2).length ? process.argv.slice(2) : ['a', 'b', 'c', 'd', 'e']);

const rows: Row[] = [];
const commands: string[] = [];
const machineNotes: string[] = [];

/** Runs one scenario with its server, stopped whatever happens. */
async function scenario(
  start: () => Promise<{ url: string; close(): Promise<void> }>,
  body: (url: string) => Promise<void>,
) {
  const server = await start();
  try {
    await body(server.url);
  } finally {
    await server.close();
  }
}

/**
 * One client's run on a quiet machine: measured again when something else used the CPU meanwhile, and
 * marked in the table if it never was quiet.
 */
async function quietly(label: string, measure: () => Promise<Row>): Promise<Row> {
  const { result, machine, quiet, attempts } = await measureQuietly(measure);
  machineNotes.push(`${label}: ${machine}${attempts > 1 ? ` (attempt ${attempts})` : ''}`);
  return quiet ? result : { ...result, notes: [result.notes, '⚠ machine busy'].filter(Boolean).join('; ') };
}

// (a) Known latency: MIN + SPAN·q² at quantile q, plus the round trip.
if (selected.has('a')) {
  const MIN_MS = 10;
  const SPAN_MS = 90;
  const name = '(a) known latency, 10 conns';
  const shape: Shape = { connections: 10, durationS: 5, requestTimeoutS: 5 };
  const at = (q: number) => MIN_MS + SPAN_MS * q * q;
  await scenario(
    () => startNodeServer('known-latency.mjs', { MIN_MS: String(MIN_MS), SPAN_MS: String(SPAN_MS) }),
    async (url) => {
      await warmUp(url, shape);
      rows.push(
        truthRow(
          name,
          ms(at(0.5)),
          ms(at(0.95)),
          ms(at(0.99)),
          'server wait; + round trip ~0.2–1 ms',
          ms(MIN_MS + SPAN_MS / 3),
        ),
      );
      rows.push(await quietly('a slo-gate', async () => (await measureGate(name, url, shape)).row));
      if (hasHey()) rows.push(await quietly('a hey', () => measureHey(name, url, shape)));
      rows.push(
        await quietly('a autocannon', () => measureAutocannon(name, url, shape, 'whole ms, floored')),
      );
      commands.push(
        `(a) MIN_MS=${MIN_MS} SPAN_MS=${SPAN_MS} PORT=0 node test/servers/known-latency.mjs; then hey -z 5s -c 10 URL; npx autocannon -c 10 -d 5 URL`,
      );
    },
  );
}

// (b) Flask under gunicorn, sync workers: `Connection: close` on every response.
if (selected.has('b') && hasGunicorn()) {
  const name = '(b) Flask, gunicorn -w 2 sync, 10 conns';
  const shape: Shape = { connections: 10, durationS: 5, requestTimeoutS: 5 };
  await scenario(
    () => startGunicorn({ workers: 2 }),
    async (base) => {
      const url = `${base}/items`;
      await warmUp(url, shape);
      const gate = await quietly('b slo-gate', async () => (await measureGate(name, url, shape)).row);
      const hey = hasHey()
        ? await quietly('b hey', () => measureHey(name, url, shape, 'reference'))
        : undefined;
      const bare = await quietly('b autocannon', () =>
        measureAutocannon(name, url, shape, 'Connection: close mis-timed'),
      );
      // Little's law: with every connection always waiting, mean latency = connections ÷ throughput.
      const little = (row: Row) => `Little: ${ms((1000 * shape.connections) / Number(row.rps))} ms mean`;
      const truthNotes = "hey's figures; each client's mean must equal connections ÷ its req/s";
      rows.push(truthRow(name, hey?.p50 ?? '?', hey?.p95 ?? '?', hey?.p99 ?? '?', truthNotes));
      for (const row of [gate, hey, bare]) {
        if (row) rows.push({ ...row, notes: [row.notes, little(row)].filter(Boolean).join('; ') });
      }
      commands.push(
        '(b) cd examples/python-flask && /usr/bin/gunicorn -w 2 -b 127.0.0.1:8000 app:app; ' +
          'then hey -z 5s -c 10 http://127.0.0.1:8000/items; npx autocannon -c 10 -d 5 http://127.0.0.1:8000/items',
      );
    },
  );
}

// (c) A server that stops PAUSE_MS every EVERY_MS, at a fixed rate: coordinated omission.
if (selected.has('c')) {
  const PAUSE_MS = 700;
  const EVERY_MS = 2000;
  const DELAY_MS = 2;
  const name = '(c) pauses 700 ms every 2 s, 100 req/s, 5 conns';
  // 10 s: five whole cycles, so the window holds the paused share exactly, whatever its phase.
  const shape: Shape = { connections: 5, durationS: 10, ratePerSecond: 100, requestTimeoutS: 5 };
  // Requests arriving evenly: a share PAUSE/EVERY (35%) lands in a pause and waits for its end, uniformly
  // 0–700 ms, plus the 2 ms answer; the rest take the 2 ms. So for q above 65%, the q-quantile is
  // DELAY + PAUSE·(q − 0.65)/0.35, and below it DELAY (+ timer lateness and round trip).
  const paused = PAUSE_MS / EVERY_MS;
  const at = (q: number) =>
    q <= 1 - paused ? DELAY_MS : DELAY_MS + (PAUSE_MS * (q - (1 - paused))) / paused;
  const mean = DELAY_MS + paused * (PAUSE_MS / 2);
  await scenario(
    () =>
      startNodeServer('pausing.mjs', {
        PAUSE_MS: String(PAUSE_MS),
        EVERY_MS: String(EVERY_MS),
        DELAY_MS: String(DELAY_MS),
      }),
    async (url) => {
      await warmUp(url, shape);
      const truthNotes = '35% of arrivals wait out a pause (0–700 ms)';
      rows.push(truthRow(name, `${at(0.5)}–3`, ms(at(0.95)), ms(at(0.99)), truthNotes, ms(mean)));
      let raw: Row | undefined;
      const gate = await quietly('c slo-gate', async () => {
        const { row, m } = await measureGate(name, url, shape);
        raw = gateRow(name, m, m.rawLatenciesMs, 'slo-gate, raw');
        return { ...row, notes: 'from the intended send time' };
      });
      rows.push(gate, { ...raw!, notes: 'same run, from the actual send: coordinated omission' });
      if (hasHey()) {
        const notes = 'hey -q 20 -c 5: skips sends while stalled, times from the actual send';
        rows.push(await quietly('c hey', () => measureHey(name, url, shape, notes)));
      }
      const notes = 'overallRate 100: per-second bursts, corrected with a 1 ms interval';
      rows.push(await quietly('c autocannon', () => measureAutocannon(name, url, shape, notes)));
      commands.push(
        '(c) PAUSE_MS=700 EVERY_MS=2000 PORT=0 node test/servers/pausing.mjs; ' +
          'then hey -z 10s -c 5 -q 20 URL; npx autocannon -c 5 -d 10 --overallRate 100 URL',
      );
    },
  );
}

// (d) A server that never answers one request in ten.
if (selected.has('d')) {
  const name = '(d) 10% never answered, 10 conns, 1 s timeout';
  const shape: Shape = { connections: 10, durationS: 5, requestTimeoutS: 1 };
  await scenario(
    () => startChildServer(process.execPath, [path.join(BENCH_DIR, 'servers', 'hanging.mjs')]),
    async (url) => {
      await warmUp(url, shape);
      const truthNotes = '10% of requests never answered: p95 and p99 must be ≥ the 1 s timeout';
      rows.push(truthRow(name, '2–3', '∞', '∞', truthNotes));
      const notes = 'timeouts are errors, not latencies';
      rows.push(await quietly('d slo-gate', async () => (await measureGate(name, url, shape)).row));
      if (hasHey()) rows.push(await quietly('d hey', () => measureHey(name, url, shape, notes)));
      rows.push(await quietly('d autocannon', () => measureAutocannon(name, url, shape, notes)));
      commands.push(
        '(d) PORT=0 node bench/servers/hanging.mjs; then hey -z 5s -c 10 -t 1 URL; npx autocannon -c 10 -d 5 -t 1 URL',
      );
    },
  );
}

// (e) Capacity: N workers each holding a request D ms answer at most N/D a second.
if (selected.has('e')) {
  for (const [workers, holdMs] of [
    [2, 50],
    [8, 20],
  ] as const) {
    const name = `(e) capacity, ${workers} workers × ${holdMs} ms`;
    const truth = (workers * 1000) / holdMs;
    rows.push({ ...truthRow(name, '', '', '', 'capacity N/D, req/s'), rps: String(truth) });
    rows.push(
      await quietly(`e ${workers}×${holdMs}`, async () => {
        const { found } = await measureCapacityCase(workers, holdMs);
        const off = percent(found.rps - truth, truth);
        const steps = found.steps.map((s) => `${s.offeredRps}${s.passed ? '' : '✗'}`).join(' ');
        return {
          server: name,
          client: 'slo-gate capacity',
          p50: '',
          p95: '',
          p99: '',
          mean: '',
          rps: String(found.rps),
          errors: '',
          notes: `${off} off the truth; next step broke ${found.limitedBy ?? 'nothing'}; steps ${steps}; ${(found.durationMs / 1000).toFixed(0)} s`,
        };
      }),
    );
    commands.push(
      `(e) WORKERS=${workers} HOLD_MS=${holdMs} PORT=0 node test/servers/workers.mjs; capacity from ${Math.round(truth * 0.13)} req/s, steps of 2 s, p95 target ${3 * holdMs} ms`,
    );
  }
}

const columns: [keyof Row, string][] = [
  ['server', 'server'],
  ['client', 'client'],
  ['p50', 'p50 ms'],
  ['p95', 'p95 ms'],
  ['p99', 'p99 ms'],
  ['mean', 'mean ms'],
  ['rps', 'req/s'],
  ['errors', 'errors'],
  ['notes', 'notes'],
];
console.log(`| ${columns.map(([, title]) => title).join(' | ')} |`);
console.log(
  `|${columns.map(([key]) => (['server', 'client', 'errors', 'notes'].includes(key) ? '---' : '---:')).join('|')}|`,
);
for (const row of rows) console.log(`| ${columns.map(([key]) => row[key]).join(' | ')} |`);
console.log(
  '\nautocannon has no p95: its p90 and p97.5 are shown instead, and its latencies are whole milliseconds (floored).',
);
console.log('\nCommands (every figure above: `npx tsx bench/accuracy.ts`):');
for (const command of commands) console.log(`- ${command}`);
console.log('\nMachine during each run (CPU used outside this benchmark; a busy run is measured again):');
for (const note of machineNotes) console.log(`- ${note}`);
