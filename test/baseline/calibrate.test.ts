import { describe, expect, it } from 'vitest';
import {
  adviseFromSelfComparison,
  renderAdvice,
  selfComparisonConfig,
} from '../../src/baseline/calibrate.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { EndpointResult, GateResult, RelativeChange } from '../../src/report/model.js';
import { loadResult } from '../helpers/golden.js';

/** A saved result whose endpoints compared the service with itself with these changes of p95. */
function selfComparison(changes: RelativeChange[]): GateResult {
  const result = loadResult('baseline-regressed');
  const template = result.endpoints[0]!;
  result.endpoints = changes.map((change, i): EndpointResult => ({
    ...template,
    name: `endpoint ${i + 1}`,
    baseline: { ...template.baseline!, p95: { baseMs: 10, headMs: 10 * (1 + change.change), change } },
  }));
  return result;
}

describe('selfComparisonConfig', () => {
  it('points the baseline at the head itself, keeping rounds and round-duration', () => {
    const config = parseConfig(
      'target: http://127.0.0.1:3000\nbaseline: { target: "http://127.0.0.1:3001", rounds: 8, round-duration: 1s }\nendpoints: [{ path: /a }]\n',
      'x.yml',
      {},
    );
    expect(selfComparisonConfig(config).baseline).toMatchObject({
      target: 'http://127.0.0.1:3000',
      rounds: 8,
      roundDurationMs: 1000,
    });
  });

  it('refuses stages, which baseline rounds cannot run', () => {
    const config = parseConfig(
      'target: http://127.0.0.1:3000\nload: { stages: [{ duration: 1s, rate: 5 }] }\nendpoints: [{ path: /a }]\n',
      'x.yml',
      {},
    );
    expect(() => selfComparisonConfig(config)).toThrow(
      'x.yml: load.stages: calibrate measures in baseline rounds at one steady load; use load.rate or load.connections',
    );
  });
});

describe('adviseFromSelfComparison', () => {
  it('suggests twice the noise floor, at least 5%, rounded up to 5%', () => {
    const [quiet, noisy] = adviseFromSelfComparison(
      selfComparison([
        { change: 0.003, low: -0.01, high: 0.016, rounds: 6 },
        { change: 0.02, low: -0.04, high: 0.08, rounds: 6 },
      ]),
      6,
    );
    expect(quiet).toMatchObject({ noiseFloor: 0.016, suggestedMaxRegression: 0.05, tooNoisy: false });
    expect(noisy).toMatchObject({ noiseFloor: 0.08, tooNoisy: false });
    expect(noisy!.suggestedMaxRegression).toBeCloseTo(0.2);
    // A half-width of 6 points against a half-budget of 10 needs 6 × 0.36 → 3, at least 4.
    expect(noisy!.suggestedRounds).toBe(4);
  });

  it('says a runner is too noisy rather than suggest a budget no gate should have', () => {
    const [advice] = adviseFromSelfComparison(
      selfComparison([{ change: 0.5, low: -2, high: 24, rounds: 2 }]),
      2,
    );
    expect(advice).toMatchObject({ tooNoisy: true, suggestedMaxRegression: 0.5 });
    const text = renderAdvice([advice!], 2, 300);
    expect(text).toContain('too noisy to gate on at these settings');
    expect(text).toContain('No max-regression to suggest');
    expect(text).not.toContain('max-regression: ');
  });
});

describe('renderAdvice', () => {
  it('ends with the baseline lines to paste into slo-gate.yml, from the endpoints that can be gated', () => {
    const advice = adviseFromSelfComparison(
      selfComparison([
        { change: 0.003, low: -0.01, high: 0.016, rounds: 6 },
        { change: 0.02, low: -0.04, high: 0.08, rounds: 6 },
        { change: 0.5, low: -2, high: 24, rounds: 6 },
      ]),
      6,
    );
    const text = renderAdvice(advice, 6, 2000);
    expect(text.split('\n').slice(-5)).toEqual([
      'For slo-gate.yml:',
      'baseline:',
      '  max-regression: 20.0%',
      '  rounds: 4',
      '  round-duration: 2s',
    ]);
    expect(text).toContain('endpoint 3: p95 change');
  });
});
