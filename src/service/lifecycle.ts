/**
 * The services of one gate run, head and base: each booted in its own log group (port checked free,
 * started, waited on until ready) and stopped in its own, with its output shown. Messages name each
 * service by its display name; the role is what code looks it up by.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { socketAddressOf } from '../config/address.js';
import type { ServiceConfig } from '../config/types.js';
import { formatMs } from '../report/format.js';
import { GateError } from '../errors.js';
import type { Logger } from '../log.js';
import type { GateResult, ServiceInfo } from '../report/model.js';
import { redactSecrets } from '../report/redact.js';
import { portOpen, waitUntilReady } from './readiness.js';
import { describeStop, startService, type RunningService } from './service-process.js';
import { runSetupCommand } from './setup-command.js';

/** Which build a service runs: the head (the change under test) or the base it is compared with. */
export type ServiceRole = 'head' | 'base';

/** What messages and log groups call each service. */
export const SERVICE_NAMES: Record<ServiceRole, string> = {
  head: 'the service',
  base: 'the base service',
};

/** A service slo-gate started. */
export interface StartedService {
  role: ServiceRole;
  /** Its display name, from {@link SERVICE_NAMES}. */
  name: string;
  process: RunningService;
  /** Where its report entry is (log file, readiness, log tail). */
  info: ServiceInfo;
}

/** How long to wait for a connection when checking that a service's port is free before starting it. */
const PORT_CHECK_TIMEOUT_MS = 1000;

/** What booting one service needs. */
export interface BootRequest {
  role: ServiceRole;
  service: ServiceConfig;
  /** The URL the load goes to; nothing may answer there before the service starts. */
  target: string;
  /** Filled in: readiness, version, health. */
  info: ServiceInfo;
  secrets: readonly string[];
  /** Where slo-gate.yml sets its readiness, for advice: "service.ready". */
  readyKey: string;
}

/**
 * Starts a service and waits until it is ready, filling in what its health check says. First makes sure
 * nothing else answers at its target: the gate would find that ready and measure it, while the service
 * itself failed to bind its port.
 */
export async function bootService(
  { role, service: config, target, info, secrets, readyKey }: BootRequest,
  result: GateResult,
  { log, signal }: { log: Logger; signal?: AbortSignal },
): Promise<StartedService> {
  const name = SERVICE_NAMES[role];
  return log.group(`Start ${name}: ${config.command}`, async () => {
    await checkPortFree(target, name);
    const redact = (line: string) => redactSecrets(line, secrets);
    await startLogFile(info.logFile!);
    if (config.setup) await runServiceSetup(config, info, redact, { log, signal });
    const running = startService(config, info.logFile!, redact);
    log.info(`started (pid ${running.pid}); output in ${info.logFile}`);
    try {
      const readiness = await waitUntilReady(running, config, { log, signal, name, readyKey });
      info.readyAfterMs = readiness.readyAfterMs;
      if (readiness.health) {
        info.status = readiness.health.status;
        info.version = readiness.health.version;
        info.dependencies = readiness.health.dependencies;
        if (readiness.health.status === 'degraded') {
          result.warnings.push(`${name} reported itself degraded at start`);
        }
      }
      log.info(
        `ready after ${formatMs(readiness.readyAfterMs)}${info.version ? `, version ${info.version}` : ''}`,
      );
      return { role, name, process: running, info };
    } catch (error) {
      // Not ready: stop it here, since the caller never got hold of it.
      await running.stop();
      info.logTail = running.logTail();
      showOutput(log, name, running);
      throw error;
    }
  });
}

/** A fresh service log: setup's output, then the service's, each run. */
async function startLogFile(logFile: string): Promise<void> {
  await mkdir(path.dirname(logFile), { recursive: true });
  await writeFile(logFile, '');
}

/**
 * service.setup, to completion, before the service starts: its output opens the service log (redacted),
 * and a failure (exit 3) carries its last lines. It runs in the service's folder with the service's env.
 */
async function runServiceSetup(
  config: ServiceConfig,
  info: ServiceInfo,
  redact: (line: string) => string,
  { log, signal }: { log: Logger; signal?: AbortSignal },
): Promise<void> {
  const command = config.setup!;
  log.info(`setup: ${command}`);
  const out = createWriteStream(info.logFile!, { flags: 'a' });
  const startedMs = Date.now();
  try {
    await runSetupCommand({
      key: 'service.setup',
      command,
      cwd: config.cwd,
      env: { ...process.env, ...config.env },
      timeoutMs: config.setupTimeoutMs,
      signal,
      onLine: (line) => out.write(`${redact(line)}\n`),
    });
  } catch (error) {
    if (!(error instanceof GateError)) throw error;
    // Shown in the report as the service's last lines: the service itself never started.
    info.logTail = error.details.map(redact);
    log.output(`Output of service.setup (all of it in ${info.logFile})`, info.logTail);
    throw new GateError(error.kind, redact(error.message), info.logTail);
  } finally {
    await new Promise<void>((resolve) => out.end(resolve));
  }
  log.info(`setup done after ${formatMs(Date.now() - startedMs)}`);
}

async function checkPortFree(target: string, name: string): Promise<void> {
  const { host, port } = socketAddressOf(target);
  if ((await portOpen(host, port, PORT_CHECK_TIMEOUT_MS)) === true) {
    throw new GateError(
      'service',
      `port ${port} is in use before ${name} started: something already answers at ${new URL(target).origin} ` +
        `(a copy left running, or another service); stop it, or give ${name} another port`,
    );
  }
}

/** Stops each service in its own log group, keeps its log tail for the report and shows its output. */
export async function stopServices(started: readonly StartedService[], log: Logger): Promise<void> {
  for (const { name, process: running, info } of started) {
    await log.group(`Stop ${name}`, async () => {
      const outcome = await running.stop();
      const what = describeStop(outcome, running.exit());
      // A service that needs SIGKILL loses in-flight work at every deploy: worth a warning.
      if (outcome.how === 'kill' || outcome.how === 'stuck') log.warn(`${name} ${what}`);
      else log.info(what);
    });
    info.logTail = running.logTail();
    showOutput(log, name, running);
  }
}

function showOutput(log: Logger, name: string, running: RunningService): void {
  log.output(`Output of ${name} (the last lines; all of it in ${running.logFile})`, running.logTail(200));
}
