/**
 * Values shorter than this are not treated as secrets: masking "x" or "80" would turn every x and 80 of a
 * log or report into *** (as other CI tools do, e.g. google-github-actions' min_mask_length). The gate
 * warns about them instead.
 */
export const MIN_SECRET_LENGTH = 4;

/** Paths whose strings are left for someone else to expand (the shell expands service.command). */
const NOT_EXPANDED = new Set(['service.command']);

/** `$${`, or `${` and what follows up to the next `}` if any, so that malformed references are seen too. */
const REFERENCE = /(\$?)\$\{([^}]*)(\}?)/g;
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The expanded config and what was substituted, or the first bad reference and where it was. */
export type Expansion =
  | {
      ok: true;
      value: unknown;
      /** The values substituted for ${VAR}, to be masked wherever output is written. */
      secrets: string[];
      /** Variables whose values were too short to mask (see MIN_SECRET_LENGTH). */
      tooShortToMask: string[];
    }
  | {
      ok: false;
      /** Where the reference was, e.g. ["endpoints", 0, "headers", "authorization"]. */
      path: (string | number)[];
      /** What is wrong, e.g. "environment variable API_TOKEN is not set". */
      problem: string;
    };

/** Thrown inside the walk only, to stop at the first bad reference; returned as a value. */
class BadReference {
  constructor(
    readonly path: (string | number)[],
    readonly problem: string,
  ) {}
}

/**
 * Replaces ${VAR} in every string of a parsed config with the variable's value. `$${VAR}` stands for a
 * literal `${VAR}`. An unset variable, or a `${...}` that is not a plain name (such as the shell's
 * `${VAR:-default}`, which this does not implement), is returned as a problem with its path, so the loader
 * can name the line: a silent literal would be sent as a header or body and fail far from its cause.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv): Expansion {
  const secrets: string[] = [];
  const tooShortToMask: string[] = [];
  const walk = (node: unknown, at: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      if (NOT_EXPANDED.has(at.join('.'))) return node;
      return node.replace(REFERENCE, (whole, escape: string, name: string, close: string) => {
        if (escape) return whole.slice(1);
        if (!close || !VARIABLE_NAME.test(name)) {
          throw new BadReference(
            at,
            `expected \${NAME}, got ${JSON.stringify(whole)} (only plain names expand; write $\${ for a literal \${)`,
          );
        }
        const found = env[name];
        if (found === undefined) throw new BadReference(at, `environment variable ${name} is not set`);
        if (found.length >= MIN_SECRET_LENGTH) secrets.push(found);
        else if (found !== '' && !tooShortToMask.includes(name)) tooShortToMask.push(name);
        return found;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...at, key])]));
    }
    return node;
  };
  try {
    return { ok: true, value: walk(value, []), secrets, tooShortToMask };
  } catch (error) {
    if (error instanceof BadReference) return { ok: false, path: error.path, problem: error.problem };
    throw error;
  }
}

/** ["endpoints", 1, "slo", "p95"] → "endpoints[1].slo.p95". */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text || '(top level)';
}
