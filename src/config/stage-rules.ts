/**
 * What load.stages (issue #11) may be combined with, checked after the schema: one form per list, no stage
 * that offers nothing, and no key that stages replace.
 */
import type { Problem } from './problem.js';
import type { RawConfig } from './schema.js';

type RawStage = NonNullable<RawConfig['load']['stages']>[number];

/** The first problem of a config's stages, or undefined (also without stages). */
export function stagesProblem(raw: RawConfig): Problem | undefined {
  const { stages } = raw.load;
  if (!stages) return undefined;
  const at = (...path: (string | number)[]) => ['load', ...path];
  if (raw.load.duration !== undefined) {
    return {
      path: at('duration'),
      text: 'give either duration or stages, not both: the stages last the measured window (their sum)',
      pointAt: 'key',
    };
  }
  if (raw.load.rate !== undefined) {
    return {
      path: at('rate'),
      text: 'give either rate or stages, not both: each stage gives the rate it ramps to',
      pointAt: 'key',
    };
  }
  if (raw.baseline) {
    return {
      path: at('stages'),
      text: 'cannot be used with baseline: its rounds compare base and head in short windows at one steady load; use rate or connections',
      pointAt: 'key',
    };
  }
  return stageFormProblem(stages) ?? connectionsBesideStages(raw, stages);
}

/** Each stage has exactly one of rate and connections, all stages the same one, and none offers nothing. */
function stageFormProblem(stages: readonly RawStage[]): Problem | undefined {
  const keyOf = (stage: RawStage) => (stage.rate !== undefined ? 'rate' : 'connections');
  const first = keyOf(stages[0]!);
  for (const [i, stage] of stages.entries()) {
    const path = ['load', 'stages', i];
    if (stage.rate === undefined && stage.connections === undefined) {
      return { path, text: 'needs a rate (req/s to ramp to) or connections (closed loop)', pointAt: 'value' };
    }
    if (stage.rate !== undefined && stage.connections !== undefined) {
      return {
        path: [...path, 'connections'],
        text: 'give either rate or connections in a stage, not both',
        pointAt: 'key',
      };
    }
    const key = keyOf(stage);
    if (key !== first) {
      return {
        path: [...path, key],
        text: `by ${key} here but by ${first} in load.stages[0]: give every stage a rate, or every stage connections`,
        pointAt: 'key',
      };
    }
    const value = stage[key]!;
    const previous = i === 0 ? 0 : stages[i - 1]![key]!;
    if (value === 0 && previous === 0) {
      const from = i === 0 ? 'the first stage starts from 0' : `load.stages[${i - 1}] ends at 0`;
      return {
        path: [...path, key],
        text: `is 0 and ${from}: the stage would offer no load (a stage may ramp down to 0, not hold it)`,
        pointAt: 'value',
      };
    }
  }
  return undefined;
}

/** Closed-loop stages set the connections themselves. */
function connectionsBesideStages(raw: RawConfig, stages: readonly RawStage[]): Problem | undefined {
  if (raw.load.connections === undefined || stages[0]!.connections === undefined) return undefined;
  return {
    path: ['load', 'connections'],
    text: 'is set by each stage with stages by connections; remove it',
    pointAt: 'key',
  };
}
