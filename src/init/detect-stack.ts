/**
 * Guesses how a repository starts its service, for `slo-gate init`: from package.json scripts, a Procfile,
 * or a gunicorn/uvicorn entry point. A guess is only a starting point, so each says where it came from.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type Stack = 'node' | 'python' | 'go' | 'rust' | 'unknown';

export interface StackGuess {
  stack: Stack;
  /** The start command, bound to 127.0.0.1 where the server allows it. */
  command: string;
  port: number;
  /** Environment for the service (PORT, usually). */
  env: Record<string, string>;
  /** Where the guess came from, for the comment in the generated config. */
  source: string;
  /** Steps the CI job needs before the gate runs (install dependencies). */
  setupSteps: { name: string; uses?: string; with?: Record<string, string>; run?: string }[];
}

function read(dir: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** A port named in a command ("PORT=4000", "--port 8001", "-b 0.0.0.0:5000", ":8080"). */
export function portIn(command: string): number | undefined {
  const match =
    /\bPORT=(\d{2,5})\b/.exec(command) ??
    /--port[= ](\d{2,5})\b/.exec(command) ??
    /(?:-b|--bind)[= ]\S*:(\d{2,5})\b/.exec(command);
  return match ? Number(match[1]) : undefined;
}

const nodeSetup = (hasLock: boolean): StackGuess['setupSteps'] => [
  { name: 'Set up Node', uses: 'actions/setup-node@v4', with: { 'node-version': '24' } },
  { name: 'Install', run: hasLock ? 'npm ci' : 'npm install' },
];
const pythonSetup = (dir: string): StackGuess['setupSteps'] => [
  { name: 'Set up Python', uses: 'actions/setup-python@v5', with: { 'python-version': '3.12' } },
  {
    name: 'Install',
    run: existsSync(path.join(dir, 'requirements.txt')) ? 'pip install -r requirements.txt' : 'pip install .',
  },
];

/** The Python module:variable of a WSGI/ASGI app: app.py or main.py or wsgi.py with an `app = …`. */
function pythonApp(dir: string): string | undefined {
  for (const file of ['app.py', 'main.py', 'wsgi.py', 'asgi.py', 'server.py']) {
    const text = read(dir, file);
    const match =
      text &&
      /^(\w+)\s*=\s*(?:Flask|FastAPI|Starlette|Quart|create_app|get_wsgi_application|get_asgi_application)\b/m.exec(
        text,
      );
    if (match) return `${file.replace(/\.py$/, '')}:${match[1]}`;
  }
  return undefined;
}

/** The `web:` process of a Procfile: the command the platform runs, so the best guess there is. */
function fromProcfile(dir: string): StackGuess | undefined {
  const procfile = read(dir, 'Procfile');
  const web = procfile && /^web:\s*(.+)$/m.exec(procfile)?.[1]?.trim();
  if (!web) return undefined;
  const port = portIn(web) ?? 8000;
  const python = /\b(gunicorn|uvicorn|python)\b/.test(web);
  return {
    stack: python ? 'python' : 'unknown',
    command: web.replace(/\$\{?PORT\}?/g, String(port)),
    port,
    env: { PORT: String(port) },
    source: 'the web process in Procfile',
    setupSteps: python ? pythonSetup(dir) : [],
  };
}

/** package.json: its "start" script, else `node <main>`. */
function fromPackageJson(dir: string): StackGuess | undefined {
  const pkgText = read(dir, 'package.json');
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
  };
}

/** A Python server named in requirements.txt or pyproject.toml: uvicorn (ASGI) before gunicorn (WSGI). */
function fromPythonRequirements(dir: string): StackGuess | undefined {
  const requirements = (read(dir, 'requirements.txt') ?? '') + (read(dir, 'pyproject.toml') ?? '');
  if (/\buvicorn\b|\bfastapi\b/i.test(requirements)) {
    const app = pythonApp(dir) ?? 'main:app';
    return {
      stack: 'python',
      command: `uvicorn ${app} --host 127.0.0.1 --port 8000`,
      port: 8000,
      env: {},
      source: `uvicorn in your requirements and the app ${app}`,
      setupSteps: pythonSetup(dir),
    };
  }
  if (/\bgunicorn\b|\bflask\b|\bdjango\b/i.test(requirements)) {
    const app = pythonApp(dir) ?? 'app:app';
    return {
      stack: 'python',
      command: `gunicorn -w 2 -b 127.0.0.1:8000 ${app}`,
      port: 8000,
      env: {},
      source: `gunicorn in your requirements and the app ${app}`,
      setupSteps: pythonSetup(dir),
    };
  }
  return undefined;
}

function fromGoModule(dir: string): StackGuess | undefined {
  if (!existsSync(path.join(dir, 'go.mod'))) return undefined;
  return {
    stack: 'go',
    command: 'go build -o ./.slo-gate/server . && ./.slo-gate/server',
    port: 8080,
    env: { PORT: '8080' },
    source: 'go.mod',
    setupSteps: [{ name: 'Set up Go', uses: 'actions/setup-go@v5', with: { 'go-version': 'stable' } }],
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
    setupSteps: [{ name: 'Build', run: 'cargo build --release' }],
  };
}

const NOTHING_FOUND: StackGuess = {
  stack: 'unknown',
  command: './start-my-service',
  port: 3000,
  env: { PORT: '3000' },
  source: 'nothing found: replace this command with the one that starts your service',
  setupSteps: [],
};

/** The detectors in the order of trust: what the platform runs, then the package manifest, then hints. */
const DETECTORS = [fromProcfile, fromPackageJson, fromPythonRequirements, fromGoModule, fromCargo];

export function detectStack(dir: string): StackGuess {
  for (const detect of DETECTORS) {
    const guess = detect(dir);
    if (guess) return guess;
  }
  return { ...NOTHING_FOUND, env: { ...NOTHING_FOUND.env }, setupSteps: [] };
}
