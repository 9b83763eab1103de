/** The validated, typed configuration the rest of slo-gate receives. Units are in the names. */
import type { Template } from './template.js';

export interface SloTargets {
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Failed / attempted requests, as a fraction (0.01 is 1%). */
  errorRate?: number;
  minRps?: number;
  /** Lower bound on the capacity found by the capacity search, requests per second. */
  minCapacityRps?: number;
  maxRssBytes?: number;
  maxRssGrowthBytes?: number;
  maxCpuPerRequestMs?: number;
}

export interface EndpointConfig {
  name: string;
  method: string;
  /** As written, relative to the target. */
  path: string;
  /** target + path. */
  url: string;
  /**
   * As configured, with content-type application/json added for a map or list body that has none. The
   * load client adds accept-encoding unless one is set here (src/load/gate-client.ts).
   */
  headers: Record<string, string>;
  /**
   * Already serialized: a map or list as JSON (with a JSON content-type added when none was given), a
   * map as a form when the content-type is application/x-www-form-urlencoded, a string as written.
   */
  body?: string;
  /** Statuses that count as success; undefined means any 2xx. */
  expectStatus?: number[];
  slo: SloTargets;
  /** With a baseline: the largest p95 regression allowed for this endpoint, as a fraction. */
  maxRegression?: number;
  /** Its `{{ }}` templates, filled per request; absent on a fixed endpoint (one prebuilt request). */
  templates?: EndpointTemplates;
  /** With load.mode mixed: its share of the requests (issue #10); absent unless the config gives one. */
  weight?: number;
  /** Its capacity search (issue #11), after its normal measurement; absent when it has none. */
  capacity?: CapacityConfig;
}

/** The capacity search of an endpoint: the rates it may offer and how long it may take. */
export interface CapacityConfig {
  /** The first rate tried, doubled while the SLO holds. */
  fromRps: number;
  /** Never offer more. */
  toRps: number;
  /** Measured time at each rate tried. */
  stepMs: number;
  /** Unmeasured load at the step's rate before each step. */
  warmupMs: number;
  /** The search ends when the highest rate held and the lowest broken are within this fraction. */
  precision: number;
  /** Cap on the whole search of the endpoint, warmups and both sides included. */
  maxTimeMs: number;
}

export interface ServiceConfig {
  /** Run by /bin/sh -c in its own process group. */
  command: string;
  /** Run by /bin/sh -c before `command`, to completion; a failure stops the gate (exit 3). */
  setup?: string;
  setupTimeoutMs: number;
  /** Absolute. */
  cwd: string;
  env: Record<string, string>;
  ready: {
    /** Absolute URL of the health check; undefined when readiness is judged by `log` or `tcp` alone. */
    url?: string;
    /** Ready once a line of the service's output contains this. */
    log?: string;
    /** Ready once this port on the target host accepts TCP connections. */
    tcp?: { host: string; port: number };
    timeoutMs: number;
    intervalMs: number;
  };
  stopTimeoutMs: number;
}

export interface LoadConfig {
  /** The measured window; with `stages`, their sum. */
  durationMs: number;
  warmupMs: number;
  /** Connections open; with closed-loop stages, the most any stage asks for. */
  connections: number;
  /** Fixed total arrival rate; undefined means closed-loop (each connection sends when answered). */
  ratePerSecond?: number;
  /**
   * Load that changes over the window (issue #11), in order: all by rate (ratePerSecond unset, over
   * `connections`) or all by connections (closed loop). Absent for a flat load.
   */
  stages?: LoadStage[];
  requestTimeoutMs: number;
  /** isolated: one endpoint after another; mixed: all at once over shared connections, by weight. */
  mode: LoadMode;
}

/**
 * One stage: over `durationMs`, the rate (or the connections) ramps linearly from the previous stage's
 * (0 before the first) to this one's. Exactly one of the two is set.
 */
export interface LoadStage {
  durationMs: number;
  /** Requests per second reached at the end of the stage. */
  ratePerSecond?: number;
  /** Closed loop: connections open at the end of the stage. */
  connections?: number;
}

/** How the endpoints are loaded (issue #10). */
export type LoadMode = 'isolated' | 'mixed';

/** The base branch's copy of the service, measured against head in alternating rounds. */
export interface BaselineConfig {
  /** Base URL of the base copy. */
  target: string;
  /** How to start the base copy; undefined when it is already running at `target`. */
  service?: ServiceConfig;
  /**
   * Check the base out into a git worktree and start it there with the head's service settings:
   * a ref, or 'auto' for the pull request's base commit.
   */
  ref?: string;
  /** Run through the shell in the worktree before the base copy starts, e.g. "npm ci". */
  setup?: string;
  /** With `ref`: environment on top of the head's service.env for the base copy (its own PORT, say). */
  env: Record<string, string>;
  /** Alternating rounds per endpoint (base, head, head, base, …). */
  rounds: number;
  /** Measured time of each side in each round. */
  roundDurationMs: number;
  /** The largest p95 regression allowed, as a fraction (0.1 is 10%). */
  maxRegression: number;
  /** Whether an inconclusive comparison (its interval straddles the budget) fails the check. */
  onInconclusive: OnInconclusive;
}

/** baseline.on-inconclusive: fail the max-regression check when the run cannot tell, or pass it with a warning. */
export type OnInconclusive = 'fail' | 'pass';

export interface GateConfig {
  /** Where the config came from, for messages. */
  source: string;
  target: string;
  service?: ServiceConfig;
  load: LoadConfig;
  endpoints: EndpointConfig[];
  baseline?: BaselineConfig;
  /** Data sets by name, read and checked at load time; absent without a `data` key. */
  data?: Record<string, DataSetConfig>;
  /** Setup requests, sent in order before any load; absent without a `setup` key. */
  setup?: SetupStepConfig[];
  /**
   * Values expanded from ${VAR}: the action masks them and reports never show them. Values captured by
   * setup requests are added here as they are captured, so the same masking covers them.
   */
  secrets: string[];
  /** Variables expanded with values too short to mask (under 4 characters): shown as they are. */
  tooShortToMask: string[];
  /**
   * What the config says that is valid but likely a mistake (a string body with no content-type), each
   * one line placed like a config error ("slo-gate.yml:12:11: endpoints[1].body: …"). `validate` prints
   * them; a run carries them into its report.
   */
  warnings: string[];
}

/** How a data set's rows are taken: file order wrapping around, at random, or each once only. */
export type DataOrder = 'sequential' | 'random' | 'unique';

/** A data set read from its file at config time (issue #10). */
export interface DataSetConfig {
  name: string;
  /** As the config wrote it, for messages and reports. */
  file: string;
  order: DataOrder;
  /** CSV values are strings; JSON and JSON Lines keep their types. */
  rows: readonly Readonly<Record<string, unknown>>[];
}

/**
 * A body part to fill per request: `json` as a JSON value (a whole-value template keeps its type), `form`
 * URL-encoded as a form value, `raw` as text.
 */
export interface BodySlot {
  template: Template;
  as: 'json' | 'form' | 'raw';
}

/** An endpoint's `{{ }}` templates, compiled once; present only on an endpoint that has any. */
export interface EndpointTemplates {
  /** The path, when it has a template (otherwise the endpoint's `path` as is). */
  path?: Template;
  /** Header values that have a template, by header name; the others are in `headers` as is. */
  headers: Record<string, Template>;
  /** The body as literal text and slots, when it has a template (otherwise `body` as is). */
  body?: (string | BodySlot)[];
  /** Data sets the templates take a row from on each request, in order of first use. */
  dataSets: string[];
}

/** Where a setup step reads a captured value: a dot path into its JSON body, or a response header. */
export type CaptureSource = { json: string } | { header: string };

/** A request sent once after boot and before any load (issue #10 part 2), e.g. a login. */
export interface SetupStepConfig {
  name: string;
  method: string;
  /** As written, relative to the target (the head's, or the baseline's). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** Statuses that count as success; undefined means any 2xx. */
  expectStatus?: number[];
  /** Captured values by name, in the order written. */
  capture: Record<string, CaptureSource>;
  /** Sent once per load connection, each capturing its own values (a token per connection). */
  perConnection: boolean;
  /** Its `{{ }}` templates, filled when it is sent; absent when it has none. */
  templates?: EndpointTemplates;
}
