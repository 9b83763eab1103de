/**
 * Accuracy against a server whose latency distribution is known (test/servers/known-latency.mjs): request k
 * waits MIN + SPAN·u_k² ms with u_k = frac(k·golden ratio) evenly spread over [0, 1), so the q-quantile of
 * the wait is MIN + SPAN·q². On a busy machine the server's timers run late, so the exact truth is what the
 * server reports it held each request for. A perfect client measures that hold plus a round trip. So:
 * - The server served exactly the requests the gate counted.
 * - No percentile may come out below the holds' percentile: a client cannot see a response before it was
 *   made. This catches start times stamped late, latencies floored to whole ms, responses matched to the
 *   wrong request.
 * - The round trip (mean latency minus mean hold) is small and positive, and each percentile is within 3%
 *   of the true latency, the holds' percentile plus that round trip: this catches start times stamped
 *   early and a skewed distribution.
 * - The holds follow the analytic distribution ("evenly spread" holds only to the sequence's discrepancy:
 *   the u of any n consecutive requests are within ~3.5/n of uniform, checked numerically for n from 300
 *   to 2000).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad, type LoadPlan } from '../../src/load/run-load.js';
import { summarizeLatencies } from '../../src/stats/latency-summary.js';
import { startNodeServer, type TestServer } from '../helpers/servers.js';

const MIN_MS = 10;
const SPAN_MS = 90;
const CONNECTIONS = 10;
const WINDOW_MS = 3000;
/** The server's wait at quantile q. */
const waitAtMs = (q: number) => MIN_MS + SPAN_MS * Math.max(0, q) ** 2;
/**
 * The client's mean round trip over the server's hold: loopback, parsing and scheduling on both sides,
 * ~0.2 ms on an idle machine; a busy 2-core runner stretches it, hence the margin.
 */
const MAX_ROUND_TRIP_MS = 3;
/** How late the server's timers may run on average on a busy machine (idle: ~0.01 ms). */
const MAX_SERVER_LATENESS_MS = 5;
/** Discrepancy of n consecutive terms of frac(k·golden ratio): at most ~3.5/n; 4/n with a margin. */
const discrepancy = (n: number) => 4 / n;

describe('latency accuracy against a known distribution', () => {
  let server: TestServer | undefined;
  beforeAll(async () => {
    // A child process: the server's timing must not share an event loop with the load.
    server = await startNodeServer('known-latency.mjs', { MIN_MS: String(MIN_MS), SPAN_MS: String(SPAN_MS) });
  });
  afterAll(() => server?.close());

  const plan = (overrides: Partial<LoadPlan>): LoadPlan => ({
    url: `${server!.url}/`,
    method: 'GET',
    headers: {},
    connections: CONNECTIONS,
    warmupMs: 0,
    durationMs: WINDOW_MS,
    requestTimeoutMs: 2000,
    ...overrides,
  });

  /** What the server says it held each request for since the last call, in ms. */
  const holds = async (): Promise<Float64Array> => {
    const res = await fetch(`${server!.url}/__holds`);
    return Float64Array.from((await res.json()) as number[]);
  };

  it('measures p50, p95 and p99 within 3% of the truth, and never below what the server held', async () => {
    // Warm the client's and the server's code first, in a run of its own, so the measured one can start
    // with every connection sending at the window's start.
    await runLoad(plan({ durationMs: 500 }));
    await holds();
    const m = await runLoad(plan({}));
    const held = await holds();

    expect(m.successes).toBe(m.requests);
    expect(m.failures).toEqual({ status: 0, timeout: 0, socket: 0 });
    expect(m.latenciesMs.length).toBe(m.requests);
    // Every request counted was served once, and none the server served went uncounted.
    expect(held.length).toBe(m.requests);
    // Microsecond resolution, not whole milliseconds as autocannon's histogram keeps them.
    const wholeMs = m.latenciesMs.filter((ms) => Number.isInteger(ms)).length;
    expect(wholeMs).toBeLessThan(0.01 * m.requests);
    const summary = summarizeLatencies(m.latenciesMs)!;
    const truth = summarizeLatencies(held)!;
    const n = summary.count;
    // 10 connections at a mean of ~40 ms: ~750 requests.
    expect(n).toBeGreaterThan(600);

    // The server kept to its distribution: the mean of the waits is MIN + SPAN/3, give or take SPAN × the
    // discrepancy, plus its own lateness on a busy machine.
    expect(truth.mean).toBeGreaterThan(MIN_MS + SPAN_MS / 3 - SPAN_MS * discrepancy(n));
    expect(truth.mean).toBeLessThan(MIN_MS + SPAN_MS / 3 + MAX_SERVER_LATENESS_MS);
    // The round trip: what the client adds on average to what the server held.
    const roundTripMs = summary.mean - truth.mean;
    expect(roundTripMs).toBeGreaterThan(0);
    expect(roundTripMs).toBeLessThan(MAX_ROUND_TRIP_MS);

    const quantiles = [0.5, 0.95, 0.99] as const;
    const at = (s: typeof summary, q: (typeof quantiles)[number]) =>
      q === 0.5 ? s.p50 : q === 0.95 ? s.p95 : s.p99;
    const report =
      quantiles
        .map(
          (q) =>
            `p${q * 100} ${at(summary, q).toFixed(3)} ms, server held ${at(truth, q).toFixed(3)} ms, ` +
            `analytic wait ${waitAtMs(q).toFixed(3)} ms`,
        )
        .join('; ') + `; round trip ${roundTripMs.toFixed(3)} ms, ${n} samples`;
    for (const q of quantiles) {
      // Each request's latency is at least its hold, so each quantile is at least the holds' quantile: a
      // client that floors to whole ms, stamps starts late or mixes up requests breaks this.
      expect(at(summary, q), report).toBeGreaterThanOrEqual(at(truth, q));
      // The true latency at q is the hold plus the round trip: the measured percentile is within 3% of it.
      const trueMs = at(truth, q) + roundTripMs;
      expect(Math.abs(at(summary, q) - trueMs) / trueMs, report).toBeLessThan(0.03);
      // The analytic truth, as a check on the server: never below the wait's quantile.
      expect(at(truth, q), report).toBeGreaterThanOrEqual(waitAtMs(q - discrepancy(n)));
    }
  });
});
