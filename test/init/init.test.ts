import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';
import { detectStack, portIn } from '../../src/init/detect-stack.js';
import { initRepository } from '../../src/init/init.js';

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'slo-gate-init-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

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
      { stack: 'python', command: 'gunicorn -w 4 -b 0.0.0.0:8000 service:app', port: 8000 },
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
      'slo-gate/slo-gate@v1',
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
