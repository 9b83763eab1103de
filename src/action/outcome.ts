/**
 * What the Action makes of a run, as pure functions: the step's outputs, its annotations, and whether it
 * fails. A breach fails the step only with `fail-on-breach`; a service failure or a bad config always does.
 */
import { describeMargin } from '../report/markdown-sections.js';
import type { GateResult } from '../report/model.js';
import { inconclusiveNames } from '../verdict/inconclusive.js';

/** A run that produced a result, or one stopped by an error before anything was measured. */
export type GateReport =
  | { kind: 'result'; result: GateResult; reportPath: string; markdownPath: string }
  | { kind: 'error'; headline: string; message: string };

/** The message the step fails with, or undefined when it succeeds. */
export function failureMessage(report: GateReport, failOnBreach: boolean): string | undefined {
  if (report.kind === 'error') return report.message;
  const { result } = report;
  if (result.verdict === 'passed') return undefined;
  if (result.verdict === 'breached') {
    return failOnBreach ? `slo-gate: ${result.reason ?? 'SLO breached'}` : undefined;
  }
  return `slo-gate: ${result.reason ?? 'the service or target failed'}`;
}

const round = (value: number, digits: number) => String(Number(value.toFixed(digits)));

/** The step's outputs. Every output is always set, empty when it does not apply. */
export function outputsFor(report: GateReport): Record<string, string> {
  if (report.kind === 'error') {
    return {
      passed: 'false',
      verdict: 'error',
      reason: report.message,
      report: '',
      'markdown-report': '',
      'worst-p95-ms': '',
      'worst-p95-endpoint': '',
      'max-error-rate': '',
      'failed-endpoints': '[]',
      'inconclusive-endpoints': '[]',
    };
  }
  const { result } = report;
  const measured = result.endpoints.filter((e) => e.latencyMs !== null);
  const worst = measured.reduce<(typeof measured)[number] | undefined>(
    (max, e) => (max === undefined || e.latencyMs!.p95 > max.latencyMs!.p95 ? e : max),
    undefined,
  );
  const maxErrorRate = Math.max(0, ...result.endpoints.map((e) => e.errorRate));
  return {
    passed: String(result.passed),
    verdict: result.verdict,
    reason: result.reason ?? '',
    report: report.reportPath,
    'markdown-report': report.markdownPath,
    'worst-p95-ms': worst ? round(worst.latencyMs!.p95, 3) : '',
    'worst-p95-endpoint': worst?.name ?? '',
    'max-error-rate': result.endpoints.length > 0 ? round(maxErrorRate, 6) : '',
    'failed-endpoints': JSON.stringify(result.endpoints.filter((e) => !e.passed).map((e) => e.name)),
    'inconclusive-endpoints': JSON.stringify(inconclusiveNames(result)),
  };
}

export interface Annotation {
  level: 'error' | 'warning';
  title: string;
  message: string;
}

/**
 * One annotation per breached SLO and per endpoint problem. Errors when they fail the step, warnings when
 * `fail-on-breach: false` lets a breach pass. A comparison with the base that could not tell, and passed
 * (baseline.on-inconclusive: pass), is a warning; under `fail` it is a breached check like any other.
 * (Recovered problems are warned about as they happen.)
 */
export function annotationsFor(result: GateResult, failOnBreach: boolean): Annotation[] {
  const annotations: Annotation[] = [];
  const breachLevel = failOnBreach ? 'error' : 'warning';
  for (const e of result.endpoints) {
    for (const check of e.checks.filter((c) => !c.passed)) {
      annotations.push({
        level: breachLevel,
        title: `SLO breached: ${e.name} ${check.metric}`,
        message: `${e.name} (${e.method} ${e.path}): ${describeMargin(check, e.baseline)}`,
      });
    }
    const regression = e.checks.find((c) => c.metric === 'max-regression');
    if (e.baseline?.verdict === 'inconclusive' && regression?.passed) {
      annotations.push({
        level: 'warning',
        title: `Inconclusive against the base: ${e.name}`,
        message: `${e.name} (${e.method} ${e.path}): ${describeMargin(regression, e.baseline)}`,
      });
    }
    for (const problem of e.problems) {
      annotations.push({
        level: 'error',
        title: `Endpoint failed: ${e.name}`,
        message: `${e.name}: ${problem}`,
      });
    }
  }
  return annotations;
}
