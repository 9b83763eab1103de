/** Window accounting on synthetic request streams: no sockets, no clocks, times in ms from the run start. */
import { describe, expect, it } from 'vitest';
import type { RequestOutcome, RequestResult } from '../../src/load/gate-client.js';
import { WindowAccounting, type LoadMeasurement, type SendNote } from '../../src/load/window.js';

const ns = (ms: number): bigint => BigInt(Math.round(ms * 1e6));
/** The window is [1000, 2000) ms, requests time out after 500 ms. */
const bounds = { startNs: ns(1000), endNs: ns(2000), requestTimeoutNs: ns(500) };

const ok: RequestOutcome = { kind: 'response', statusCode: 200 };
const timeout: RequestOutcome = { kind: 'timeout' };

/** One event of a synthetic stream: a result (ms), a never-sent request, or a fixed-rate send. */
type Event =
  | {
      result: {
        outcome: RequestOutcome;
        dueMs: number;
        sentMs?: number;
        endMs: number;
        timedFromMs?: number;
      };
    }
  | { unsent: { dueMs: number; atMs: number } }
  | { send: { dueMs: number; queued: boolean; late: boolean } };

function replay(events: Event[], abortedAtMs?: number): LoadMeasurement {
  const window = new WindowAccounting(bounds, (code) => code >= 200 && code < 300);
  for (const event of events) {
    if ('result' in event) {
      const r = event.result;
      const result: RequestResult = {
        outcome: r.outcome,
        intendedNs: ns(r.dueMs),
        sentNs: ns(r.sentMs ?? r.dueMs),
        endNs: ns(r.endMs),
      };
      window.record(result, r.timedFromMs === undefined ? undefined : ns(r.timedFromMs));
    } else if ('unsent' in event) {
      window.recordUnsent(ns(event.unsent.dueMs), ns(event.unsent.atMs));
    } else {
      const note: SendNote = { ...event.send, intendedNs: ns(event.send.dueMs) };
      window.noteSend(note);
    }
  }
  return window.close(abortedAtMs === undefined ? undefined : ns(abortedAtMs));
}

const answered = (dueMs: number, endMs: number): Event => ({ result: { outcome: ok, dueMs, endMs } });
const timedOut = (dueMs: number): Event => ({ result: { outcome: timeout, dueMs, endMs: dueMs + 500 } });
const list = (a: Float64Array) => Array.from(a, (x) => Math.round(x * 1e3) / 1e3);

describe('WindowAccounting', () => {
  const cases: {
    name: string;
    events: Event[];
    abortedAtMs?: number;
    expected: Partial<Record<keyof LoadMeasurement, unknown>>;
  }[] = [
    {
      name: 'a request due before the window is not counted, even when it ends inside it',
      events: [answered(999, 1100), answered(1000, 1010)],
      expected: { requests: 1, successes: 1, latenciesMs: [10] },
    },
    {
      name: 'a request due at the end of the window belongs to the drain',
      events: [answered(1999, 2005), answered(2000, 2005)],
      expected: { requests: 1, statusCodes: { 200: 1 } },
    },
    {
      name: 'a timeout counts in the latencies at its timeout, raw too',
      events: [{ result: { outcome: timeout, dueMs: 1100, sentMs: 1100, endMs: 1600 } }],
      expected: {
        requests: 1,
        successes: 0,
        failures: { status: 0, timeout: 1, socket: 0 },
        latenciesMs: [500],
        rawLatenciesMs: [500],
      },
    },
    {
      name: 'latency runs from where it is timed from; raw latency from the actual send',
      events: [{ result: { outcome: ok, dueMs: 1100, timedFromMs: 1101, sentMs: 1150, endMs: 1160 } }],
      expected: { latenciesMs: [59], rawLatenciesMs: [10], failedLatenciesMs: [] },
    },
    {
      name: 'an unexpected status and a socket error are failures kept out of the SLO latencies',
      events: [
        { result: { outcome: { kind: 'response', statusCode: 500 }, dueMs: 1100, endMs: 1101 } },
        { result: { outcome: { kind: 'socket', code: 'ECONNRESET' }, dueMs: 1200, endMs: 1203 } },
        answered(1300, 1320),
      ],
      expected: {
        requests: 3,
        successes: 1,
        failures: { status: 1, timeout: 0, socket: 1 },
        statusCodes: { 200: 1, 500: 1 },
        socketErrors: { ECONNRESET: 1 },
        latenciesMs: [20],
        failedLatenciesMs: [1, 3],
      },
    },
    {
      name: 'the backlog still unsent at the drain deadline counts as timed out from its intended time',
      events: [{ unsent: { dueMs: 1900, atMs: 2500 } }, { unsent: { dueMs: 2000, atMs: 2500 } }],
      expected: {
        requests: 1,
        failures: { status: 0, timeout: 1, socket: 0 },
        latenciesMs: [600],
        // It never went out: no raw latency, rather than a 0 ms one.
        rawLatenciesMs: [],
        // Its connection was busy all along: it waited for it.
        queuedSends: 1,
      },
    },
    {
      name: 'a request sent late and cut short by the drain deadline is a timeout with no raw latency',
      events: [{ result: { outcome: timeout, dueMs: 1500, sentMs: 2460, endMs: 2500 } }],
      expected: { requests: 1, latenciesMs: [1000], rawLatenciesMs: [] },
    },
    {
      name: 'the longest silence is the longest gap between answers, from the window start',
      events: [answered(1000, 1100), answered(1100, 1500), answered(1500, 1600), answered(1900, 1950)],
      expected: { longestSilenceMs: 400, trailingSilenceMs: 0, lastAnswerMs: 950 },
    },
    {
      name: 'silence at the end counts when requests due in it timed out',
      events: [answered(1000, 1200), timedOut(1300), timedOut(1400)],
      expected: { trailingSilenceMs: 800, longestSilenceMs: 800, lastAnswerMs: 200 },
    },
    {
      name: 'silence at the end does not count when the only timeout was long before the last answer',
      events: [timedOut(1100), answered(1200, 1700)],
      expected: { trailingSilenceMs: 0, longestSilenceMs: 700 },
    },
    {
      name: 'nothing ever answered: silent from the start',
      events: [timedOut(1000), timedOut(1500)],
      expected: { trailingSilenceMs: 1000, lastAnswerMs: undefined, successes: 0 },
    },
    {
      name: 'an answer after the window ends is not a sign of life inside it',
      events: [answered(1000, 1100), answered(1900, 2100), timedOut(1950)],
      expected: { lastAnswerMs: 100, trailingSilenceMs: 900 },
    },
    {
      name: 'an answer inside the window to a request due in the warmup shows the service alive',
      events: [answered(900, 1900), timedOut(1000), timedOut(1100)],
      expected: { requests: 2, successes: 0, lastAnswerMs: 900, trailingSilenceMs: 0, longestSilenceMs: 900 },
    },
    {
      name: 'an answer before the window opens is not a sign of life inside it',
      events: [answered(900, 950), timedOut(1000)],
      expected: { lastAnswerMs: undefined, trailingSilenceMs: 1000 },
    },
    {
      name: 'an abort ends the window early',
      events: [answered(1000, 1100)],
      abortedAtMs: 1500,
      expected: { windowMs: 500, abortedAtMs: 500 },
    },
    {
      name: 'queued and late sends count only when due in the window',
      events: [
        { send: { dueMs: 900, queued: true, late: true } },
        { send: { dueMs: 1000, queued: true, late: false } },
        { send: { dueMs: 1500, queued: true, late: true } },
        { send: { dueMs: 1600, queued: false, late: false } },
        { send: { dueMs: 2000, queued: true, late: true } },
      ],
      expected: { queuedSends: 2, lateSends: 1, requests: 0 },
    },
  ];

  it.each(cases)('$name', ({ events, abortedAtMs, expected }) => {
    const m = replay(events, abortedAtMs);
    const seen = Object.fromEntries(
      Object.keys(expected).map((key) => {
        const value = m[key as keyof LoadMeasurement];
        return [key, value instanceof Float64Array ? list(value) : value];
      }),
    );
    expect(seen).toEqual(expected);
    // Every request counted ends in exactly one outcome.
    expect(m.successes + m.failures.status + m.failures.timeout + m.failures.socket).toBe(m.requests);
  });

  it('keeps the raw latency of successful requests sent alone, in any phase, as the unloaded latency', () => {
    const window = new WindowAccounting(bounds, (code) => code === 200);
    const alone = (dueMs: number, endMs: number, outcome: RequestOutcome = ok): RequestResult => ({
      outcome,
      intendedNs: ns(dueMs),
      sentNs: ns(dueMs + 1),
      endNs: ns(endMs),
    });
    window.recordUnloaded(alone(100, 151)); // in the warmup: where a saturated run has its only one
    window.recordUnloaded(alone(1500, 1541));
    window.recordUnloaded(alone(1600, 1601, { kind: 'response', statusCode: 500 }));
    window.recordUnloaded(alone(1700, 2200, timeout));
    expect(list(window.close().unloadedLatenciesMs!)).toEqual([50, 40]);
  });

  it('reports progress as requests and errors so far', () => {
    const window = new WindowAccounting(bounds, (code) => code === 200);
    window.record({ outcome: ok, intendedNs: ns(1000), sentNs: ns(1000), endNs: ns(1001) });
    window.record({ outcome: timeout, intendedNs: ns(1100), sentNs: ns(1100), endNs: ns(1600) });
    expect(window.progress()).toEqual({ requests: 2, errors: 1 });
  });
});

describe('stages in the window (issue #11)', () => {
  /** Stages [1000, 1400), [1400, 2000) ms inside the window. */
  const stages = [
    { startNs: ns(1000), endNs: ns(1400) },
    { startNs: ns(1400), endNs: ns(2000) },
  ];
  const replayStaged = (events: Event[], abortedAtMs?: number) => {
    const window = new WindowAccounting(bounds, (code) => code >= 200 && code < 300, stages);
    for (const event of events) {
      if ('result' in event) {
        const r = event.result;
        const result = {
          outcome: r.outcome,
          intendedNs: ns(r.dueMs),
          sentNs: ns(r.dueMs),
          endNs: ns(r.endMs),
        };
        window.record(result);
      } else if ('unsent' in event) window.recordUnsent(ns(event.unsent.dueMs), ns(event.unsent.atMs));
      else window.noteSend({ ...event.send, intendedNs: ns(event.send.dueMs) });
    }
    return window.close(abortedAtMs === undefined ? undefined : ns(abortedAtMs));
  };

  // [name, events, per stage: [requests, successes, timeouts, queued, answers], abortedAtMs]
  const CASES: [string, Event[], [number, number, number, number, number][], number?][] = [
    [
      'each request goes to the stage it was due in, whenever it ended',
      [answered(900, 1010), answered(1000, 1010), answered(1399, 1450), answered(1400, 1410), timedOut(1990)],
      [
        [2, 2, 0, 0, 2],
        [2, 1, 1, 0, 2],
      ],
    ],
    [
      'queued sends and the unsent backlog count in their own stage',
      [
        { send: { dueMs: 1300, queued: true, late: false } },
        { send: { dueMs: 1500, queued: true, late: false } },
        { unsent: { dueMs: 1600, atMs: 2500 } },
      ],
      [
        [0, 0, 0, 1, 0],
        [1, 0, 1, 2, 0],
      ],
    ],
    [
      'a stage the abort came before is empty and zero long',
      [answered(1000, 1010), answered(1100, 1120)],
      [
        [2, 2, 0, 0, 2],
        [0, 0, 0, 0, 0],
      ],
      1200,
    ],
  ];

  it.each(CASES)('%s', (_, events, expected, abortedAtMs) => {
    const m = replayStaged(events, abortedAtMs);
    expect(m.stages).toHaveLength(expected.length);
    expect(
      m.stages!.map((s) => [s.requests, s.successes, s.failures.timeout, s.queuedSends, s.answers]),
    ).toEqual(expected);
    // The stages partition the window's requests.
    expect(m.stages!.reduce((n, s) => n + s.requests, 0)).toBe(m.requests);
    if (abortedAtMs !== undefined) expect(m.stages!.map((s) => s.windowMs)).toEqual([200, 0]);
  });

  it('has no stages without stage bounds', () => {
    expect(replay([answered(1000, 1010)]).stages).toBeUndefined();
  });
});
