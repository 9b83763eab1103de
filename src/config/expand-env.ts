import { configError } from '../errors.js';

/** Paths whose strings are left for someone else to expand (the shell expands service.command). */
const NOT_EXPANDED = new Set(['service.command']);

export interface Expanded {
  value: unknown;
  /** The values substituted for ${VAR}, to be masked wherever output is written. */
  secrets: string[];
}

/**
 * Replaces ${VAR} in every string of a parsed config with the variable's value. `$${VAR}` stands for a
 * literal `${VAR}`. An unset variable is a config error naming it and where it was used.
 */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[] = []): Expanded {
  const secrets: string[] = [];
  const walk = (node: unknown, at: (string | number)[]): unknown => {
    if (typeof node === 'string') {
      if (NOT_EXPANDED.has(at.join('.'))) return node;
      return node.replace(/\$?\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (whole, name: string) => {
        if (whole.startsWith('$$')) return whole.slice(1);
        const found = env[name];
        if (found === undefined) {
          throw configError(`${formatPath(at)}: environment variable ${name} is not set`);
        }
        if (found !== '') secrets.push(found);
        return found;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, [...at, i]));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, walk(item, [...at, key])]));
    }
    return node;
  };
  return { value: walk(value, path), secrets };
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
