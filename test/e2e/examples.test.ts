/**
 * Every example under examples/ as a user runs it: the real CLI (bin/slo-gate.js) boots the example's
 * service from its slo-gate.yml, loads each endpoint, and must pass with a report that shows it measured.
 * Examples are found by their slo-gate.yml, so a new one is run as soon as it has one; STACKS says what a
 * stack needs from the machine. Outside CI a stack whose runtime is missing is skipped; in CI, never.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { inCi, onPath, pythonWith } from '../helpers/runtimes.js';
import { EXAMPLE_ENV } from '../helpers/example-env.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const EXAMPLES = path.join(ROOT, 'examples');
const BIN = path.join(ROOT, 'bin/slo-gate.js');
const run = promisify(execFile);

/** What one stack needs from the machine. */
interface Stack {
  /** The Debian packages it needs, when something is missing here; undefined when it can run. */
  missing(): string | undefined;
  /**
   * Builds what service.command runs (in a user's workflow, a step before the gate) and returns the
   * environment the CLI runs with.
   */
  prepare?(): Promise<Record<string, string>>;
}

const STACKS: Record<string, Stack> = {
  // Node, which runs this test.
  demo: { missing: () => undefined },
  'python-flask': { missing: () => (onPath('gunicorn') ? undefined : 'gunicorn python3-flask') },
  'python-uvicorn': {
    missing: () => (pythonWith('uvicorn') ? undefined : 'python3-uvicorn'),
    // Its command runs ${PYTHON:-python3}: the Python that has uvicorn.
    prepare: async () => ({ PYTHON: pythonWith('uvicorn') ?? 'python3' }),
  },
  // Node; its config reads the login's password from the environment, as a real one would.
  'node-api': { missing: () => undefined, prepare: async () => EXAMPLE_ENV },
  'python-redis': {
    missing: () => {
      const absent = [
        onPath('redis-server') ? '' : 'redis-server',
        onPath('gunicorn') ? '' : 'gunicorn python3-flask',
        pythonWith('redis') ? '' : 'python3-redis',
      ];
      return absent.filter(Boolean).join(' ') || undefined;
    },
    // seed.py runs under ${PYTHON:-python3}: the Python that has the redis package.
    prepare: async () => ({ PYTHON: pythonWith('redis') ?? 'python3' }),
  },
  'compiled-c': {
    missing: () => (onPath('cc') ? undefined : 'gcc'),
    // The flags of its Makefile, and -Werror: an example must compile cleanly. The binary is gitignored.
    prepare: async () => {
      const dir = path.join(EXAMPLES, 'compiled-c');
      await run('cc', ['-O2', '-Wall', '-Wextra', '-Werror', '-pthread', '-o', 'server', 'server.c'], {
        cwd: dir,
      });
      return {};
    },
  },
};

/** The folders under examples/ with a slo-gate.yml. */
const examples = readdirSync(EXAMPLES, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(path.join(EXAMPLES, entry.name, 'slo-gate.yml')))
  .map((entry) => entry.name)
  .sort();

/** The parts of the JSON report this test reads. */
interface Report {
  passed: boolean;
  service?: { version?: string };
  endpoints: {
    name: string;
    passed: boolean;
    requests: number;
    latencyMs: { p50: number; p95: number } | null;
  }[];
}

let reportDir = '';
beforeAll(async () => {
  reportDir = await mkdtemp(path.join(os.tmpdir(), 'slo-gate-examples-'));
});
afterAll(async () => {
  if (reportDir) await rm(reportDir, { recursive: true, force: true });
});

it('finds every example', () => {
  // A new example is run without being listed here; a missing one fails.
  expect(examples).toEqual(expect.arrayContaining(Object.keys(STACKS)));
});

for (const name of examples) {
  // An example not in STACKS needs nothing but Node.
  const stack = STACKS[name] ?? { missing: () => undefined };
  const missing = stack.missing();
  const skipped = missing !== undefined && !inCi;

  describe.skipIf(skipped)(`examples/${name}${skipped ? ` (needs ${missing})` : ''}`, () => {
    let env: Record<string, string> = {};
    beforeAll(async () => {
      // In CI a missing runtime fails here, by name, rather than as a service that would not start.
      expect(missing, `${name} needs ${missing}: .ci/run should install it`).toBeUndefined();
      env = (await stack.prepare?.()) ?? {};
    });

    it('passes its own gate, run by the CLI', async ({ annotate }) => {
      const configFile = path.join(EXAMPLES, name, 'slo-gate.yml');
      const reportFile = path.join(reportDir, `${name}.json`);
      const config = parse(await readFile(configFile, 'utf8')) as { target: string; endpoints: unknown[] };
      const result = await run(
        process.execPath,
        [BIN, 'run', '--config', configFile, '--report', reportFile],
        { cwd: ROOT, env: { ...process.env, ...env }, timeout: 40_000 },
      ).catch((error: { code?: number; stdout?: string; stderr?: string }) => error);
      const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`;
      expect('code' in result ? result.code : 0, output).toBe(0);

      const report = JSON.parse(await readFile(reportFile, 'utf8')) as Report;
      expect(report.passed, output).toBe(true);
      // The version came from the standard health check's body.
      expect(report.service?.version, output).toMatch(/\S/);
      expect(report.endpoints).toHaveLength(config.endpoints.length);
      for (const endpoint of report.endpoints) {
        expect(endpoint.passed, `${endpoint.name}\n${output}`).toBe(true);
        expect(endpoint.requests, endpoint.name).toBeGreaterThan(0);
      }
      await annotate(
        report.endpoints
          .map(({ name, requests, latencyMs }) => {
            const ms = (value: number | undefined) => `${value?.toFixed(2)} ms`;
            return `${name}: ${requests} requests, p50 ${ms(latencyMs?.p50)}, p95 ${ms(latencyMs?.p95)}`;
          })
          .join('; '),
      );
    }, 45_000);
  });
}
