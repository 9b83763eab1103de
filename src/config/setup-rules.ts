/**
 * Setup requests, checked before anything boots (issue #10 part 2): each step's templates parse and name a
 * data set, a built-in or a value captured by an earlier step; no name is captured twice; step names are
 * distinct (reports tell steps apart by name).
 */
import { compileEndpoint, PlacedTemplateError, unknownName } from './data-rules.js';
import type { Problem } from './problem.js';
import type { RawConfig } from './schema.js';
import type { EndpointTemplates } from './types.js';

/** Each step's compiled templates (undefined when it has none) and every name captured, or the first problem. */
export type SetupCheck =
  | { ok: true; templates: (EndpointTemplates | undefined)[]; captured: Set<string> }
  | { ok: false; problem: Problem };

/** Names a template reads as built-ins: a capture by one of these names could never be used. */
const BUILT_INS = new Set(['seq', 'uuid', 'random-int']);

/** "METHOD path": a step's name when the config gives none. */
export const defaultStepName = (step: { method: string; path: string }): string =>
  `${step.method} ${step.path}`;

export function checkSetup(raw: RawConfig): SetupCheck {
  const dataSets = new Set(Object.keys(raw.data ?? {}));
  const capturedBy = new Map<string, number>();
  const perConnection = new Set<string>();
  const namedBy = new Map<string, number>();
  const templates: (EndpointTemplates | undefined)[] = [];
  const steps = raw.setup ?? [];
  for (const [index, step] of steps.entries()) {
    const at = ['setup', index];
    const name = step.name ?? defaultStepName(step);
    const first = namedBy.get(name);
    if (first !== undefined) {
      const taken = `is already the name of setup[${first}]`;
      return step.name === undefined
        ? fail(at, `its default name "${name}" (method and path) ${taken}; give one of them a name`)
        : fail([...at, 'name'], `"${name}" ${taken}; give each step its own name`);
    }
    namedBy.set(name, index);
    let compiled: ReturnType<typeof compileEndpoint>;
    try {
      compiled = compileEndpoint(step, at);
    } catch (error) {
      if (error instanceof PlacedTemplateError) return { ok: false, problem: error.problem };
      throw error;
    }
    for (const placed of compiled?.placed ?? []) {
      const later = laterCapture(placed.template, capturedBy, steps, index);
      if (later) return fail(placed.path, later);
      const own = !step['per-connection'] && perConnectionUse(placed.template, perConnection, capturedBy);
      if (own) return fail(placed.path, own);
      const problem = unknownName(placed, dataSets, new Set(capturedBy.keys()));
      if (problem) return { ok: false, problem };
    }
    templates.push(compiled?.templates);
    for (const captured of Object.keys(step.capture ?? {})) {
      const where = [...at, 'capture', captured];
      if (BUILT_INS.has(captured))
        return fail(where, `"${captured}" is a built-in template name; capture it under another name`, 'key');
      if (dataSets.has(captured))
        return fail(
          where,
          `"${captured}" is already the name of a data set; capture it under another name`,
          'key',
        );
      const earlier = capturedBy.get(captured);
      if (earlier !== undefined)
        return fail(
          where,
          `"${captured}" is already captured by setup[${earlier}]; a name is captured once`,
          'key',
        );
      capturedBy.set(captured, index);
      if (step['per-connection']) perConnection.add(captured);
    }
  }
  return { ok: true, templates, captured: new Set(capturedBy.keys()) };
}

const fail = (path: Problem['path'], text: string, pointAt: Problem['pointAt'] = 'value'): SetupCheck => ({
  ok: false,
  problem: { path, text, pointAt },
});

/** A step sent once using a value captured per connection: which connection's would it send? */
function perConnectionUse(
  template: Parameters<typeof unknownName>[0]['template'],
  perConnection: ReadonlySet<string>,
  capturedBy: ReadonlyMap<string, number>,
): string | undefined {
  for (const part of template) {
    if (typeof part === 'string' || part.kind !== 'name' || !perConnection.has(part.name)) continue;
    return `"{{ ${part.name} }}" is captured per connection by setup[${capturedBy.get(part.name)}]; a step sent once cannot use it (make this step per-connection: true too)`;
  }
  return undefined;
}

/** A step using a name that only a later step (or itself) captures: say so rather than "unknown". */
function laterCapture(
  template: Parameters<typeof unknownName>[0]['template'],
  capturedBy: ReadonlyMap<string, number>,
  steps: NonNullable<RawConfig['setup']>,
  index: number,
): string | undefined {
  for (const part of template) {
    if (typeof part === 'string' || part.kind !== 'name' || capturedBy.has(part.name)) continue;
    const by = steps.findIndex((s, i) => i >= index && s.capture && part.name in s.capture);
    if (by >= 0)
      return `"{{ ${part.name} }}" is captured by setup[${by}], which has not run yet when this step is sent; only earlier steps' captures can be used`;
  }
  return undefined;
}
