/** The service under test: teardown of the whole process tree, and what it costs under load. */
import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { readAllProcesses } from '../../src/service/process-group.js';
import { startService } from '../../src/service/service-process.js';
import { freePort, SERVERS_DIR } from '../helpers/servers.js';
import os from 'node:os';
import path from 'node:path';

/** This file's own folder for service logs: the gate writes service.log there, which a shared folder would mix up. */
const workDir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-lifecycle-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
const logFile = () => path.join(workDir, `service-${Math.random()}.log`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const alive = (pids: number[]) => {
  const live = new Set((readAllProcesses() ?? []).filter((p) => p.state !== 'Z').map((p) => p.pid));
  return pids.filter((pid) => live.has(pid));
};
const groupMembers = (pgid: number) =>
  (readAllProcesses() ?? []).filter((p) => p.pgrp === pgid && p.state !== 'Z').map((p) => p.pid);

describe('service teardown', () => {
  it('stops a shell wrapper with background children and grandchildren, and stopping twice is safe', async () => {
    const port = await freePort();
    const service = startService(
      {
        command: `sleep 300 & (sleep 301 & sleep 302; wait) & node ${SERVERS_DIR}/service.mjs`,
        cwd: os.tmpdir(),
        env: { PORT: String(port) },
        ready: { url: '', timeoutMs: 1000, intervalMs: 100 },
        stopTimeoutMs: 2000,
        setupTimeoutMs: 1000,
      },
      logFile(),
    );
    await sleep(500);
    const members = groupMembers(service.pid);
    // sh, sleep 300, the subshell, sleep 301, sleep 302, node.
    expect(members.length).toBeGreaterThanOrEqual(5);
    await Promise.all([service.stop(), service.stop()]);
    await service.stop();
    expect(alive(members)).toEqual([]);
  });

  it('kills what ignores SIGTERM once stop-timeout has passed', async () => {
    const service = startService(
      {
        command: `trap '' TERM; sleep 300 & sleep 301; wait`,
        cwd: os.tmpdir(),
        env: {},
        ready: { url: '', timeoutMs: 1000, intervalMs: 100 },
        stopTimeoutMs: 500,
        setupTimeoutMs: 1000,
      },
      logFile(),
    );
    await sleep(300);
    const members = groupMembers(service.pid);
    expect(members.length).toBeGreaterThanOrEqual(2);
    const started = Date.now();
    await service.stop();
    const tookMs = Date.now() - started;
    expect(tookMs).toBeGreaterThanOrEqual(450);
    expect(tookMs).toBeLessThan(3000);
    expect(alive(members)).toEqual([]);
  });
});

describe('resource SLOs', () => {
  const leakConfig = (port: number, leakKb: number) => `
target: http://127.0.0.1:${port}
service:
  command: node ${SERVERS_DIR}/leaky.mjs
  env: { PORT: "${port}", LEAK_KB: "${leakKb}" }
load: { duration: 2s, warmup: 500ms, connections: 4, rate: 300 }
endpoints:
  - path: /work
    slo: { max-rss-growth: 50MB, max-rss: 1GB, max-cpu-per-request: 20ms }
`;

  it('fails a service leaking 256 KiB per request on max-rss-growth, and passes the same service without the leak', async () => {
    const leaking = await runGate(parseConfig(leakConfig(await freePort(), 256), 'leak.yml', {}), {
      log: new MemoryLogger(),
      workDir,
    });
    const steady = await runGate(parseConfig(leakConfig(await freePort(), 0), 'steady.yml', {}), {
      log: new MemoryLogger(),
      workDir,
    });

    const leak = leaking.endpoints[0]!;
    expect(leaking.verdict).toBe('breached');
    expect(leak.checks.find((c) => c.metric === 'max-rss-growth')).toMatchObject({ passed: false });
    // 300 req/s × 2 s × 256 KiB ≈ 157 MB kept.
    expect(leak.resources!.rssGrowthBytes).toBeGreaterThan(100e6);
    expect(leak.resources!.rssPeakBytes).toBeGreaterThanOrEqual(leak.resources!.rssEndBytes);

    const calm = steady.endpoints[0]!;
    expect(steady.verdict).toBe('passed');
    expect(calm.resources!.rssGrowthBytes).toBeLessThan(50e6);
    expect(calm.resources!.cpuSeconds).toBeGreaterThan(0);
    expect(calm.resources!.cpuMsPerRequest).toBeGreaterThan(0);
    expect(calm.resources!.cpuMsPerRequest).toBeLessThan(20);
    expect(calm.checks.map((c) => c.metric)).toEqual([
      'error-rate',
      'max-rss',
      'max-rss-growth',
      'max-cpu-per-request',
    ]);
  });
});

describe('readiness without an HTTP health check', () => {
  const gate = async (ready: string) => {
    const port = await freePort();
    const config = parseConfig(
      `target: http://127.0.0.1:${port}
service:
  command: node ${SERVERS_DIR}/service.mjs
  env: { PORT: "${port}", HEALTH: "down" }
  ready: ${ready.replace('__PORT__', String(port))}
load: { duration: 300ms, warmup: 0s, connections: 2 }
endpoints: [{ path: /work }]
`,
      'ready.yml',
      {},
    );
    return runGate(config, { log: new MemoryLogger(), workDir });
  };

  it('is ready on a log line, whatever /health says', async () => {
    const result = await gate('{ log: "service listening on", timeout: 5s }');
    expect(result.verdict).toBe('passed');
  });

  it('is ready on an open TCP port', async () => {
    const result = await gate('{ tcp: __PORT__, timeout: 5s }');
    expect(result.verdict).toBe('passed');
  });

  it('names the log line it never saw', async () => {
    const result = await gate('{ log: "database connected", timeout: 700ms }');
    expect(result.verdict).toBe('failed');
    expect(result.reason).toBe(
      'the service was not ready after 700 ms: no output line contained "database connected"',
    );
    expect(result.service!.logTail).toEqual([expect.stringContaining('service listening on')]);
  });
});

describe('what stopping did, in the log', () => {
  /** Runs the gate on service.mjs under `sh -c` with a 500 ms stop timeout; returns its log lines. */
  const stopLog = async (command: string, env: string) => {
    const port = await freePort();
    const config = parseConfig(
      `target: http://127.0.0.1:${port}
service:
  command: ${command.replace('SERVICE', `${SERVERS_DIR}/service.mjs`)}
  env: { PORT: "${port}"${env} }
  stop-timeout: 500ms
load: { duration: 300ms, warmup: 0s, connections: 2 }
endpoints: [{ path: /work }]
`,
      'stop.yml',
      {},
    );
    const log = new MemoryLogger();
    const result = await runGate(config, { log, workDir });
    expect(result.verdict).toBe('passed');
    const stop = log.lines.indexOf('## Stop the service');
    expect(stop).toBeGreaterThan(0);
    // The lines of the stop group, up to the service's output.
    const output = log.lines.findIndex((line, i) => i > stop && line.startsWith('## Output of the service'));
    return log.lines.slice(stop + 1, output);
  };

  it('names SIGKILL when the service ignored SIGTERM, not the signal that ended the shell', async () => {
    // `; true` keeps sh from exec-ing node: the shell dies of SIGTERM, node needs SIGKILL.
    const lines = await stopLog('node SERVICE; true', ', IGNORE_SIGTERM: "1"');
    expect(lines).toEqual([
      'warning: the service did not stop within 500 ms of SIGTERM; killed with SIGKILL',
    ]);
  });

  it('says SIGTERM stopped a service that honours it', async () => {
    const lines = await stopLog('node SERVICE; true', '');
    expect(lines).toEqual(['stopped by SIGTERM']);
  });
});

describe('a health URL the service does not have', () => {
  it('warns after 3 404s in a row, and the timeout names the 404 and the keys to set', async () => {
    const port = await freePort();
    // service.mjs answers 404 to any path but /health and /work.
    const config = parseConfig(
      `target: http://127.0.0.1:${port}
service:
  command: node ${SERVERS_DIR}/service.mjs
  env: { PORT: "${port}" }
  ready: { url: /healthz, timeout: 1500ms, interval: 100ms }
endpoints: [{ path: /work }]
`,
      'not-found.yml',
      {},
    );
    const log = new MemoryLogger();
    const result = await runGate(config, { log, workDir });
    const url = `http://127.0.0.1:${port}/healthz`;
    const keys =
      'set service.ready.url to the path of its health check, or wait on service.ready.tcp or service.ready.log instead';
    expect(result.verdict).toBe('failed');
    const times = /answered 404 Not Found (\d+) times;/.exec(result.reason ?? '')?.[1];
    // Every 100 ms for 1.5 s: well over 3, all of them 404.
    expect(Number(times)).toBeGreaterThanOrEqual(5);
    expect(result.reason).toBe(
      `the service was not ready after 1.50 s: GET ${url} answered 404 Not Found ${times} times; ${keys}`,
    );
    // One warning, as soon as the third 404 came in, not one per probe.
    expect(log.lines.filter((line) => line.startsWith('warning:'))).toEqual([
      `warning: the service has no route GET ${url}: it answered 404 Not Found 3 times in a row; ${keys}`,
    ]);
  });
});
