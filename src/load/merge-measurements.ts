import type { LoadMeasurement } from './run-load.js';
import { concatTimelines } from './timeline.js';

/** Sample arrays end to end. */
export function concatSamples(arrays: Float64Array[]): Float64Array {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let offset = 0;
  for (const a of arrays) {
    out.set(a, offset);
    offset += a.length;
  }
  return out;
}

function addCounts(records: Record<string, number>[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const record of records) for (const [key, n] of Object.entries(record)) sum[key] = (sum[key] ?? 0) + n;
  return sum;
}

/**
 * Several measured windows of the same endpoint (the rounds of a baseline comparison) as one: samples and
 * counts pooled, window lengths added, timelines end to end. Silence and the last answer are taken from the last window, where
 * a target that stopped answering shows.
 */
export function mergeMeasurements(windows: LoadMeasurement[]): LoadMeasurement {
  const last = windows.at(-1);
  if (!last) throw new Error('mergeMeasurements needs at least one window');
  return {
    windowMs: windows.reduce((n, w) => n + w.windowMs, 0),
    requests: windows.reduce((n, w) => n + w.requests, 0),
    successes: windows.reduce((n, w) => n + w.successes, 0),
    failures: {
      status: windows.reduce((n, w) => n + w.failures.status, 0),
      timeout: windows.reduce((n, w) => n + w.failures.timeout, 0),
      socket: windows.reduce((n, w) => n + w.failures.socket, 0),
    },
    statusCodes: addCounts(windows.map((w) => w.statusCodes)),
    socketErrors: addCounts(windows.map((w) => w.socketErrors)),
    latenciesMs: concatSamples(windows.map((w) => w.latenciesMs)),
    rawLatenciesMs: concatSamples(windows.map((w) => w.rawLatenciesMs)),
    failedLatenciesMs: concatSamples(windows.map((w) => w.failedLatenciesMs)),
    unloadedLatenciesMs: concatSamples(windows.map((w) => w.unloadedLatenciesMs ?? new Float64Array())),
    lastAnswerMs: last.lastAnswerMs,
    answers: windows.reduce((n, w) => n + (w.answers ?? 0), 0),
    longestSilenceMs: Math.max(...windows.map((w) => w.longestSilenceMs)),
    trailingSilenceMs: last.trailingSilenceMs,
    abortedAtMs: windows.find((w) => w.abortedAtMs !== undefined)?.abortedAtMs,
    lateSends: windows.reduce((n, w) => n + w.lateSends, 0),
    queuedSends: windows.reduce((n, w) => n + w.queuedSends, 0),
    // The rounds end to end, in measured time: what happened between them (the other side's rounds) is not here.
    timeline: concatTimelines(windows),
  };
}
