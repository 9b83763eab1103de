/**
 * Which of zod's issues the user is shown. Zod reports in schema order and a union's failure at the union;
 * the loader shows one line, so the issues are turned into problems and ranked here.
 */
import type { Document } from 'yaml';
import type { z } from 'zod';
import type { KeyPath, Problem } from './problem.js';
import { knownKeysAt } from './schema-keys.js';
import { unknownKeyText } from './suggest-keys.js';
import { offsetOf } from './yaml-positions.js';

/**
 * The one issue worth a line. Issues inside unions are drawn out, present keys come before missing ones (a
 * missing `endpoints` is often the mistyped `endpoint:` reported as unknown), then the issue earliest in the
 * file, then the deepest.
 */
export function firstProblem(issues: readonly z.core.$ZodIssue[], data: unknown, doc: Document): Problem {
  const ranked = issues
    .flatMap((issue) => problemsOf(issue, [], data))
    .map((problem, order) => ({ problem, order, offset: offsetOf(doc, problem) ?? Infinity }));
  ranked.sort(
    (a, b) =>
      Number(a.problem.pointAt === 'parent') - Number(b.problem.pointAt === 'parent') ||
      a.offset - b.offset ||
      b.problem.path.length - a.problem.path.length ||
      a.order - b.order,
  );
  return ranked[0]!.problem;
}

function problemsOf(issue: z.core.$ZodIssue, base: KeyPath, data: unknown): Problem[] {
  const at = [...base, ...(issue.path as KeyPath)];
  if (issue.code === 'invalid_union') {
    // A branch that got past its type check failed on something specific (status 700, not "not a list"):
    // when exactly one did, its message is the one to show.
    const typed = issue.errors.filter(
      (branch) => !branch.every((inner) => inner.code === 'invalid_type' && inner.path.length === 0),
    );
    if (typed.length === 1) return typed[0]!.flatMap((inner) => problemsOf(inner, at, data));
  }
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(at);
    return issue.keys.map((key) => ({
      path: [...at, key],
      text: unknownKeyText(key, known),
      pointAt: 'key',
    }));
  }
  // YAML and JSON have no undefined: an undefined value is a key that is not there.
  if (valueAt(data, at) === undefined)
    return [{ path: at, text: `required, ${issue.message}`, pointAt: 'parent' }];
  return [{ path: at, text: issue.message, pointAt: 'value' }];
}

function valueAt(data: unknown, at: KeyPath): unknown {
  let value = data;
  for (const part of at) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[part];
  }
  return value;
}
