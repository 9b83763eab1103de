/**
 * Reads slo-gate.yml (or JSON) and returns a typed GateConfig, or throws one config error naming the file,
 * line and column, the key path and what was expected. Nothing boots before this succeeds.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { distance, closest } from 'fastest-levenshtein';
import { LineCounter, parseDocument, isNode } from 'yaml';
import type { z } from 'zod';
import { configError, GateError } from '../errors.js';
import { expandEnv, formatPath } from './expand-env.js';
import { configSchema, type RawConfig, type RawSlo } from './schema.js';
import type { EndpointConfig, GateConfig, SloTargets } from './types.js';

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
  const at = (offset: number | undefined): string => {
    if (offset === undefined) return source;
    const { line, col } = lineCounter.linePos(offset);
    return `${source}:${line}:${col}`;
  };
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const firstLine = syntaxError.message.split('\n')[0];
    throw configError(`${at(syntaxError.pos[0])}: invalid YAML: ${firstLine}`);
  }
  const raw: unknown = doc.toJS();
  if (raw === null || raw === undefined) throw configError(`${source}: the config is empty`);

  let expanded;
  try {
    expanded = expandEnv(raw, env);
  } catch (error) {
    throw error instanceof GateError ? configError(`${source}: ${error.message}`) : error;
  }

  const parsed = configSchema.safeParse(expanded.value);
  if (!parsed.success) {
    const issue = firstIssue(parsed.error.issues);
    const node = doc.getIn(issue.path as (string | number)[], true);
    const where = at(isNode(node) ? node.range?.[0] : undefined);
    throw configError(`${where}: ${describeIssue(issue)}`);
  }
  return toGateConfig(parsed.data, source, expanded.secrets);
}

/** Zod reports a union's failure at the union; the most specific issue is the most useful one line. */
function firstIssue(issues: z.core.$ZodIssue[]): z.core.$ZodIssue {
  return issues.reduce((best, issue) => (issue.path.length > best.path.length ? issue : best), issues[0]!);
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const known = knownKeysAt(issue.path);
    const key = issue.keys[0]!;
    const where = formatPath([...issue.path, key]);
    const suggestion = known.length > 0 ? closest(key, known) : undefined;
    const hint =
      suggestion && distance(key, suggestion) <= Math.max(2, Math.floor(key.length / 3))
        ? `; did you mean "${suggestion}"?`
        : known.length > 0
          ? `; expected one of ${known.join(', ')}`
          : '';
    return `${where}: unknown key${hint}`;
  }
  const where = formatPath(issue.path);
  if (issue.code === 'invalid_type' && issue.input === undefined)
    return `${where}: required, ${issue.message}`;
  return `${where}: ${issue.message}`;
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

function toGateConfig(raw: RawConfig, source: string, secrets: string[]): GateConfig {
  const baseDir = path.dirname(path.resolve(source));
  const target = raw.target.replace(/\/+$/, '');
  const defaults = { ...DEFAULT_SLO, ...toSloTargets(raw.slo) };
  const names = new Map<string, number>();
  const endpoints = raw.endpoints.map((endpoint, index): EndpointConfig => {
    const name = endpoint.name ?? `${endpoint.method} ${endpoint.path}`;
    const previous = names.get(name);
    if (previous !== undefined) {
      throw configError(
        `${source}: endpoints[${index}]: the name "${name}" is already used by endpoints[${previous}]; give one a distinct name`,
      );
    }
    names.set(name, index);
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
      name,
      method: endpoint.method,
      path: endpoint.path,
      url: target + endpoint.path,
      headers,
      body,
      expectStatus: endpoint['expect-status'],
      slo: { ...defaults, ...toSloTargets(endpoint.slo) },
    };
  });
  const service = raw.service && {
    command: raw.service.command,
    cwd: path.resolve(baseDir, raw.service.cwd),
    env: raw.service.env,
    ready: {
      url: /^https?:\/\//.test(raw.service.ready.url)
        ? raw.service.ready.url
        : target + (raw.service.ready.url.startsWith('/') ? '' : '/') + raw.service.ready.url,
      timeoutMs: raw.service.ready.timeout,
      intervalMs: raw.service.ready.interval,
    },
    stopTimeoutMs: raw.service['stop-timeout'],
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
    secrets: [...new Set(secrets)],
  };
}
