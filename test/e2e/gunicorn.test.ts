/**
 * Regression test for autocannon 9's `Connection: close` bug (see src/load/gate-client.ts): gunicorn's sync
 * workers close the connection after every response, and autocannon read a 5 ms Flask endpoint as a p50 of
 * over a second. The gate's engine and hey (Go's HTTP client, a reference) take turns against the same
 * endpoint and must agree; gunicorn's access log checks, on the server's side, that every request the gate
 * counted was served once.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasGunicorn, startGunicorn, type Gunicorn } from '../helpers/gunicorn.js';
import { hasHey, runHey, type HeyResult } from '../helpers/hey.js';
import { inCi } from '../helpers/runtimes.js';
import { runLoad, type LoadMeasurement } from '../../src/load/run-load.js';
import { summarizeLatencies, type LatencySummary } from '../../src/stats/latency-summary.js';

// CI installs both (.ci/run); on a developer machine without them the test is skipped, never in CI.
// (describe.skipIf rather than it.skipIf: the hooks that boot gunicorn must be skipped too.)
const canRun = inCi || (hasGunicorn() && hasHey());

const WORKERS = 2;
const CONNECTIONS = 10;
const ROUNDS = 3;
/** Long enough for 500+ requests a round (about 350/s), as many as the checks below need. */
const ROUND_S = 1.5;
/** The endpoint's handler sleeps this long. */
const HANDLER_SLEEP_MS = 5;

describe.skipIf(!canRun)('gunicorn sync workers (Connection: close)', () => {
  let gunicorn: Gunicorn | undefined;
  let logDir = '';
  let accessLog = '';

  beforeAll(async () => {
    logDir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-e2e-'));
    accessLog = path.join(logDir, 'access.log');
    gunicorn = await startGunicorn({ workers: WORKERS, accessLogFile: accessLog });
  });
  afterAll(async () => {
    await gunicorn?.close();
    if (logDir) await rm(logDir, { recursive: true, force: true });
  });

  /**
   * Requests gunicorn served for one run, told apart by a query string Flask ignores. A worker logs a request
   * just after answering it, so give the last lines a moment to land.
   */
  const servedFor = async (tag: string, expected: number): Promise<number> => {
    let served = 0;
    for (let attempt = 0; attempt < 20; attempt++) {
      const log = await readFile(accessLog, 'utf8');
      served = log.split('\n').filter((line) => line.includes(`/items?run=${tag} `)).length;
      if (served >= expected) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return served;
  };

  const gateRun = (tag: string, durationMs = ROUND_S * 1000) =>
    runLoad({
      url: `${gunicorn!.url}/items?run=${tag}`,
      method: 'GET',
      headers: {},
      connections: CONNECTIONS,
      // No warmup: then every request the server saw under this tag was due in the measured window.
      warmupMs: 0,
      durationMs,
      requestTimeoutMs: 5000,
    });

  it('measures what hey measures, and counts only requests the server served', async () => {
    // Warm both: Flask's first requests and the client's JIT are not what either run should measure. Half a
    // second is about 150 requests, more than hey's warmup.
    await runHey(`${gunicorn!.url}/items?run=warmup`, { connections: CONNECTIONS, requests: 100 });
    await gateRun('warmup', 500);

    const hey: HeyResult[] = [];
    const gate: { m: LoadMeasurement; summary: LatencySummary; served: number }[] = [];
    // Taking turns, so a change in the machine's load falls on both alike.
    for (let round = 0; round < ROUNDS; round++) {
      hey.push(
        await runHey(`${gunicorn!.url}/items?run=hey-${round}`, {
          connections: CONNECTIONS,
          durationS: ROUND_S,
        }),
      );
      const m = await gateRun(`gate-${round}`);
      const served = await servedFor(`gate-${round}`, m.requests);
      gate.push({ m, summary: summarizeLatencies(m.latenciesMs)!, served });
    }
    const described = gate
      .map(
        ({ summary }, i) =>
          `gate p50 ${summary.p50.toFixed(2)} p95 ${summary.p95.toFixed(2)} ms; ` +
          `hey p50 ${hey[i]!.percentilesMs[50].toFixed(1)} p95 ${hey[i]!.percentilesMs[95].toFixed(1)} ms`,
      )
      .join('\n');

    for (const { m, summary, served } of gate) {
      // Every request counted got exactly one 200, and the server saw each of them once: no phantoms.
      expect(m.requests).toBeGreaterThan(300);
      expect(m.successes).toBe(m.requests);
      expect(m.failures).toEqual({ status: 0, timeout: 0, socket: 0 });
      expect(m.statusCodes).toEqual({ 200: m.requests });
      expect(m.latenciesMs.length).toBe(m.requests);
      expect(served).toBe(m.requests);
      // Little's law: 10 connections, each always waiting on one request, so mean latency × throughput
      // must come to 10. Latencies read off the wrong request (autocannon's bug) break this.
      expect((summary.mean * m.requests) / m.windowMs).toBeCloseTo(CONNECTIONS, 0);
      // Two sync workers serve one request each at a time: with 10 connections, a request waits for the
      // ~4 queued before it, then is served, so p50 is ~5 service times of 5 ms sleep + Flask's overhead.
      const perServiceMs = summary.p50 / (CONNECTIONS / WORKERS);
      expect(perServiceMs, described).toBeGreaterThan(HANDLER_SLEEP_MS);
      expect(perServiceMs, described).toBeLessThan(HANDLER_SLEEP_MS + 3);
    }
    for (const h of hey) expect(h.errors).toBe(0);

    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const gateP95 = mean(gate.map(({ summary }) => summary.p95));
    const heyP95 = mean(hey.map((h) => h.percentilesMs[95]));
    expect(Math.abs(gateP95 - heyP95) / heyP95, described).toBeLessThan(0.1);
  }, 40_000);
});
