/**
 * service.setup: a command run to completion before the service starts (seed, migrate, restore a fixture).
 * Real runs of the gate against a service whose data a POST endpoint grows, as json-server's does.
 */
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { freePort, SERVERS_DIR } from '../helpers/servers.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-setup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SEED = JSON.stringify([{ id: 1 }, { id: 2 }, { id: 3 }]);

async function gateWith(setupLines: string, extra = '') {
  const port = await freePort();
  const config = parseConfig(
    `
target: http://127.0.0.1:${port}
service:
  command: node ${SERVERS_DIR}/records.mjs
  cwd: ${dir}
  env: { PORT: '${port}', DATA_FILE: db.json }
${setupLines}
  ready: { timeout: 10s }
load: { duration: 500ms, warmup: 0s, connections: 2 }
endpoints:
  - { name: add record, method: POST, path: /records, expect-status: 201 }
${extra}`,
    path.join(dir, 'slo-gate.yml'),
    {},
  );
  const log = new MemoryLogger();
  const workDir = mkdtempSync(path.join(dir, 'work-'));
  const result = await runGate(config, { log, workDir });
  const serviceLog = readFileSync(path.join(workDir, 'service.log'), 'utf8');
  return { result, log, serviceLog };
}

/** Live processes whose command line contains `text`. */
const processesWith = (text: string) =>
  readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
      } catch {
        return false; // gone meanwhile
      }
    });

const loadedCount = (serviceLog: string) => Number(/loaded (\d+) records/.exec(serviceLog)?.[1]);

describe('service.setup', () => {
  it('runs before every start, so a run that writes does not change what the next one reads', async () => {
    writeFileSync(path.join(dir, 'seed.json'), SEED);
    copyFileSync(path.join(dir, 'seed.json'), path.join(dir, 'db.json'));
    // Without setup the data grows from run to run: the behaviour the setup exists to undo.
    const first = await gateWith('');
    const second = await gateWith('');
    expect(first.result.endpoints[0]!.successes).toBeGreaterThan(0);
    expect(loadedCount(first.serviceLog)).toBe(3);
    expect(loadedCount(second.serviceLog)).toBe(3 + first.result.endpoints[0]!.successes);

    const setup = `  setup: cp seed.json db.json && echo "restored $(wc -c < db.json) bytes"`;
    const seeded = [await gateWith(setup), await gateWith(setup)];
    for (const { result, serviceLog, log } of seeded) {
      expect(result.verdict, result.reason).toBe('passed');
      expect(result.endpoints[0]!.successes).toBeGreaterThan(0);
      expect(loadedCount(serviceLog)).toBe(3);
      // Its output opens the service log, before the service's own.
      expect(serviceLog.indexOf('restored')).toBeGreaterThanOrEqual(0);
      expect(serviceLog.indexOf('restored')).toBeLessThan(serviceLog.indexOf('loaded'));
      expect(log.lines.some((line) => line.includes('setup: cp seed.json db.json'))).toBe(true);
    }
  });

  it('fails the gate with its output when it fails, and the service never starts', async () => {
    const { result, serviceLog } = await gateWith(
      `  setup: echo "migrating"; echo "relation items does not exist" >&2; exit 3`,
    );
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(/^service\.setup ".*" exited with code 3$/);
    expect(result.service?.logTail).toEqual(['migrating', 'relation items does not exist']);
    expect(serviceLog).not.toContain('loaded');
    expect(result.endpoints).toEqual([]);
  });

  it('is stopped, with everything it started, after setup-timeout', async () => {
    const marker = `slo-gate-setup-${process.pid}-${Date.now()}`;
    expect(processesWith(marker)).toEqual([]);
    const startedMs = Date.now();
    const { result } = await gateWith(
      `  setup: sh -c 'sleep 30; echo ${marker}' & sleep 31\n  setup-timeout: 500ms`,
    );
    expect(Date.now() - startedMs).toBeLessThan(5000);
    expect(result.verdict).toBe('failed');
    expect(result.reason).toMatch(/^service\.setup ".*" did not finish within 500 ms$/);
    expect(processesWith(marker)).toEqual([]);
  });
});
