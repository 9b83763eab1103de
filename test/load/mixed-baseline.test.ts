/**
 * A mixed load against a baseline: the mix runs in the alternating rounds, and each endpoint is compared with
 * its own base figures. Two real services; only /work is slower on the head.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { freePort, SERVERS_DIR } from '../helpers/servers.js';

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-mixed-baseline-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

describe('a mixed load with a baseline', () => {
  it('runs the mix in rounds and compares each endpoint on its own', async () => {
    const [head, base] = [await freePort(), await freePort()];
    const service = (port: number, delayMs: number) =>
      `{ command: "node ${SERVERS_DIR}/service.mjs", env: { PORT: "${port}", DELAY_MS: "${delayMs}" }, stop-timeout: 2s }`;
    const config = parseConfig(
      `target: http://127.0.0.1:${head}
service: ${service(head, 20)}
baseline:
  target: http://127.0.0.1:${base}
  service: ${service(base, 5)}
  rounds: 4
  round-duration: 500ms
load: { mode: mixed, rate: 80, connections: 8, warmup: 200ms }
endpoints:
  - { name: work, path: /work, weight: 3 }
  - { name: health, path: /health, weight: 1 }
`,
      'mixed-baseline.yml',
      {},
    );
    const result = await runGate(config, { log: new MemoryLogger(), workDir: tempDir });
    const [work, health] = result.endpoints;
    // 4 head rounds of 500 ms at 80 req/s: 160 slots, 3:1 exactly.
    expect([work!.requests, health!.requests]).toEqual([120, 40]);
    expect(result.mix!.requests).toBe(160);
    expect(work!.baseline).toMatchObject({ rounds: 4, verdict: 'regressed', requests: 120 });
    expect(health!.baseline).toMatchObject({ rounds: 4, requests: 40 });
    expect(health!.baseline!.verdict).not.toBe('regressed');
    expect(work!.baseline!.p95!.headMs).toBeGreaterThan(work!.baseline!.p95!.baseMs + 10);
  }, 40_000);
});
