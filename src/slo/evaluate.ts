/**
 * SLOs are data, evaluated after the run against the measurement (as k6 thresholds are): pure functions.
 */
import type { SloTargets } from '../config/types.js';
import type { CheckResult, CheckUnit, EndpointResult } from '../report/model.js';

type Measured = Pick<EndpointResult, 'latencyMs' | 'errorRate' | 'rps' | 'resources'>;

interface CheckDefinition {
  metric: string;
  unit: CheckUnit;
  limit: (slo: SloTargets) => number | undefined;
  actual: (measured: Measured) => number | null;
  /** Upper bounds pass when actual <= limit; lower bounds when actual >= limit. */
  bound: 'upper' | 'lower';
}

const DEFINITIONS: CheckDefinition[] = [
  {
    metric: 'p50',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.p50Ms,
    actual: (m) => m.latencyMs?.p50 ?? null,
  },
  {
    metric: 'p90',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.p90Ms,
    actual: (m) => m.latencyMs?.p90 ?? null,
  },
  {
    metric: 'p95',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.p95Ms,
    actual: (m) => m.latencyMs?.p95 ?? null,
  },
  {
    metric: 'p99',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.p99Ms,
    actual: (m) => m.latencyMs?.p99 ?? null,
  },
  {
    metric: 'max',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.maxMs,
    actual: (m) => m.latencyMs?.max ?? null,
  },
  {
    metric: 'error-rate',
    unit: 'fraction',
    bound: 'upper',
    limit: (s) => s.errorRate,
    actual: (m) => m.errorRate,
  },
  { metric: 'min-rps', unit: 'rps', bound: 'lower', limit: (s) => s.minRps, actual: (m) => m.rps },
  // Resource targets need the service's process tree: with no service block there is nothing to measure.
  {
    metric: 'max-rss',
    unit: 'bytes',
    bound: 'upper',
    limit: (s) => s.maxRssBytes,
    actual: (m) => m.resources?.rssPeakBytes ?? null,
  },
  {
    metric: 'max-rss-growth',
    unit: 'bytes',
    bound: 'upper',
    limit: (s) => s.maxRssGrowthBytes,
    actual: (m) => m.resources?.rssGrowthBytes ?? null,
  },
  {
    metric: 'max-cpu-per-request',
    unit: 'ms',
    bound: 'upper',
    limit: (s) => s.maxCpuPerRequestMs,
    actual: (m) => m.resources?.cpuMsPerRequest ?? null,
  },
];

/**
 * The targets a report's checks were judged against: a merge of shard reports (issue #12) has the reports,
 * not the config, and judges the merged figures against the same limits. Other checks (max-regression) are
 * not SLO targets and are left out.
 */
export function targetsOfChecks(checks: readonly Pick<CheckResult, 'metric' | 'limit'>[]): SloTargets {
  const targets: SloTargets = {};
  for (const check of checks) {
    const key = TARGET_KEYS[check.metric];
    if (key) targets[key] = check.limit;
  }
  return targets;
}

/** The SloTargets key behind each check's metric. */
const TARGET_KEYS: Record<string, keyof SloTargets> = {
  p50: 'p50Ms',
  p90: 'p90Ms',
  p95: 'p95Ms',
  p99: 'p99Ms',
  max: 'maxMs',
  'error-rate': 'errorRate',
  'min-rps': 'minRps',
  'max-rss': 'maxRssBytes',
  'max-rss-growth': 'maxRssGrowthBytes',
  'max-cpu-per-request': 'maxCpuPerRequestMs',
};

/** One check per SLO target set; a check with nothing to measure (null) fails. */
export function evaluateSlo(slo: SloTargets, measured: Measured): CheckResult[] {
  const checks: CheckResult[] = [];
  for (const definition of DEFINITIONS) {
    const limit = definition.limit(slo);
    if (limit === undefined) continue;
    const actual = definition.actual(measured);
    const passed = actual !== null && (definition.bound === 'upper' ? actual <= limit : actual >= limit);
    checks.push({ metric: definition.metric, limit, actual, unit: definition.unit, passed });
  }
  return checks;
}
