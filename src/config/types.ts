/** The validated, typed configuration the rest of slo-gate receives. Units are in the names. */

export interface SloTargets {
  p50Ms?: number;
  p90Ms?: number;
  p95Ms?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Failed / attempted requests, as a fraction (0.01 is 1%). */
  errorRate?: number;
  minRps?: number;
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
  headers: Record<string, string>;
  /** Already serialized; objects were turned into JSON (and a JSON content-type added). */
  body?: string;
  /** Statuses that count as success; undefined means any 2xx. */
  expectStatus?: number[];
  slo: SloTargets;
}

export interface ServiceConfig {
  /** Run by /bin/sh -c in its own process group. */
  command: string;
  /** Absolute. */
  cwd: string;
  env: Record<string, string>;
  ready: {
    /** Absolute URL. */
    url: string;
    timeoutMs: number;
    intervalMs: number;
  };
  stopTimeoutMs: number;
}

export interface LoadConfig {
  durationMs: number;
  warmupMs: number;
  connections: number;
  /** Fixed total arrival rate; undefined means closed-loop (each connection sends when answered). */
  ratePerSecond?: number;
  requestTimeoutMs: number;
}

export interface GateConfig {
  /** Where the config came from, for messages. */
  source: string;
  target: string;
  service?: ServiceConfig;
  load: LoadConfig;
  endpoints: EndpointConfig[];
  /** Values expanded from ${VAR}: the action masks them and reports never show them. */
  secrets: string[];
}
