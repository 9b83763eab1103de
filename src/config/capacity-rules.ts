/** The rules of `capacity` blocks and `slo.min-capacity` that span keys (see schema-capacity.ts). */
import type { KeyPath, Problem } from './problem.js';
import type { RawCapacity } from './schema-capacity.js';
import type { RawConfig } from './schema.js';

/** A step shorter than this holds too few requests at low rates to judge a p95 on. */
export const MIN_STEP_MS = 1000;

/** The first problem of the config's capacity blocks and min-capacity targets, or undefined. */
export function capacityProblem(raw: RawConfig): Problem | undefined {
  const blocks: { path: KeyPath; capacity: RawCapacity }[] = [];
  if (raw.capacity) blocks.push({ path: ['capacity'], capacity: raw.capacity });
  raw.endpoints.forEach((endpoint, i) => {
    if (endpoint.capacity) blocks.push({ path: ['endpoints', i, 'capacity'], capacity: endpoint.capacity });
  });
  for (const { path, capacity } of blocks) {
    const problem = blockProblem(path, capacity);
    if (problem) return problem;
  }
  return mixedProblem(raw) ?? minCapacityWithoutSearch(raw) ?? minCapacityAboveTo(raw);
}

/**
 * In mixed mode the search is the whole mix's, at one total rate: its block and min-capacity are the
 * top-level ones, so an endpoint's own would say nothing the search can answer.
 */
function mixedProblem(raw: RawConfig): Problem | undefined {
  if (raw.load.mode !== 'mixed') return undefined;
  for (const [i, endpoint] of raw.endpoints.entries()) {
    if (endpoint.capacity !== undefined) {
      return {
        path: ['endpoints', i, 'capacity'],
        text: "is not supported with load.mode: mixed; the search is the whole mix's: use a top-level capacity block",
        pointAt: 'key',
      };
    }
    if (endpoint.slo?.['min-capacity'] !== undefined) {
      return {
        path: ['endpoints', i, 'slo', 'min-capacity'],
        text: "is not supported with load.mode: mixed; the top-level slo.min-capacity holds the mix's total rate",
        pointAt: 'key',
      };
    }
  }
  return undefined;
  return minCapacityWithoutSearch(raw) ?? minCapacityAboveTo(raw);
}

/** The search never offers more than `to`, so it could never show a higher min-capacity held. */
function minCapacityAboveTo(raw: RawConfig): Problem | undefined {
  for (const [i, endpoint] of raw.endpoints.entries()) {
    const capacity = endpoint.capacity === undefined ? raw.capacity : endpoint.capacity;
    const own = endpoint.slo?.['min-capacity'];
    const floor = own ?? raw.slo?.['min-capacity'];
    if (!capacity || floor === undefined || floor <= capacity.to) continue;
    return {
      path: own === undefined ? ['slo', 'min-capacity'] : ['endpoints', i, 'slo', 'min-capacity'],
      text: `expected at most capacity.to (${capacity.to} req/s), got ${floor}: the search never offers more than to`,
      pointAt: 'value',
    };
  }
  return undefined;
}

function blockProblem(path: KeyPath, capacity: RawCapacity): Problem | undefined {
  if (capacity.to <= capacity.from) {
    return {
      path: [...path, 'to'],
      text: `expected a rate above from (${capacity.from} req/s), got ${capacity.to}`,
      pointAt: 'value',
    };
  }
  if (capacity.step < MIN_STEP_MS) {
    return {
      path: [...path, 'step'],
      text: `expected a duration of at least 1s, got ${capacity.step} ms (too few requests to judge a p95 on)`,
      pointAt: 'value',
    };
  }
  if (capacity.precision <= 0 || capacity.precision >= 1) {
    return {
      path: [...path, 'precision'],
      text: `expected a percentage above 0% and below 100%, got ${capacity.precision * 100}%`,
      pointAt: 'value',
    };
  }
  return undefined;
}

/** min-capacity judges the search's result: an endpoint held to it needs a search. */
function minCapacityWithoutSearch(raw: RawConfig): Problem | undefined {
  const searched = (i: number) => {
    const own = raw.endpoints[i]!.capacity;
    return own === undefined ? raw.capacity !== undefined : own !== false;
  };
  for (const [i, endpoint] of raw.endpoints.entries()) {
    if (searched(i)) continue;
    if (endpoint.slo?.['min-capacity'] !== undefined) {
      return {
        path: ['endpoints', i, 'slo', 'min-capacity'],
        text: 'needs a capacity block (top-level or on the endpoint): it judges the capacity search',
        pointAt: 'key',
      };
    }
    if (raw.slo?.['min-capacity'] !== undefined) {
      return {
        path: ['slo', 'min-capacity'],
        text: `needs a capacity block for every endpoint it applies to; endpoints[${i}] has none`,
        pointAt: 'key',
      };
    }
  }
  return undefined;
}
