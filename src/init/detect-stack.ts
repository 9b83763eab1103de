/**
 * Guesses how a repository starts its service, for `slo-gate init`: from a Procfile, package.json, the
 * Python requirements, go.mod or Cargo.toml, tried in that order. A guess is only a starting point, so each
 * says where it came from and warns about what it could not find.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fromGoModule } from './detect-go.js';
import { fromPythonRequirements, pythonSetup } from './detect-python.js';
import { portIn, readRepoFile, type StackGuess, type WorkflowStep } from './stack-guess.js';

export { portIn, type Stack, type StackGuess } from './stack-guess.js';

/** The port a Procfile's service gets in $PORT when the Procfile names none. */
const PROCFILE_DEFAULT_PORT = 8000;

/**
 * The `web:` process of a Procfile: the command the platform runs, so the best guess there is. It is
 * kept as written: the shell runs service.command, so its `$PORT` expands from service.env's PORT.
 */
function fromProcfile(dir: string): StackGuess | undefined {
  const procfile = readRepoFile(dir, 'Procfile');
  const web = procfile && /^web:\s*(.+)$/m.exec(procfile)?.[1]?.trim();
  if (!web) return undefined;
  const port = portIn(web) ?? PROCFILE_DEFAULT_PORT;
  const python = /\b(gunicorn|uvicorn|python)\b/.test(web);
  return {
    stack: python ? 'python' : 'unknown',
    command: web,
    port,
    env: { PORT: String(port) },
    source: 'the web process in Procfile',
    setupSteps: python ? pythonSetup(dir) : [],
    notes: [],
    warnings: [],
  };
}

const nodeSetup = (hasLock: boolean): WorkflowStep[] => [
  {
    name: 'Set up Node',
    uses: 'actions/setup-node@v4',
    // setup-node's npm cache needs a lock file to key on, and fails without one.
    with: hasLock ? { 'node-version': '24', cache: 'npm' } : { 'node-version': '24' },
  },
  { name: 'Install', run: hasLock ? 'npm ci' : 'npm install' },
  { name: 'Build', run: 'npm run build --if-present' },
];

/** package.json: its "start" script, else `node <main>`. */
function fromPackageJson(dir: string): StackGuess | undefined {
  const pkgText = readRepoFile(dir, 'package.json');
  if (!pkgText) return undefined;
  let pkg: { scripts?: Record<string, string>; main?: string } = {};
  try {
    pkg = JSON.parse(pkgText);
  } catch {
    // A broken package.json still says "node".
  }
  const hasLock = existsSync(path.join(dir, 'package-lock.json'));
  const start = pkg.scripts?.start;
  const port = (start ? portIn(start) : undefined) ?? 3000;
  return {
    stack: 'node',
    command: start ? 'npm start' : `node ${pkg.main ?? 'index.js'}`,
    port,
    env: { PORT: String(port), NODE_ENV: 'production' },
    source: start ? `the "start" script in package.json (${start})` : 'the "main" file in package.json',
    setupSteps: nodeSetup(hasLock),
    notes: [],
    warnings: [],
  };
}

function fromCargo(dir: string): StackGuess | undefined {
  if (!existsSync(path.join(dir, 'Cargo.toml'))) return undefined;
  return {
    stack: 'rust',
    command: 'cargo run --release',
    port: 8080,
    env: { PORT: '8080' },
    source: 'Cargo.toml',
    setupSteps: [
      {
        name: 'Cache Cargo',
        uses: 'actions/cache@v4',
        with: {
          path: '~/.cargo/registry\n~/.cargo/git\ntarget',
          key: "cargo-${{ runner.os }}-${{ hashFiles('Cargo.lock') }}",
        },
      },
      { name: 'Build', run: 'cargo build --release' },
    ],
    notes: ["Built by the workflow's Build step, so cargo run only starts it."],
    warnings: [],
  };
}

/** The files whose absence makes a guess from nothing, named in the warning. */
const RECOGNISED_FILES = 'Procfile, package.json, requirements.txt, pyproject.toml, go.mod or Cargo.toml';

const nothingRecognised = (): StackGuess => ({
  stack: 'unknown',
  command: './start-my-service',
  port: 3000,
  env: { PORT: '3000' },
  source: 'nothing: no Procfile, package.json, Python requirements, go.mod or Cargo.toml',
  setupSteps: [],
  notes: [],
  warnings: [
    `nothing recognised (no ${RECOGNISED_FILES}): slo-gate.yml is a template. Edit service.command (now ./start-my-service), the port in target and service.env, and the endpoints; add the steps that install and build your service to the workflow`,
  ],
});

/** The detectors in the order of trust: what the platform runs, then the package manifest, then hints. */
const DETECTORS = [fromProcfile, fromPackageJson, fromPythonRequirements, fromGoModule, fromCargo];

export function detectStack(dir: string): StackGuess {
  for (const detect of DETECTORS) {
    const guess = detect(dir);
    if (guess) return guess;
  }
  return nothingRecognised();
}
