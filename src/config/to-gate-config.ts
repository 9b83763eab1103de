/**
 * The typed mapping from the parsed config, keyed as users write it (`RawConfig`), to the `GateConfig` the
 * rest of slo-gate receives: units in the names, defaults applied, URLs and folders resolved, bodies
 * serialized.
 */
import path from 'node:path';
import { socketAddressOf } from './address.js';
import { encodeBody } from './request-body.js';
import { toSetupSteps } from './setup-steps.js';
import type { RawConfig, RawSlo } from './schema.js';
import type { RawCapacity } from './schema-capacity.js';
import type {
  BaselineConfig,
  CapacityConfig,
  DataSetConfig,
  EndpointConfig,
  EndpointTemplates,
  GateConfig,
  LoadConfig,
  LoadStage,
  ServiceConfig,
  SloTargets,
} from './types.js';

type RawEndpoint = RawConfig['endpoints'][number];

/** What the loader found besides the values: expanded secrets to mask, and warnings to show. */
interface LoadNotes {
  secrets: string[];
  tooShortToMask: string[];
  /** Placed in the file ("file:line:col: key: text"), as the loader words its errors. */
  warnings: string[];
}

/** Request templates (one entry per endpoint, undefined when fixed) and data sets, checked by data-rules. */
interface RequestData {
  templates: readonly (EndpointTemplates | undefined)[];
  data?: Record<string, DataSetConfig>;
  /** Setup steps' templates, one entry per step (undefined when it has none), checked by setup-rules. */
  setupTemplates?: readonly (EndpointTemplates | undefined)[];
}

/** Every endpoint is held to 1% errors unless the config says otherwise. */
const DEFAULT_SLO: SloTargets = { errorRate: 0.01 };

/** `source` is the config file: relative folders in it are taken from its folder. */
export function toGateConfig(
  raw: RawConfig,
  source: string,
  { secrets, tooShortToMask, warnings }: LoadNotes,
  requestData: RequestData = { templates: [] },
): GateConfig {
  const baseDir = path.dirname(path.resolve(source));
  const target = withoutTrailingSlash(raw.target);
  const defaults = { ...DEFAULT_SLO, ...toSloTargets(raw.slo) };
  return {
    source,
    target,
    service: raw.service && toServiceConfig(raw.service, baseDir, target),
    load: toLoadConfig(raw.load),
    endpoints: raw.endpoints.map((endpoint, i) => {
      const config = toEndpointConfig(endpoint, target, defaults, raw.slo);
      const templates = requestData.templates[i];
      const capacity = endpoint.capacity === false ? undefined : (endpoint.capacity ?? raw.capacity);
      // Absent rather than undefined, so a config without templates or capacity maps exactly as before.
      return {
        ...config,
        ...(templates ? { templates } : {}),
        ...(capacity ? { capacity: toCapacityConfig(capacity, raw.baseline !== undefined) } : {}),
      };
    }),
    baseline: raw.baseline && toBaselineConfig(raw.baseline, baseDir),
    ...(requestData.data ? { data: requestData.data } : {}),
    ...(raw.setup ? { setup: toSetupSteps(raw.setup, requestData.setupTemplates ?? []) } : {}),
    secrets: [...new Set(secrets)],
    tooShortToMask,
    warnings,
  };
}

/** Defaults of the load keys the stage rules need to see unset (schema-load.ts). */
const DEFAULT_DURATION_MS = 10_000;
const DEFAULT_CONNECTIONS = 10;

function toLoadConfig(load: RawConfig['load']): LoadConfig {
  const stages = load.stages?.map((stage): LoadStage =>
    stage.connections !== undefined
      ? { durationMs: stage.duration, connections: stage.connections }
      : { durationMs: stage.duration, ratePerSecond: stage.rate },
  );
  const closedStages = stages?.some((stage) => stage.connections !== undefined);
  return {
    durationMs: stages
      ? stages.reduce((ms, s) => ms + s.durationMs, 0)
      : (load.duration ?? DEFAULT_DURATION_MS),
    warmupMs: load.warmup,
    connections: closedStages
      ? Math.max(...stages!.map((s) => s.connections ?? 0))
      : (load.connections ?? DEFAULT_CONNECTIONS),
    ratePerSecond: load.rate,
    ...(stages ? { stages } : {}),
    requestTimeoutMs: load['request-timeout'],
    mode: load.mode,
  };
}

/** "METHOD path": an endpoint's name when the config gives none. */
export function defaultName(endpoint: { method: string; path: string }): string {
  return `${endpoint.method} ${endpoint.path}`;
}

function withoutTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

function toEndpointConfig(
  endpoint: RawEndpoint,
  target: string,
  defaults: SloTargets,
  topSlo: RawSlo | undefined,
): EndpointConfig {
  const { body, headers } = encodeBody(endpoint);
  return {
    name: endpoint.name ?? defaultName(endpoint),
    method: endpoint.method,
    path: endpoint.path,
    url: target + endpoint.path,
    headers,
    body,
    expectStatus: endpoint['expect-status'],
    slo: { ...defaults, ...toSloTargets(endpoint.slo) },
    maxRegression: endpoint.slo?.['max-regression'] ?? topSlo?.['max-regression'],
    // Absent rather than undefined, so a config without weights maps exactly as before.
    ...(endpoint.weight === undefined ? {} : { weight: endpoint.weight }),
  };
}

function toBaselineConfig(raw: NonNullable<RawConfig['baseline']>, baseDir: string): BaselineConfig {
  const target = withoutTrailingSlash(raw.target);
  return {
    target,
    service: raw.service && toServiceConfig(raw.service, baseDir, target),
    ref: raw.ref,
    setup: raw.setup,
    env: raw.env,
    rounds: raw.rounds,
    roundDurationMs: raw['round-duration'],
    maxRegression: raw['max-regression'],
    onInconclusive: raw['on-inconclusive'],
  };
}

/** A search takes at most a minute per endpoint, two with a baseline (its steps run on both sides). */
const DEFAULT_CAPACITY_TIME_MS = 60_000;

function toCapacityConfig(raw: RawCapacity, withBaseline: boolean): CapacityConfig {
  return {
    fromRps: raw.from,
    toRps: raw.to,
    stepMs: raw.step,
    // Long enough to open the connections and let a queue at the new rate settle, short against the step.
    warmupMs: raw.warmup ?? Math.min(1000, Math.round(raw.step / 3)),
    precision: raw.precision,
    maxTimeMs: raw['max-time'] ?? DEFAULT_CAPACITY_TIME_MS * (withBaseline ? 2 : 1),
  };
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
    minCapacityRps: slo['min-capacity'],
    maxRssBytes: slo['max-rss'],
    maxRssGrowthBytes: slo['max-rss-growth'],
    maxCpuPerRequestMs: slo['max-cpu-per-request'],
  };
  return Object.fromEntries(Object.entries(targets).filter(([, v]) => v !== undefined)) as SloTargets;
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
    setup: raw.setup,
    setupTimeoutMs: raw['setup-timeout'],
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
