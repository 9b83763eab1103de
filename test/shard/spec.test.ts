/** `--shard I/N|auto` and the Action's `shard` input: every accepted form, and one line for each bad one. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { readSettings } from '../../src/action/inputs.js';
import { main, parseCliArgs } from '../../src/cli.js';
import { GateError } from '../../src/errors.js';
import { parseShard, shardReportPath } from '../../src/shard/spec.js';

/** The usage error `body` throws: a GateError of kind usage, on one line. */
function usageErrorOf(body: () => unknown): string {
  try {
    body();
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    expect((error as GateError).kind).toBe('usage');
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('no usage error');
}

describe('parseShard: I/N', () => {
  it.each([
    ['1/1', 1, 1],
    ['1/4', 1, 4],
    ['4/4', 4, 4],
    [' 2 / 3 ', 2, 3],
    ['16/16', 16, 16],
  ])('%j is shard %i of %i', (text, index, total) => {
    expect(parseShard(text, {})).toEqual({ index, total });
  });

  it.each([
    ['0/4', /--shard "0\/4": shard 0 is not one of 1…4/],
    ['5/4', /--shard "5\/4": shard 5 is not one of 1…4/],
    ['1/0', /--shard "1\/0": the shard count must be 1 to 1000/],
    ['1/1001', /the shard count must be 1 to 1000/],
    ['', /--shard "": expected I\/N with 1 ≤ I ≤ N \(such as 2\/4\), or auto/],
    ['2', /expected I\/N/],
    ['a/b', /expected I\/N/],
    ['-1/4', /expected I\/N/],
    ['1.5/4', /expected I\/N/],
    ['1/4/2', /expected I\/N/],
    ['Auto', /expected I\/N/],
  ])('rejects %j', (text, message) => {
    expect(usageErrorOf(() => parseShard(text, {}))).toMatch(message);
  });

  it('names the Action input when asked to', () => {
    expect(usageErrorOf(() => parseShard('3/2', {}, "input 'shard'"))).toBe(
      `input 'shard' "3/2": shard 3 is not one of 1…2`,
    );
  });

  it('reads no CI variable unless told auto', () => {
    const env = { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '5', JOB_COMPLETION_INDEX: '0' };
    expect(parseShard('1/2', env)).toEqual({ index: 1, total: 2 });
  });
});

describe('parseShard: auto', () => {
  it.each([
    ['GitLab parallel (1-based)', { CI_NODE_INDEX: '2', CI_NODE_TOTAL: '4' }, 2, 4],
    [
      'Buildkite parallelism (0-based)',
      { BUILDKITE_PARALLEL_JOB: '0', BUILDKITE_PARALLEL_JOB_COUNT: '3' },
      1,
      3,
    ],
    ['Kubernetes Indexed Job (0-based)', { JOB_COMPLETION_INDEX: '3', SLO_GATE_SHARD_TOTAL: '4' }, 4, 4],
    [
      'GitLab first when several are set',
      { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2', JOB_COMPLETION_INDEX: '1', SLO_GATE_SHARD_TOTAL: '2' },
      1,
      2,
    ],
  ])('%s', (_name, env, index, total) => {
    expect(parseShard('auto', env)).toEqual({ index, total });
  });

  it.each([
    [
      'GitLab without its total',
      { CI_NODE_INDEX: '1' },
      '--shard auto: CI_NODE_INDEX is set but CI_NODE_TOTAL is not (the shard count)',
    ],
    [
      'nothing set',
      {},
      '--shard auto: none of CI_NODE_INDEX, BUILDKITE_PARALLEL_JOB, JOB_COMPLETION_INDEX is set; give the shard as I/N instead',
    ],
    [
      'an Indexed Job without its total',
      { JOB_COMPLETION_INDEX: '0' },
      "--shard auto: JOB_COMPLETION_INDEX is set but SLO_GATE_SHARD_TOTAL is not (the shard count, the Job's completions)",
    ],
    [
      'a 0-based index past the total',
      { JOB_COMPLETION_INDEX: '4', SLO_GATE_SHARD_TOTAL: '4' },
      '--shard auto (JOB_COMPLETION_INDEX=4, SLO_GATE_SHARD_TOTAL=4): shard 5 is not one of 1…4',
    ],
    [
      'GitLab index 0 (it counts from 1)',
      { CI_NODE_INDEX: '0', CI_NODE_TOTAL: '2' },
      '--shard auto (CI_NODE_INDEX=0, CI_NODE_TOTAL=2): shard 0 is not one of 1…2',
    ],
    [
      'a total that is not a number',
      { CI_NODE_INDEX: '1', CI_NODE_TOTAL: 'four' },
      '--shard auto (CI_NODE_INDEX=1, CI_NODE_TOTAL=four): expected whole numbers (CI_NODE_INDEX counts from 1)',
    ],
  ])('rejects %s', (_name, env, message) => {
    expect(usageErrorOf(() => parseShard('auto', env))).toBe(message);
  });
});

describe('the shard report path', () => {
  it('is a distinct file per shard (and gate id) in .slo-gate beside the config', () => {
    expect(shardReportPath('/repo/api/slo-gate.yml', { index: 2, total: 4 })).toBe(
      '/repo/api/.slo-gate/report-shard-2-of-4.json',
    );
    expect(shardReportPath('/repo/slo-gate.yml', { index: 1, total: 3 }, 'web')).toBe(
      '/repo/.slo-gate/report-web-shard-1-of-3.json',
    );
  });
});

describe('slo-gate run --shard', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parses the flag, and auto from the environment it is given', () => {
    expect(parseCliArgs(['run', '--shard', '2/3']).shard).toEqual({ index: 2, total: 3 });
    expect(
      parseCliArgs(['run', '--shard', 'auto'], { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' }).shard,
    ).toEqual({ index: 3, total: 3 });
    expect(parseCliArgs(['run'], { CI_NODE_INDEX: '3', CI_NODE_TOTAL: '3' }).shard).toBeUndefined();
  });

  it('is for run only', () => {
    expect(usageErrorOf(() => parseCliArgs(['validate', '--shard', '1/2']))).toBe(
      '--shard is for slo-gate run, not validate',
    );
  });

  it.each([
    [['run', '--shard', '5/4', '-c', 'none.yml'], 'slo-gate: --shard "5/4": shard 5 is not one of 1…4\n'],
    [
      ['run', '-c', 'none.yml', '--shard'],
      /^slo-gate: Option '--shard <value>' argument missing; see slo-gate --help\n$/,
    ],
  ])('%j exits 2 with one line on stderr, before reading any config', async (argv, line) => {
    let stderr = '';
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    expect(await main(argv)).toBe(2);
    if (typeof line === 'string') expect(stderr).toBe(line);
    else expect(stderr).toMatch(line);
  });
});

describe("the Action's shard input", () => {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-shard-input-'));
  afterAll(() => rmSync(workspace, { recursive: true, force: true }));
  const env = (inputs: Record<string, string>, extra: Record<string, string> = {}) => ({
    INPUT_CONFIG: 'slo-gate.yml',
    INPUT_ID: inputs.id ?? '',
    INPUT_SHARD: inputs.shard ?? '',
    ...extra,
  });

  it('is off when empty, even under a CI system that shards', () => {
    const settings = readSettings(env({}, { CI_NODE_INDEX: '1', CI_NODE_TOTAL: '2' }), workspace);
    expect(settings.shard).toBeUndefined();
    expect(settings.reportPath).toBe(path.join(workspace, '.slo-gate', 'report.json'));
  });

  it('reads I/N or auto, and names a report and markdown file per shard (and id)', () => {
    const matrix = readSettings(env({ shard: '2/4', id: 'api' }), workspace);
    expect(matrix.shard).toEqual({ index: 2, total: 4 });
    expect(matrix.reportPath).toBe(path.join(workspace, '.slo-gate', 'report-api-shard-2-of-4.json'));
    expect(matrix.markdownPath).toBe(path.join(workspace, '.slo-gate', 'report-api-shard-2-of-4.md'));
    const indexed = readSettings(
      env({ shard: 'auto' }, { JOB_COMPLETION_INDEX: '0', SLO_GATE_SHARD_TOTAL: '3' }),
      workspace,
    );
    expect(indexed.shard).toEqual({ index: 1, total: 3 });
  });

  it('rejects a bad value in one line naming the input', () => {
    expect(usageErrorOf(() => readSettings(env({ shard: '1-of-4' }), workspace))).toBe(
      `input 'shard' "1-of-4": expected I/N with 1 ≤ I ≤ N (such as 2/4), or auto`,
    );
  });
});
