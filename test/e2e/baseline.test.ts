/** Head against base: two real services, alternating rounds, and a base checked out from git. */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runGate } from '../../src/gate.js';
import { MemoryLogger } from '../../src/log.js';
import { runFromConfigFile } from '../../src/run.js';
import { baselinePairConfig } from '../helpers/baseline-pair.js';
import { freePort, SERVERS_DIR } from '../helpers/servers.js';

/** This file's own folder for the gate's service logs and the git repo, removed afterwards. */
const tempDir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-baseline-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

async function compare(baseDelayMs: number, headDelayMs: number) {
  const config = await baselinePairConfig({
    baseDelayMs,
    headDelayMs,
    baselineKeys: ['rounds: 6', 'round-duration: 500ms', 'max-regression: 10%'],
    load: '{ warmup: 200ms, connections: 4 }',
    source: 'baseline.yml',
  });
  return runGate(config, { log: new MemoryLogger(), workDir: tempDir });
}

describe('baseline comparison', () => {
  // 50% slower, not 30%: a regression is flagged when the whole interval is over the 10% budget (#12), and six
  // 500 ms rounds of a 30% slower head left the low end under 10% about one run in ten on a 2-core machine
  // (lows +7…+25%); at 50% the lows were +38…+46%. bench/regression.ts measures 30% at the default rounds.
  it('flags a head 50% slower than its base', async () => {
    const result = await compare(10, 15);
    const endpoint = result.endpoints[0]!;
    expect(endpoint.baseline).toMatchObject({ rounds: 6, verdict: 'regressed', maxRegression: 0.1 });
    const p95 = endpoint.baseline!.p95!;
    expect(p95.change.change).toBeGreaterThan(0.15);
    expect(p95.change.low).toBeGreaterThan(0);
    expect(p95.headMs).toBeGreaterThan(p95.baseMs);
    expect(endpoint.checks.find((c) => c.metric === 'max-regression')).toMatchObject({
      passed: false,
      limit: 0.1,
    });
    expect(result.verdict).toBe('breached');
    expect(result.baselineService?.logFile).toMatch(/base-service\.log$/);
  });

  it('finds no regression between two copies of the same service', async () => {
    const result = await compare(10, 10);
    const endpoint = result.endpoints[0]!;
    // What within-noise was before the verdict had three values (#12): no regression and no improvement
    // shown. A quiet machine gives within-budget; a loaded one an interval wide enough to straddle 10%.
    expect(['within-budget', 'inconclusive']).toContain(endpoint.baseline!.verdict);
    expect(Math.abs(endpoint.baseline!.p95!.change.change)).toBeLessThan(0.1);
    expect(result.verdict).toBe('passed');
  });

  it('checks the base out of git into a worktree, sets it up and starts it with the head settings', async () => {
    const repo = mkdtempSync(path.join(tempDir, 'repo-'));
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: repo,
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@t',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@t',
        },
      })
        .toString()
        .trim();
    const [head, base] = [await freePort(), await freePort()];
    git('init', '-q');
    copyFileSync(path.join(SERVERS_DIR, 'service.mjs'), path.join(repo, 'service.mjs'));
    // The base answers in 10 ms; the head's change makes it 15 ms (50%: see the first test).
    writeFileSync(path.join(repo, 'delay.txt'), '10');
    git('add', '.');
    git('commit', '-qm', 'base');
    const baseSha = git('rev-parse', 'HEAD');
    writeFileSync(path.join(repo, 'delay.txt'), '15');
    git('commit', '-qam', 'slower');
    writeFileSync(
      path.join(repo, 'slo-gate.yml'),
      `target: http://127.0.0.1:${head}
service:
  command: DELAY_MS=$(cat delay.txt) node service.mjs
  env: { PORT: "${head}" }
  stop-timeout: 2s
baseline:
  target: http://127.0.0.1:${base}
  ref: ${baseSha}
  setup: test -f service.mjs && echo set up > setup.log
  env: { PORT: "${base}" }
  rounds: 4
  round-duration: 500ms
load: { warmup: 200ms, connections: 4 }
endpoints: [{ path: /work }]
`,
    );
    const outcome = await runFromConfigFile({
      configPath: path.join(repo, 'slo-gate.yml'),
      env: {},
      log: new MemoryLogger(),
    });
    expect(outcome.result.endpoints[0]!.baseline).toMatchObject({ verdict: 'regressed' });
    expect(outcome.exitCode).toBe(1);
    // The worktree is gone afterwards.
    expect(git('worktree', 'list').split('\n')).toHaveLength(1);
  });
});
