/**
 * `slo-gate calibrate`: the service measured against itself (A against A) in the same alternating rounds as
 * a baseline comparison. Whatever change it shows is this runner's noise floor; thresholds below it would
 * flag noise, so it suggests a max-regression above it and the rounds needed for a tighter interval.
 */
import type { GateConfig } from '../config/types.js';
import { GateError } from '../errors.js';
import { formatChange, formatPercent } from '../report/format.js';
import type { GateResult } from '../report/model.js';

export const DEFAULT_ROUNDS = 6;
export const DEFAULT_ROUND_DURATION_MS = 2000;
export const DEFAULT_MAX_REGRESSION = 0.1;
/** The largest max-regression worth suggesting: above it, a gate would wave through real regressions. */
export const MAX_USEFUL_REGRESSION = 0.5;

/** The config with its baseline pointed at the head itself. */
export function selfComparisonConfig(config: GateConfig): GateConfig {
  // As in a run, rounds compare at one steady load (see config/stage-rules.ts).
  if (config.load.stages) {
    throw new GateError(
      'config',
      `${config.source}: load.stages: calibrate measures in baseline rounds at one steady load; use load.rate or load.connections`,
    );
  }
  return {
    ...config,
    baseline: {
      target: config.target,
      env: {},
      rounds: config.baseline?.rounds ?? DEFAULT_ROUNDS,
      roundDurationMs: config.baseline?.roundDurationMs ?? DEFAULT_ROUND_DURATION_MS,
      maxRegression: config.baseline?.maxRegression ?? DEFAULT_MAX_REGRESSION,
      onInconclusive: 'pass',
    },
  };
}

export interface CalibrationAdvice {
  endpoint: string;
  /** The A/A change and its interval, as text. */
  noise: string;
  /** The widest the interval reached on either side of zero, as a fraction. */
  noiseFloor: number;
  /** A max-regression comfortably above the noise floor, rounded up to 5%. */
  suggestedMaxRegression: number;
  /** Rounds for an interval half as wide as the suggested budget, at the same round length. */
  suggestedRounds: number;
  /** The noise alone needs a budget over MAX_USEFUL_REGRESSION: measure longer, or on a quieter machine. */
  tooNoisy: boolean;
}

/** Pure: the self-comparison result → advice per endpoint. */
export function adviseFromSelfComparison(result: GateResult, rounds: number): CalibrationAdvice[] {
  return result.endpoints.flatMap((endpoint) => {
    const p95 = endpoint.baseline?.p95;
    if (!p95) return [];
    const { change } = p95;
    const noiseFloor = Math.max(Math.abs(change.low), Math.abs(change.high));
    // Twice the noise floor: a real regression of that size still clears zero.
    const wanted = Math.max(0.05, Math.ceil((2 * noiseFloor) / 0.05) * 0.05);
    const tooNoisy = wanted > MAX_USEFUL_REGRESSION;
    const suggestedMaxRegression = Math.min(wanted, MAX_USEFUL_REGRESSION);
    // The interval narrows as 1/√rounds; aim for a half-width of half the budget.
    const halfWidth = (change.high - change.low) / 2;
    const needed = Math.ceil(rounds * (halfWidth / (suggestedMaxRegression / 2)) ** 2);
    return [
      {
        endpoint: endpoint.name,
        noise: formatChange(change),
        noiseFloor,
        suggestedMaxRegression,
        suggestedRounds: Math.min(30, Math.max(4, needed)),
        tooNoisy,
      },
    ];
  });
}

export function renderAdvice(advice: CalibrationAdvice[], rounds: number, roundDurationMs: number): string {
  if (advice.length === 0) return 'calibrate: no endpoint could be measured against itself';
  const lines = [
    `Noise floor of this runner: each endpoint against itself, ${rounds} rounds of ${roundDurationMs / 1000} s per side.`,
    '',
  ];
  for (const a of advice) {
    lines.push(
      `${a.endpoint}: p95 change ${a.noise} with no change made; ` +
        (a.tooNoisy
          ? `too noisy to gate on at these settings: use a longer round-duration, or a quieter runner`
          : `suggest max-regression: ${formatPercent(a.suggestedMaxRegression)}, rounds: ${a.suggestedRounds}`),
    );
  }
  if (advice.every((a) => a.tooNoisy)) {
    lines.push('', 'No max-regression to suggest: the noise floor is over half the latency itself.');
    return lines.join('\n');
  }
  const usable = advice.filter((a) => !a.tooNoisy);
  const budget = Math.max(...usable.map((a) => a.suggestedMaxRegression));
  const needed = Math.max(...usable.map((a) => a.suggestedRounds));
  lines.push(
    '',
    'For slo-gate.yml:',
    `baseline:`,
    `  max-regression: ${formatPercent(budget)}`,
    `  rounds: ${needed}`,
    `  round-duration: ${roundDurationMs / 1000}s`,
  );
  return lines.join('\n');
}
