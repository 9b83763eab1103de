/** A staged window's per-stage figures (issue #11): what each stage offered, and how the endpoint fared. */
import type { LoadConfig, LoadStage } from '../config/types.js';
import type { LoadMeasurement } from '../load/run-load.js';
import type { StageResult } from '../report/model.js';
import { summarizeLatencies } from '../stats/latency-summary.js';

/**
 * Pure: each stage's result from its share of the window (`m.stages`, in the order of `stages`). Undefined
 * for a flat load, or when the measurement has no stages (an endpoint aborted before it ran).
 */
export function stageResults(
  stages: readonly LoadStage[] | undefined,
  m: LoadMeasurement,
): StageResult[] | undefined {
  if (!stages || !m.stages) return undefined;
  return stages.map((stage, index) => {
    const measured = m.stages![index];
    const previous = stages[index - 1];
    const requests = measured?.requests ?? 0;
    const errors = measured
      ? measured.failures.status + measured.failures.timeout + measured.failures.socket
      : 0;
    const seconds = (measured?.windowMs ?? 0) / 1000;
    const byRate = stage.ratePerSecond !== undefined;
    return {
      index,
      durationMs: stage.durationMs,
      ...(byRate
        ? { offeredRps: { from: previous?.ratePerSecond ?? 0, to: stage.ratePerSecond! } }
        : { connections: { from: previous?.connections ?? 0, to: stage.connections ?? 0 } }),
      requests,
      rps: seconds > 0 ? requests / seconds : 0,
      answeredRps: seconds > 0 ? (measured?.answers ?? 0) / seconds : 0,
      errors,
      errorRate: requests > 0 ? errors / requests : 0,
      latencyMs: (measured && summarizeLatencies(measured.latenciesMs)) ?? null,
      ...(byRate ? { lateSends: measured?.lateSends ?? 0, queuedSends: measured?.queuedSends ?? 0 } : {}),
    };
  });
}

/**
 * The rate a fixed-rate load offers at most: load.rate, or the top of its stages by rate; undefined in a
 * closed loop. What the connections must keep up with, and what "fixed rate" means for the report.
 */
export function peakOfferedRate(load: Pick<LoadConfig, 'ratePerSecond' | 'stages'>): number | undefined {
  if (load.ratePerSecond !== undefined) return load.ratePerSecond;
  const rates = (load.stages ?? []).flatMap((s) => (s.ratePerSecond === undefined ? [] : [s.ratePerSecond]));
  return rates.length > 0 ? Math.max(...rates) : undefined;
}

/** Puts a staged window's per-stage figures on the endpoint's result (nothing for a flat load). */
export function addStageResults(
  result: { stages?: StageResult[] },
  load: Pick<LoadConfig, 'stages'>,
  m: LoadMeasurement,
): void {
  const stages = stageResults(load.stages, m);
  if (stages) result.stages = stages;
}
