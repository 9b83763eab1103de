/**
 * The npm package as a user gets it: `npm pack`, then `npm install ./slo-gate-*.tgz` into an empty project
 * offline with an empty cache (so it must need no dependency and run no install script), then `npx slo-gate`
 * init, validate and run there, against a small Node service. Only the tarball's files exist in that project:
 * a bin that reached for src/ or tsx, or a file missing from `files`, fails here.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/servers.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** What runs, and what the registry shows: nothing else belongs in the tarball. */
const PACKED_FILES = [
  'LICENSE',
  'README.md',
  'bin/slo-gate.js',
  'dist/cli.js',
  'dist/cli.js.LEGAL.txt',
  'package.json',
  'slo-gate.schema.json',
];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

/** One entry of `npm pack --json`. */
interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's environment: without the npm_* variables `npm test` sets (they are npm config to a nested
 * npm), offline and with its own empty cache so that nothing but the tarball can satisfy a dependency, and
 * npx never fetching a package that is not installed.
 */
function childEnv(cacheDir: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));
  return {
    ...env,
    npm_config_cache: cacheDir,
    npm_config_update_notifier: 'false',
    npm_config_yes: 'false',
    npm_config_offline: 'true',
  };
}

function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env, timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      resolve({ code: typeof code === 'number' ? code : null, stdout, stderr });
    });
  });
}

describe('the packed package, installed into an empty project', () => {
  let tmp: string;
  let app: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let packed: PackResult;
  let install: Exit;

  /** `npx slo-gate …` as a user types it; npm_config_yes=false (in env) keeps it to the project's own bin. */
  const npx = (...args: string[]) => exec('npx', ['slo-gate', ...args], app, env);

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-packed-'));
    env = childEnv(path.join(tmp, 'npm-cache'));
    // --ignore-scripts: pack the files as committed (the release workflow checks that dist/ is fresh).
    const pack = await exec(
      'npm',
      ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp],
      ROOT,
      env,
    );
    expect(pack.code, pack.stderr).toBe(0);
    const results = JSON.parse(pack.stdout) as PackResult[];
    expect(results).toHaveLength(1);
    packed = results[0] as PackResult;
    const tarball = path.join(tmp, packed.filename);

    app = path.join(tmp, 'app');
    await mkdir(app);
    port = await freePort();
    // A service `init` can read: its start script names the port.
    await writeFile(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', private: true, scripts: { start: `node server.mjs --port ${port}` } }),
    );
    await writeFile(
      path.join(app, 'server.mjs'),
      `import http from 'node:http';
const port = Number(process.argv[process.argv.indexOf('--port') + 1]);
http.createServer((req, res) => {
  res.writeHead(req.url === '/health' ? 200 : 404, { 'content-type': 'application/json' });
  res.end('{"status":"ok"}');
}).listen(port, '127.0.0.1');
`,
    );
    install = await exec('npm', ['install', tarball, '--offline', '--no-audit', '--no-fund'], app, env);
  });

  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('packs only what runs, with no dependency and no install script', async () => {
    expect(packed.files.map((file) => file.path).sort()).toEqual(PACKED_FILES);
    // The manifest as installed, which is the one packed.
    const manifest = JSON.parse(
      await readFile(path.join(app, 'node_modules', 'slo-gate', 'package.json'), 'utf8'),
    );
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.scripts ?? {}).filter((name) => INSTALL_SCRIPTS.includes(name))).toEqual([]);
    expect(manifest.private).toBeUndefined();
    expect(manifest.bin).toEqual({ 'slo-gate': 'bin/slo-gate.js' });
  });

  it('installs offline with an empty cache, bringing nothing but itself', async () => {
    expect(install.code, install.stderr).toBe(0);
    expect((await readdir(path.join(app, 'node_modules'))).sort()).toEqual([
      '.bin',
      '.package-lock.json',
      'slo-gate',
    ]);
  });

  it('prints its usage from the installed bin', async () => {
    const help = await npx('--help');
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toContain('Usage: slo-gate <command>');
  });

  it('inits, validates and runs the gate in the project', async () => {
    const init = await npx('init');
    expect(init.code, init.stderr).toBe(0);
    const config = await readFile(path.join(app, 'slo-gate.yml'), 'utf8');
    expect(config).toContain(`target: http://127.0.0.1:${port}`);
    expect(config).toContain('command: "npm start"');
    await readFile(path.join(app, '.github', 'workflows', 'slo-gate.yml'), 'utf8');

    const validate = await npx('validate');
    expect(validate.code, validate.stderr).toBe(0);

    // The starter's 10 s window and 2 s warmup, cut short for a test.
    const short = config.replace(/duration: 10s/, 'duration: 1s').replace(/warmup: 2s/, 'warmup: 0s');
    expect(short).not.toBe(config);
    await writeFile(path.join(app, 'slo-gate.yml'), short);
    const run = await npx('run', '--report', 'report.json');
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    const report = JSON.parse(await readFile(path.join(app, 'report.json'), 'utf8'));
    expect(report.passed).toBe(true);
    expect(report.endpoints).toHaveLength(1);
    expect(report.endpoints[0].path).toBe('/health');
    expect(report.endpoints[0].requests).toBeGreaterThan(0);
  });
});
