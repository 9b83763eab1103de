/**
 * Rules that span several keys, which the schema checks one key at a time cannot express. Each returns the
 * problem for the loader to place in the file, or undefined.
 */
import { capacityProblem } from './capacity-rules.js';
import type { Problem } from './problem.js';
import { bodyProblem, bodyWarning } from './request-body.js';
import type { RawConfig } from './schema.js';
import { stagesProblem } from './stage-rules.js';
import { defaultName } from './to-gate-config.js';

/** The first cross-field problem of a config that passed the schema, in the order the rules are listed. */
export function crossFieldProblem(raw: RawConfig): Problem | undefined {
  return (
    duplicateName(raw.endpoints) ??
    baselineConflict(raw) ??
    stagesProblem(raw) ??
    resourceTargetWithoutService(raw) ??
    capacityProblem(raw) ??
    firstOf(raw.endpoints, (endpoint, i) => duplicateHeader(endpoint.headers, i) ?? bodyProblem(endpoint, i))
  );
}

/** What is valid but likely a mistake: the config still runs, and the user is told where. */
export function crossFieldWarnings(raw: RawConfig): Problem[] {
  return raw.endpoints.flatMap((endpoint, i) =>
    [bodyWarning(endpoint, i, endpoint.name ?? defaultName(endpoint)), weightWithoutMix(raw, i)].filter(
      (problem): problem is Problem => problem !== undefined,
    ),
  );
}

/**
 * A weight outside a mixed load is a warning, not an error: switching `load.mode` between isolated and
 * mixed, weights kept, is how one sees what the mix does to each endpoint.
 */
function weightWithoutMix(raw: RawConfig, index: number): Problem | undefined {
  if (raw.load.mode === 'mixed' || raw.endpoints[index]!.weight === undefined) return undefined;
  return {
    path: ['endpoints', index, 'weight'],
    text: 'is only used with load.mode: mixed; with isolated (the default) each endpoint is loaded alone',
    pointAt: 'key',
  };
}

function firstOf<T>(items: readonly T[], check: (item: T, index: number) => Problem | undefined) {
  for (const [index, item] of items.entries()) {
    const problem = check(item, index);
    if (problem) return problem;
  }
  return undefined;
}

/**
 * Header names ignore case, so `Content-Type` and `content-type` are one header given twice: both would
 * be sent, and which one the service reads is up to it.
 */
function duplicateHeader(headers: Record<string, string> | undefined, index: number): Problem | undefined {
  const seen = new Map<string, string>();
  for (const key of Object.keys(headers ?? {})) {
    const first = seen.get(key.toLowerCase());
    if (first !== undefined) {
      return {
        path: ['endpoints', index, 'headers', key],
        text: `the same header as ${JSON.stringify(first)} (header names ignore case); keep one`,
        pointAt: 'key',
      };
    }
    seen.set(key.toLowerCase(), key);
  }
  return undefined;
}

/** The baseline's copy comes from exactly one place, and `ref` reuses the service settings. */
function baselineConflict(raw: RawConfig): Problem | undefined {
  const baseline = raw.baseline;
  if (!baseline) return undefined;
  if (baseline.ref && baseline.service) {
    return {
      path: ['baseline', 'ref'],
      text: 'give either ref (a worktree started with the service settings) or service, not both',
      pointAt: 'value',
    };
  }
  if (baseline.ref && !raw.service) {
    return {
      path: ['baseline', 'ref'],
      text: 'needs a top-level service block: the base copy is started with its settings',
      pointAt: 'value',
    };
  }
  if (baseline.setup && !baseline.ref) {
    return {
      path: ['baseline', 'setup'],
      text: 'only runs in a worktree made for `ref`; add ref',
      pointAt: 'value',
    };
  }
  return undefined;
}

/** SLO keys measured on the service's process tree, which only a service slo-gate starts has. */
const RESOURCE_KEYS = ['max-rss', 'max-rss-growth', 'max-cpu-per-request'] as const;

function resourceTargetWithoutService(raw: RawConfig): Problem | undefined {
  if (raw.service) return undefined;
  const places: { path: (string | number)[]; slo: RawConfig['slo'] }[] = [
    { path: ['slo'], slo: raw.slo },
    ...raw.endpoints.map((endpoint, i) => ({ path: ['endpoints', i, 'slo'], slo: endpoint.slo })),
  ];
  for (const { path, slo } of places) {
    const key = RESOURCE_KEYS.find((k) => slo?.[k] !== undefined);
    if (key) {
      return {
        path: [...path, key],
        text: 'needs a service block: resources are read from the process tree of a service slo-gate starts',
        pointAt: 'key',
      };
    }
  }
  return undefined;
}

/** Names tell endpoints apart in reports and in the JSON result, so two may not share one. */
function duplicateName(endpoints: RawConfig['endpoints']): Problem | undefined {
  const firstIndexByName = new Map<string, number>();
  for (const [index, endpoint] of endpoints.entries()) {
    const name = endpoint.name ?? defaultName(endpoint);
    const first = firstIndexByName.get(name);
    if (first === undefined) {
      firstIndexByName.set(name, index);
      continue;
    }
    const taken = `is already the name of endpoints[${first}]`;
    return endpoint.name === undefined
      ? {
          path: ['endpoints', index],
          text: `its default name ${JSON.stringify(name)} (method and path) ${taken}; give one of them a name`,
          pointAt: 'value',
        }
      : {
          path: ['endpoints', index, 'name'],
          text: `${JSON.stringify(name)} ${taken}; give each endpoint its own name`,
          pointAt: 'value',
        };
  }
  return undefined;
}
