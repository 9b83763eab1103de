import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';
import { detectStack, portIn } from '../../src/init/detect-stack.js';
import { initRepository, nextStep } from '../../src/init/init.js';
import { repo } from './temp-repo.js';

describe('detectStack', () => {
  it.each([
    [
      'a Node start script with its port',
      { 'package.json': '{"scripts":{"start":"PORT=4000 node server.js"}}', 'package-lock.json': '{}' },
      { stack: 'node', command: 'npm start', port: 4000 },
    ],
    [
      'a Node main file',
      { 'package.json': '{"main":"app.js"}' },
      { stack: 'node', command: 'node app.js', port: 3000 },
    ],
    [
      'a Procfile running gunicorn',
      { Procfile: 'web: gunicorn -w 4 -b 0.0.0.0:$PORT service:app\n', 'requirements.txt': 'gunicorn\n' },
      // $PORT stays for the shell to expand from service.env, which init sets to the port.
      {
        stack: 'python',
        command: 'gunicorn -w 4 -b 0.0.0.0:$PORT service:app',
        port: 8000,
        env: { PORT: '8000' },
      },
    ],
    [
      'Flask under gunicorn, found from requirements and app.py',
      {
        'requirements.txt': 'flask==3.0\ngunicorn\n',
        'app.py': 'from flask import Flask\napi = Flask(__name__)\n',
      },
      { stack: 'python', command: 'gunicorn -w 2 -b 127.0.0.1:8000 app:api', port: 8000 },
    ],
    [
      'FastAPI under uvicorn',
      { 'requirements.txt': 'fastapi\nuvicorn[standard]\n', 'main.py': 'app = FastAPI()\n' },
      { stack: 'python', command: 'uvicorn main:app --host 127.0.0.1 --port 8000', port: 8000 },
    ],
    ['a Go module', { 'go.mod': 'module x\n' }, { stack: 'go', port: 8080 }],
    ['nothing known', {}, { stack: 'unknown' }],
  ])('%s', (_name, files, expected) => {
    expect(detectStack(repo(files))).toMatchObject(expected);
  });

  it.each([
    ['PORT=4000 node x', 4000],
    ['uvicorn a:b --port 8001', 8001],
    ['gunicorn -b 0.0.0.0:5000 a:b', 5000],
    ['node server.js', undefined],
  ])('finds the port in %s', (command, port) => expect(portIn(command)).toBe(port));
});

describe('initRepository', () => {
  it('writes a config that validates and a workflow that runs the action on pull requests', async () => {
    const dir = repo({ 'package.json': '{"scripts":{"start":"node server.js"}}' });
    const outcome = await initRepository(dir);
    expect(outcome.written).toEqual(['slo-gate.yml', path.join('.github', 'workflows', 'slo-gate.yml')]);
    const config = parseConfig(readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8'), 'slo-gate.yml', {});
    expect(config.service).toMatchObject({ command: 'npm start', env: { PORT: '3000' } });
    const workflow = parse(readFileSync(path.join(dir, '.github/workflows/slo-gate.yml'), 'utf8'));
    expect(Object.keys(workflow.on)).toContain('pull_request');
    expect(workflow.permissions['pull-requests']).toBe('write');
    const steps = workflow.jobs['slo-gate'].steps as { uses?: string; run?: string }[];
    expect(steps.map((s) => s.uses ?? s.run)).toEqual([
      'actions/checkout@v4',
      'actions/setup-node@v4',
      'npm install',
      'npm run build --if-present',
      'slo-gate/slo-gate@v1',
      'actions/upload-artifact@v4',
    ]);
  });

  it('never overwrites an existing file', async () => {
    const dir = repo({ 'slo-gate.yml': 'mine\n', 'package.json': '{}' });
    const outcome = await initRepository(dir);
    expect(outcome.kept).toEqual(['slo-gate.yml']);
    expect(outcome.written).toEqual([path.join('.github', 'workflows', 'slo-gate.yml')]);
    expect(readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8')).toBe('mine\n');
  });
});

describe('the workflow init writes (issue #14 item 12)', () => {
  const workflowOf = async (files: Record<string, string>) => {
    const dir = repo(files);
    await initRepository(dir);
    return parse(readFileSync(path.join(dir, '.github/workflows/slo-gate.yml'), 'utf8'));
  };
  type Step = { uses?: string; run?: string; if?: string; with?: Record<string, unknown> };
  const stepsOf = (workflow: { jobs: Record<string, { steps: Step[] }> }) => workflow.jobs['slo-gate']!.steps;

  it('cancels a superseded run, and keeps the report and service log as an artifact, pass or fail', async () => {
    const workflow = await workflowOf({ 'package.json': '{}' });
    expect(workflow.concurrency).toEqual({
      group: 'slo-gate-${{ github.event.pull_request.number || github.ref }}',
      'cancel-in-progress': true,
    });
    const steps = stepsOf(workflow);
    const gateAt = steps.findIndex((s) => s.uses === 'slo-gate/slo-gate@v1');
    expect(gateAt).toBeGreaterThan(0);
    expect(steps[gateAt + 1]).toMatchObject({
      uses: 'actions/upload-artifact@v4',
      if: 'always()',
      with: { name: 'slo-gate', path: '.slo-gate/', 'include-hidden-files': true },
    });
  });

  it.each([
    ['npm with a lock file', { 'package.json': '{}', 'package-lock.json': '{}' }, { cache: 'npm' }],
    [
      'pip with requirements.txt',
      { 'requirements.txt': 'gunicorn\n', 'app.py': 'app = Flask(__name__)\n' },
      { cache: 'pip' },
    ],
    [
      'pip with pyproject.toml only',
      { 'pyproject.toml': 'dependencies = ["gunicorn"]\n', 'app.py': 'app = Flask(__name__)\n' },
      { cache: 'pip', 'cache-dependency-path': 'pyproject.toml' },
    ],
    [
      'Go modules (setup-go caches by default)',
      { 'go.mod': 'module x\n', 'main.go': 'package main\nfunc main() {}\n' },
      { 'go-version-file': 'go.mod' },
    ],
    [
      'Cargo',
      { 'Cargo.toml': '[package]\nname = "x"\n' },
      { key: "cargo-${{ runner.os }}-${{ hashFiles('Cargo.lock') }}" },
    ],
  ])('caches dependencies: %s', async (_name, files, cacheInputs) => {
    const steps = stepsOf(await workflowOf(files));
    expect(steps[1]!.with).toMatchObject(cacheInputs);
  });

  it('leaves setup-node without a cache when there is no lock file to key it on', async () => {
    const steps = stepsOf(await workflowOf({ 'package.json': '{}' }));
    expect(steps[1]).toMatchObject({ uses: 'actions/setup-node@v4', with: { 'node-version': '24' } });
    expect(steps[1]!.with).not.toHaveProperty('cache');
  });
});

describe('init with little to go on (issue #14 item 12)', () => {
  it('says plainly that nothing was recognised and what to edit, and still writes a config that validates', async () => {
    const dir = repo({ 'README.md': '# a service\n' });
    const outcome = await initRepository(dir);
    expect(outcome.guess.stack).toBe('unknown');
    expect(outcome.guess.warnings).toEqual([
      expect.stringMatching(
        /^nothing recognised \(no Procfile, package\.json, .*\): slo-gate\.yml is a template\. Edit service\.command/,
      ),
    ]);
    expect(nextStep(outcome.guess)).toMatch(/^Nothing was recognised: edit service\.command/);
    const text = readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8');
    expect(text).toContain('  # CHECK: nothing recognised');
    expect(() => parseConfig(text, 'slo-gate.yml', {})).not.toThrow();
  });

  it('shows request data commented out, and uncommented it validates with its data file', async () => {
    const dir = repo({ 'README.md': '# a service\n', 'data/items.csv': 'id\n1\n2\n' });
    await initRepository(dir);
    const text = readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8');
    // Uncomment the data block and the templated endpoint: "# data:" → "data:", "  # - name" → "  - name".
    const uncommented = text
      .replace(/^# (data:| {2}items:)/gm, '$1')
      .replace(/^ {2}# ( {0,2}(- name|path):)/gm, '  $1');
    expect(uncommented).not.toBe(text);
    const config = parseConfig(uncommented, path.join(dir, 'slo-gate.yml'), {});
    expect(config.data?.items?.rows).toEqual([{ id: '1' }, { id: '2' }]);
    expect(config.endpoints.map((e) => [e.name, e.templates?.dataSets])).toEqual([
      ['GET /health', undefined],
      ['get item', ['items']],
    ]);
  });

  it('shows setup requests commented out, and uncommented they validate', async () => {
    const dir = repo({ 'README.md': '# a service\n' });
    await initRepository(dir);
    const text = readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8');
    const uncommented = text.replace(/^# (setup:| {2}- \{ name: log in)/gm, '$1');
    expect(uncommented).not.toBe(text);
    const config = parseConfig(uncommented, path.join(dir, 'slo-gate.yml'), { ADMIN_PASSWORD: 'a-password' });
    expect(config.setup?.map((s) => [s.name, s.method, s.path, s.capture])).toEqual([
      ['log in', 'POST', '/login', { token: { json: 'access_token' } }],
    ]);
  });

  it('writes a weak guess into the config as a comment, and the config still validates', async () => {
    const dir = repo({ 'requirements.txt': 'gunicorn\n', 'wsgi.py': 'import os\n' });
    await initRepository(dir);
    const text = readFileSync(path.join(dir, 'slo-gate.yml'), 'utf8');
    expect(text).toMatch(/^ {2}# CHECK: no app object found/m);
    const comments = text.split('\n').filter((line) => line.startsWith('  #'));
    expect(comments.length).toBeGreaterThan(2);
    expect(comments.filter((line) => line.length > 100)).toEqual([]);
    expect(parseConfig(text, 'slo-gate.yml', {}).service?.command).toBe(
      'gunicorn -w 2 -b 127.0.0.1:8000 YOUR_MODULE:app',
    );
  });

  it('tells a recognised stack where its guess came from', () => {
    expect(nextStep(detectStack(repo({ 'package.json': '{"main":"app.js"}' })))).toBe(
      'The start command is a guess from the "main" file in package.json: check it, list your endpoints, then run: npx slo-gate run',
    );
  });
});
