/** The CLI adapter in-process, from src/: argument parsing and the commands that boot nothing. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main, parseCliArgs } from '../src/cli.js';

const packageVersion = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

describe('parseCliArgs', () => {
  it.each([
    ['nothing', [], 'missing'],
    ['only an option', ['-q'], 'missing'],
    ['--version', ['--version'], 'version'],
    ['-V', ['-V'], 'version'],
    ['--help', ['--help'], 'help'],
    ['--help beside a command', ['run', '-h'], 'help'],
    ['the help command', ['help'], 'help'],
    ['run', ['run', '-c', 'x.yml'], 'run'],
  ])('%s → %s', (_name, argv, command) => {
    expect(parseCliArgs(argv).command).toBe(command);
  });

  it.each([[['version']], [['bogus']], [['run', 'extra']], [['--bogus']]])('rejects %j', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(/see slo-gate --help/);
  });
});

describe('main', () => {
  const written = { stdout: '', stderr: '' };
  const capture = () => {
    written.stdout = '';
    written.stderr = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.stderr += String(chunk);
      return true;
    });
  };
  afterEach(() => vi.restoreAllMocks());

  it('with no command prints the usage to stderr and exits 2', async () => {
    capture();
    const code = await main([]);
    expect(code).toBe(2);
    expect(written.stdout).toBe('');
    expect(written.stderr).toMatch(/^slo-gate: no command given\n\nUsage: slo-gate <command>/);
  });

  it.each([['--version'], ['-V']])('%s prints the version in package.json and exits 0', async (flag) => {
    capture();
    const code = await main([flag]);
    expect(code).toBe(0);
    expect(written.stdout).toBe(`${packageVersion}\n`);
    expect(written.stderr).toBe('');
  });

  it('--help prints the usage to stdout and exits 0', async () => {
    capture();
    expect(await main(['--help'])).toBe(0);
    expect(written.stdout).toMatch(/^Usage: slo-gate <command>/);
    expect(written.stdout).toContain('-V, --version');
  });

  it('init with nothing recognised writes the templates, warns on stderr what to edit, and exits 0', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-cli-init-'));
    capture();
    vi.spyOn(process, 'cwd').mockReturnValue(dir);
    expect(await main(['init'])).toBe(0);
    expect(existsSync(path.join(dir, 'slo-gate.yml'))).toBe(true);
    expect(existsSync(path.join(dir, '.github/workflows/slo-gate.yml'))).toBe(true);
    expect(written.stderr).toMatch(
      /^warning: nothing recognised \(no Procfile, .*\): slo-gate\.yml is a template/,
    );
    expect(written.stdout).toContain('Nothing was recognised: edit service.command');
    expect(written.stdout).not.toContain('a guess from');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('parseCliArgs: merge (issue #12)', () => {
  it('takes the reports to merge, files and folders', () => {
    expect(parseCliArgs(['merge', 'reports/', 'extra.json', '--report', 'm.json'])).toMatchObject({
      command: 'merge',
      inputs: ['reports/', 'extra.json'],
      reportPath: 'm.json',
    });
  });

  it('refuses a merge of nothing', () => {
    expect(() => parseCliArgs(['merge'])).toThrow(
      'merge needs the shard reports: slo-gate merge DIR_OR_FILE…',
    );
  });
});
