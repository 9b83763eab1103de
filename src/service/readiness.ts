/**
 * Waits until the service's health check says it is ready, failing fast when the process exits first.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { ServiceConfig } from '../config/types.js';
import { serviceError } from '../errors.js';
import type { Logger } from '../log.js';
import { formatMs } from '../report/format.js';
import { describeUnhealthyDependencies, parseHealthBody, type HealthReport } from './health.js';
import { describeExit, type RunningService } from './service-process.js';

export interface Readiness {
  readyAfterMs: number;
  health?: HealthReport;
}

interface ProbeResult {
  ready: boolean;
  /** The HTTP status, when there was an answer. */
  statusCode?: number;
  /** What the probe saw, for the timeout message: "503 Service Unavailable", "ECONNREFUSED", … */
  summary: string;
  health?: HealthReport;
}

/**
 * One GET of the health URL on a connection of its own, closed afterwards (a kept-alive probe connection
 * would hold up the service's graceful shutdown). Never throws.
 */
export function probeHealth(url: string, timeoutMs: number): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const get = url.startsWith('https:') ? https.get : http.get;
    // Health checks of test services often use self-signed certificates; load traffic does not verify either.
    const request = get(url, { agent: false, timeout: timeoutMs, rejectUnauthorized: false }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        if (body.length < 65_536) body += chunk;
      });
      response.on('end', () => resolve(judge(response.statusCode ?? 0, body)));
      response.on('error', (error) => resolve({ ready: false, summary: error.message }));
    });
    request.on('timeout', () =>
      request.destroy(Object.assign(new Error(`no answer in ${formatMs(timeoutMs)}`), { code: 'ETIMEDOUT' })),
    );
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({
        ready: false,
        summary: error.code === 'ETIMEDOUT' ? error.message : (error.code ?? error.message),
      }),
    );
  });
}

/** Health states that mean ready; "degraded" is ready with a warning. */
const READY_STATES = new Set(['ok', 'up', 'pass', 'degraded']);

function judge(statusCode: number, body: string): ProbeResult {
  const health = parseHealthBody(body);
  const statusLine = `HTTP ${statusCode}`;
  const ok = statusCode >= 200 && statusCode < 300;
  if (!health) return { ready: ok, statusCode, summary: statusLine };
  const unhealthy = describeUnhealthyDependencies(health);
  return {
    ready: ok && READY_STATES.has(health.status),
    statusCode,
    summary: `${statusLine}, status "${health.status}"${unhealthy ? ` (${unhealthy})` : ''}`,
    health,
  };
}

/** Who waits, and for which service. */
export interface ReadinessOptions {
  log: Logger;
  /** Stops the wait (SIGINT, a cancelled workflow). */
  signal?: AbortSignal;
  /** What messages call the service: "the service", "the base service". */
  name: string;
  /** Where slo-gate.yml sets this service's readiness, for advice: "service.ready". */
  readyKey: string;
}

/** A health URL answering 404 this many times in a row is a route the service does not have: warn. */
export const NOT_FOUND_WARN_AFTER = 3;

export async function waitUntilReady(
  service: RunningService,
  config: ServiceConfig,
  options: ReadinessOptions,
): Promise<Readiness> {
  const { log, signal, name } = options;
  const { ready } = config;
  const startedAt = Date.now();
  const deadline = startedAt + ready.timeoutMs;
  const sawLogLine = ready.log === undefined ? () => true : service.watchOutput(ready.log);
  const notFound = notFoundWatch(ready.url, options);
  let lastProgressAt = startedAt;
  for (;;) {
    const exit = service.exit();
    if (exit) {
      const what = describeReadiness(config);
      throw serviceError(`${name} ${describeExit(exit)} before it was ready (${what})`, service.logTail());
    }
    if (signal?.aborted) throw serviceError(`interrupted while waiting for ${name} to be ready`);
    const probeTimeoutMs = Math.min(2000, Math.max(100, deadline - Date.now()));
    const { waitingFor, health, statusCode } = await checkConditions(ready, sawLogLine, probeTimeoutMs);
    if (!waitingFor) {
      if (health?.status === 'degraded') {
        const unhealthy = describeUnhealthyDependencies(health);
        log.warn(`${name} is ready but degraded${unhealthy ? `: ${unhealthy}` : ''}`);
      }
      return { readyAfterMs: Date.now() - startedAt, health };
    }
    notFound.saw(statusCode);
    const now = Date.now();
    if (now >= deadline) {
      const why = notFound.explain() ?? waitingFor;
      throw serviceError(
        `${name} was not ready after ${formatMs(ready.timeoutMs)}: ${why}`,
        service.logTail(),
      );
    }
    if (now - lastProgressAt >= 5000) {
      lastProgressAt = now;
      log.info(`still waiting for ${name} (${Math.round((now - startedAt) / 1000)} s): ${waitingFor}`);
    }
    // Wake early if the process exits, so a crash is reported at once.
    await Promise.race([service.exited, sleep(Math.min(ready.intervalMs, deadline - now))]);
  }
}

/** One round of probes. `waitingFor` is the first condition that does not hold yet; undefined when all do. */
async function checkConditions(
  ready: ServiceConfig['ready'],
  sawLogLine: () => boolean,
  probeTimeoutMs: number,
): Promise<{ waitingFor?: string; health?: HealthReport; statusCode?: number }> {
  // Every condition given must hold; the first that does not is what the timeout message names.
  if (!sawLogLine()) return { waitingFor: `no output line contained ${JSON.stringify(ready.log)}` };
  if (ready.tcp) {
    const open = await portOpen(ready.tcp.host, ready.tcp.port, probeTimeoutMs);
    if (open !== true) return { waitingFor: `port ${ready.tcp.port} refused connections (${open})` };
  }
  if (!ready.url) return {};
  const probe = await probeHealth(ready.url, probeTimeoutMs);
  const waitingFor = probe.ready ? undefined : `${ready.url} answered ${probe.summary}`;
  return { waitingFor, health: probe.health, statusCode: probe.statusCode };
}

/**
 * Counts 404s of the health URL in a row. A service without that route answers 404 until the timeout (60 s
 * by default) while its log fills with its own "GET /health 404" lines: after a few, say so and how to fix
 * it, and name the 404 in the timeout message. The wait itself is not cut short: a router that answers 404
 * until the app has mounted its routes is still possible.
 */
function notFoundWatch(url: string | undefined, { log, name, readyKey }: ReadinessOptions) {
  const advice =
    `set ${readyKey}.url to the path of its health check, ` +
    `or wait on ${readyKey}.tcp or ${readyKey}.log instead`;
  let inARow = 0;
  return {
    saw(statusCode: number | undefined): void {
      inARow = statusCode === 404 ? inARow + 1 : 0;
      if (inARow === NOT_FOUND_WARN_AFTER) {
        log.warn(
          `${name} has no route GET ${url}: it answered 404 Not Found ${inARow} times in a row; ${advice}`,
        );
      }
    },
    /** The timeout's reason when the probes up to the end were 404s. */
    explain(): string | undefined {
      return inARow > 0 ? `GET ${url} answered 404 Not Found ${inARow} times; ${advice}` : undefined;
    },
  };
}

/** "http://127.0.0.1:3000/health", "the log line \"Listening\"", "port 5432", joined. */
function describeReadiness(config: ServiceConfig): string {
  const parts: string[] = [];
  if (config.ready.url) parts.push(config.ready.url);
  if (config.ready.log !== undefined) parts.push(`the log line ${JSON.stringify(config.ready.log)}`);
  if (config.ready.tcp) parts.push(`port ${config.ready.tcp.port}`);
  return parts.join(', ');
}

/** true when a TCP connection opens, else the reason (ECONNREFUSED, a timeout). */
/** True when `host:port` accepts a TCP connection within `timeoutMs`, else why not (ECONNREFUSED, …). */
export function portOpen(host: string, port: number, timeoutMs: number): Promise<true | string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: timeoutMs });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer in ${formatMs(timeoutMs)}`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
