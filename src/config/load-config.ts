/**
 * Reads slo-gate.yml (or JSON) and returns a typed GateConfig, or throws one config error naming the file,
 * line and column, the key path and what was expected. Nothing boots before this succeeds.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { distance } from 'fastest-levenshtein';
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
  type YAMLError,
} from 'yaml';
import type { z } from 'zod';
import { configError } from '../errors.js';
import { redactSecrets } from '../report/redact.js';
import { expandEnv, formatPath } from './expand-env.js';
import { configSchema, type RawConfig, type RawSlo } from './schema.js';
import type { EndpointConfig, GateConfig, ServiceConfig, SloTargets } from './types.js';
import { socketAddressOf } from './address.js';

type KeyPath = (string | number)[];

/** One thing wrong with the config, before it is given a line and column. */
interface Problem {
  path: KeyPath;
  /** What was expected and what was got; the key path is put in front of it. */
  text: string;
  /** What line:col points at: the value at `path`, the key itself (an unknown key), or the map missing it. */
  pointAt: 'value' | 'key' | 'parent';
}

/**
 * Reads and validates the config at `file`. `env` is what ${VAR} expands from: the entry points pass
 * process.env, tests pass their own.
 */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv): Promise<GateConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? error);
    throw configError(`${file}: cannot read the config: ${reason}`);
  }
  return parseConfig(text, file, env);
}

/** `source` names the file in messages; relative paths in the config are taken from its folder. */
export function parseConfig(text: string, source: string, env: NodeJS.ProcessEnv): GateConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  // JSON is read as YAML (it nearly is), but a JSON user should not be told their file is bad YAML.
  const language = /\.json$/i.test(source) ? 'JSON' : 'YAML';

  /** Values expanded from ${VAR}: a message that quotes the bad value must not show them. */
  let secrets: string[] = [];
  function fail(offset: number | undefined, at: KeyPath, what: string): never {
    let where = source;
    if (offset !== undefined) {
      const { line, col } = lineCounter.linePos(offset);
      where += `:${line}:${col}`;
    }
    throw configError(
      redactSecrets(`${where}: ${at.length > 0 ? `${formatPath(at)}: ` : ''}${what}`, secrets),
    );
  }
  function failWith(problem: Problem): never {
    return fail(offsetOf(doc, problem), problem.path, problem.text);
  }

  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const problem = describeYamlError(doc, syntaxError, lineCounter, language);
    fail(syntaxError.pos[0], problem.path, problem.text);
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (error) {
    // An alias to an unknown anchor, or too many aliases (yaml's guard against alias bombs): still one line.
    fail(undefined, [], `invalid ${language}: ${(error as Error).message}`);
  }
  if (raw === null || raw === undefined)
    fail(undefined, [], 'the config is empty; expected a map with target and endpoints');

  const expansion = expandEnv(raw, env);
  if (!expansion.ok) failWith({ path: expansion.path, text: expansion.problem, pointAt: 'value' });
  secrets = expansion.secrets;

  const parsed = configSchema.safeParse(expansion.value);
  if (!parsed.success) failWith(firstProblem(parsed.error.issues, expansion.value, doc));

  const duplicate = duplicateName(parsed.data.endpoints);
  if (duplicate) failWith(duplicate);
  const baselineProblem = baselineConflict(parsed.data);
  if (baselineProblem) failWith(baselineProblem);
  const resourceProblem = resourceTargetWithoutService(parsed.data);
  if (resourceProblem) failWith(resourceProblem);
  return toGateConfig(parsed.data, source, expansion);
}

/** yaml's message, except where it speaks to programmers or can say which key. */
function describeYamlError(
  doc: Document,
  error: YAMLError,
  lineCounter: LineCounter,
  language: 'YAML' | 'JSON',
): Omit<Problem, 'pointAt'> {
  if (error.code === 'DUPLICATE_KEY') {
    const duplicate = findDuplicateKey(doc, error.pos[0]);
    if (duplicate) {
      const { line } = lineCounter.linePos(duplicate.firstOffset);
      return { path: duplicate.path, text: `duplicate key; it is already set on line ${line}` };
    }
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return { path: [], text: `invalid ${language}: expected one document, found a second one after "---"` };
  }
  const hint = YAML_HINTS[error.code];
  return {
    path: [],
    text: `invalid ${language}: ${error.message.split('\n')[0]}${hint ? ` (${hint})` : ''}`,
  };
}

/** yaml's words for two common slips do not name the slip. */
const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  MULTILINE_IMPLICIT_KEY: 'is a ":" missing after a key?',
  BLOCK_AS_IMPLICIT_KEY: 'quote a value that contains ": "',
};

/** The path of the key starting at `offset`, and where the same key first appears in its map. */
function findDuplicateKey(doc: Document, offset: number): { path: KeyPath; firstOffset: number } | undefined {
  const search = (node: unknown, at: KeyPath): { path: KeyPath; firstOffset: number } | undefined => {
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const found = search(item, [...at, index]);
        if (found) return found;
      }
    }
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      const keyNode = isNode(pair.key) ? pair.key : undefined;
      const key = keyText(pair.key);
      if (keyNode?.range?.[0] === offset) {
        const first = node.items.find((other) => keyText(other.key) === key);
        const firstOffset = isNode(first?.key) ? first.key.range?.[0] : undefined;
        return firstOffset === undefined ? undefined : { path: [...at, key], firstOffset };
      }
      const found = search(pair.value, [...at, key]);
      if (found) return found;
    }
    return undefined;
  };
  return search(doc.contents, []);
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** The node holding the value at `at` and the key node that names it, following aliases on the way. */
function locate(doc: Document, at: KeyPath): { value?: Node; key?: Node } {
  let node: unknown = doc.contents;
  let key: unknown;
  for (const part of at) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(part));
      if (!pair) return {};
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      key = undefined;
      node = node.items[part];
    } else {
      return {};
    }
  }
  return { value: isNode(node) ? node : undefined, key: isNode(key) ? key : undefined };
}

function offsetOf(doc: Document, problem: Problem): number | undefined {
  if (problem.pointAt === 'parent') {
    // A missing key has no place of its own; the map that lacks it does, unless that is the whole file.
    return problem.path.length > 1 ? locate(doc, problem.path.slice(0, -1)).value?.range?.[0] : undefined;
  }
  const { value, key } = locate(doc, problem.path);
  if (problem.pointAt === 'key') return key?.range?.[0];
  // `key:` with nothing after it has an empty value at the end of the line: the key is what to look at.
  const empty = isScalar(value) && value.range?.[0] === value.range?.[1];
  return (empty ? undefined : value?.range?.[0]) ?? key?.range?.[0];
}

/**
 * The one issue worth a line. Zod reports in schema order and a union's failure at the union, so: issues
 * inside unions are drawn out, present keys come before missing ones (a missing `endpoints` is often the
 * mistyped `endpoint:` reported as unknown), then the issue earliest in the file, then the deepest.
 */
function firstProblem(issues: readonly z.core.$ZodIssue[], data: unknown, doc: Document): Problem {
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

function unknownKeyText(key: string, known: readonly string[]): string {
  const suggestions = suggestKeys(key, known);
  if (suggestions.length > 0)
    return `unknown key; did you mean ${suggestions.map((s) => `"${s}"`).join(' or ')}?`;
  return known.length > 0 ? `unknown key; expected one of ${known.join(', ')}` : 'unknown key';
}

/**
 * The keys a mistyped one most likely meant: one that differs only in case, "-" or "_" (`errorRate`); else
 * one with the same letters in another order (`p59` for p95: swapped keys are the commonest slip, and edit
 * distance would rank p50 first); else the nearest by edit distance, when near enough to be a typo.
 */
export function suggestKeys(key: string, known: readonly string[]): string[] {
  const loose = (text: string) => text.toLowerCase().replace(/[-_\s]/g, '');
  const sameLoose = known.filter((candidate) => loose(candidate) === loose(key));
  if (sameLoose.length > 0) return sameLoose;
  const letters = (text: string) => [...loose(text)].sort().join('');
  const anagrams = known.filter((candidate) => letters(candidate) === letters(key));
  if (anagrams.length > 0) return anagrams.slice(0, 3);
  const limit = Math.max(2, Math.floor(key.length / 3));
  const distances = known.map((candidate) => ({ candidate, edits: distance(key, candidate) }));
  const fewest = Math.min(...distances.map((d) => d.edits));
  if (fewest > limit) return [];
  return distances
    .filter((d) => d.edits === fewest)
    .map((d) => d.candidate)
    .slice(0, 3);
}

/** The keys the schema allows at a path, for "did you mean". */
function knownKeysAt(at: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configSchema;
  for (const part of at) {
    schema = schema && unwrap(schema);
    if (!schema) return [];
    const def = schema._zod.def as unknown as Record<string, unknown>;
    if (typeof part === 'number') schema = def.element as z.core.$ZodType | undefined;
    else schema = (def.shape as Record<string, z.core.$ZodType> | undefined)?.[String(part)];
  }
  schema = schema && unwrap(schema);
  const shape = schema?._zod.def as unknown as { shape?: Record<string, unknown> } | undefined;
  return shape?.shape ? Object.keys(shape.shape).filter((k) => k !== '$schema') : [];
}

/** Through optional, default and prefault (innerType) and pipes (in) to the schema of the value written. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    const inner = (def.innerType ?? (def.type === 'pipe' ? def.in : undefined)) as
      z.core.$ZodType | undefined;
    if (!inner) return current;
    current = inner;
  }
}

/** Names tell endpoints apart in reports and in the JSON result, so two may not share one. */
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

function defaultName(endpoint: { method: string; path: string }): string {
  return `${endpoint.method} ${endpoint.path}`;
}

function toSloTargets(slo: RawSlo | undefined): SloTargets {
  if (!slo) return {};
  const targets: SloTargets = {
    p50Ms: slo.p50,
    p90Ms: slo.p90,
    p95Ms: slo.p95,
    p99Ms: slo.p99,
    maxMs: slo.max,
    errorRate: slo['error-rate'],
    minRps: slo['min-rps'],
    maxRssBytes: slo['max-rss'],
    maxRssGrowthBytes: slo['max-rss-growth'],
    maxCpuPerRequestMs: slo['max-cpu-per-request'],
  };
  return Object.fromEntries(Object.entries(targets).filter(([, v]) => v !== undefined)) as SloTargets;
}

/** Every endpoint is held to 1% errors unless the config says otherwise. */
const DEFAULT_SLO: SloTargets = { errorRate: 0.01 };

function toGateConfig(
  raw: RawConfig,
  source: string,
  { secrets, tooShortToMask }: { secrets: string[]; tooShortToMask: string[] },
): GateConfig {
  const baseDir = path.dirname(path.resolve(source));
  const target = raw.target.replace(/\/+$/, '');
  const defaults = { ...DEFAULT_SLO, ...toSloTargets(raw.slo) };
  const endpoints = raw.endpoints.map((endpoint): EndpointConfig => {
    const headers = { ...(endpoint.headers ?? {}) };
    let body: string | undefined;
    if (typeof endpoint.body === 'string') body = endpoint.body;
    else if (endpoint.body !== undefined) {
      body = JSON.stringify(endpoint.body);
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
        headers['content-type'] = 'application/json';
      }
    }
    return {
      name: endpoint.name ?? defaultName(endpoint),
      method: endpoint.method,
      path: endpoint.path,
      url: target + endpoint.path,
      headers,
      body,
      expectStatus: endpoint['expect-status'],
      slo: { ...defaults, ...toSloTargets(endpoint.slo) },
      maxRegression: endpoint.slo?.['max-regression'] ?? raw.slo?.['max-regression'],
    };
  });
  const service = raw.service && toServiceConfig(raw.service, baseDir, target);
  const baseline = raw.baseline && {
    target: raw.baseline.target.replace(/\/+$/, ''),
    service:
      raw.baseline.service &&
      toServiceConfig(raw.baseline.service, baseDir, raw.baseline.target.replace(/\/+$/, '')),
    ref: raw.baseline.ref,
    setup: raw.baseline.setup,
    env: raw.baseline.env,
    rounds: raw.baseline.rounds,
    roundDurationMs: raw.baseline['round-duration'],
    maxRegression: raw.baseline['max-regression'],
  };
  return {
    source,
    target,
    service,
    load: {
      durationMs: raw.load.duration,
      warmupMs: raw.load.warmup,
      connections: raw.load.connections,
      ratePerSecond: raw.load.rate,
      requestTimeoutMs: raw.load['request-timeout'],
    },
    endpoints,
    baseline,
    secrets: [...new Set(secrets)],
    tooShortToMask,
  };
}

function toServiceConfig(
  raw: NonNullable<RawConfig['service']>,
  baseDir: string,
  target: string,
): ServiceConfig {
  const { url, log, tcp } = raw.ready;
  // /health is the default only when nothing else says how to tell readiness.
  const healthUrl = url ?? (log === undefined && tcp === undefined ? '/health' : undefined);
  return {
    command: raw.command,
    cwd: path.resolve(baseDir, raw.cwd),
    env: raw.env,
    ready: {
      url:
        healthUrl === undefined || /^https?:\/\//.test(healthUrl)
          ? healthUrl
          : target + (healthUrl.startsWith('/') ? '' : '/') + healthUrl,
      log,
      tcp: tcp === undefined ? undefined : { host: socketAddressOf(target).host, port: tcp },
      timeoutMs: raw.ready.timeout,
      intervalMs: raw.ready.interval,
    },
    stopTimeoutMs: raw['stop-timeout'],
  };
}
