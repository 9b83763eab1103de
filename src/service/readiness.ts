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
  if (!health) return { ready: ok, summary: statusLine };
  const unhealthy = describeUnhealthyDependencies(health);
  return {
    ready: ok && READY_STATES.has(health.status),
    summary: `${statusLine}, status "${health.status}"${unhealthy ? ` (${unhealthy})` : ''}`,
    health,
  };
}

export async function waitUntilReady(
  service: RunningService,
  config: ServiceConfig,
  log: Logger,
  signal?: AbortSignal,
): Promise<Readiness> {
  const { ready } = config;
  const startedAt = Date.now();
  const deadline = startedAt + ready.timeoutMs;
  const sawLogLine = ready.log === undefined ? () => true : service.watchOutput(ready.log);
  const what = describeReadiness(config);
  let lastProgressAt = startedAt;
  for (;;) {
    const exit = service.exit();
    if (exit)
      throw serviceError(
        `the service ${describeExit(exit)} before it was ready (${what})`,
        service.logTail(),
      );
    if (signal?.aborted) throw serviceError('interrupted while waiting for the service to be ready');
    const probeTimeoutMs = Math.min(2000, Math.max(100, deadline - Date.now()));
    // Every condition given must hold; the first that does not is what the timeout message names.
    let waitingFor: string | undefined;
    let health: HealthReport | undefined;
    if (!sawLogLine()) waitingFor = `no output line contained ${JSON.stringify(ready.log)}`;
    if (!waitingFor && ready.tcp) {
      const open = await portOpen(ready.tcp.host, ready.tcp.port, probeTimeoutMs);
      if (open !== true) waitingFor = `port ${ready.tcp.port} refused connections (${open})`;
    }
    if (!waitingFor && ready.url) {
      const probe = await probeHealth(ready.url, probeTimeoutMs);
      health = probe.health;
      if (!probe.ready) waitingFor = `${ready.url} answered ${probe.summary}`;
    }
    if (!waitingFor) {
      if (health?.status === 'degraded') {
        const unhealthy = describeUnhealthyDependencies(health);
        log.warn(`the service is ready but degraded${unhealthy ? `: ${unhealthy}` : ''}`);
      }
      return { readyAfterMs: Date.now() - startedAt, health };
    }
    const now = Date.now();
    if (now >= deadline) {
      throw serviceError(
        `the service was not ready after ${formatMs(ready.timeoutMs)}: ${waitingFor}`,
        service.logTail(),
      );
    }
    if (now - lastProgressAt >= 5000) {
      lastProgressAt = now;
      log.info(`still waiting for the service (${Math.round((now - startedAt) / 1000)} s): ${waitingFor}`);
    }
    // Wake early if the process exits, so a crash is reported at once.
    await Promise.race([service.exited, sleep(Math.min(ready.intervalMs, deadline - now))]);
  }
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
