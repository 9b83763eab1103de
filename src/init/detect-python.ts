/**
 * Python services for `slo-gate init`: the server named in the requirements (uvicorn or gunicorn) and the
 * module:variable of the app object it serves, found where the repository binds it.
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, type StackGuess, type WorkflowStep } from './stack-guess.js';

/** The files at the root that usually hold the app object, in the order they are searched. */
const ROOT_APP_FILES = ['app.py', 'main.py', 'wsgi.py', 'asgi.py', 'server.py'];
/** Django keeps its entry points one folder down (mysite/wsgi.py). */
const NESTED_APP_FILES = ['wsgi.py', 'asgi.py'];
const SKIPPED_DIRS = new Set(['node_modules', 'venv', 'env', 'tests', 'test', 'site-packages']);

/** An app found in a file: its variable and how it is bound there, for the config's comment. */
interface BoundApp {
  variable: string;
  how: string;
}

/** `app = Flask(__name__)`, `application = get_wsgi_application()`, `api = FastAPI()`. */
const APP_CONSTRUCTOR =
  /^(\w+)\s*=\s*(?:[\w.]+\.)?(Flask|FastAPI|Starlette|Quart|Sanic|Litestar|create_app|make_app|get_wsgi_application|get_asgi_application)\b/m;
/** `app = anything(...)`: the conventional names, bound to what some factory returns. */
const CONVENTIONAL_ASSIGNMENT = /^(app|application)\s*=\s*([\w.]+)\s*\(/m;
/** `from httpbin import app`, `from x import (create_app, app as application)`, over lines in brackets. */
const FROM_IMPORT = /^from\s+([\w.]+)\s+import\s+(\([^)]*\)|[^\n]+)/gm;

/** The app a module's text binds at its top level, by assignment or by import. */
export function appBoundIn(text: string, file: string): BoundApp | undefined {
  const constructed = APP_CONSTRUCTOR.exec(text) ?? CONVENTIONAL_ASSIGNMENT.exec(text);
  if (constructed) {
    return { variable: constructed[1]!, how: `${constructed[1]} = ${constructed[2]}(…) in ${file}` };
  }
  for (const [, module, names] of text.matchAll(FROM_IMPORT)) {
    const list = names!.replace(/#.*$/gm, '').replace(/[()]/g, '');
    for (const name of list.split(',')) {
      const [imported, alias] = name.trim().split(/\s+as\s+/);
      const bound = (alias ?? imported)!.trim();
      if (bound === 'app' || bound === 'application') {
        return { variable: bound, how: `${file} imports ${imported} from ${module}` };
      }
    }
  }
  return undefined;
}

/** Folders one level down that may be a Django project (skipping environments and hidden folders). */
function projectFolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && !SKIPPED_DIRS.has(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/**
 * The `module:variable` a WSGI/ASGI server should load, with how it was found. The module is the file that
 * binds the name (wsgi.py importing app from httpbin gives wsgi:app): loading it runs whatever set-up it
 * does before the app is served.
 */
export function findPythonApp(dir: string): { spec: string; how: string } | undefined {
  const candidates = [
    ...ROOT_APP_FILES,
    ...projectFolders(dir).flatMap((folder) => NESTED_APP_FILES.map((file) => `${folder}/${file}`)),
  ];
  for (const file of candidates) {
    const text = readRepoFile(dir, file);
    const app = text === undefined ? undefined : appBoundIn(text, file);
    if (app) {
      const module = file.replace(/\.py$/, '').replaceAll('/', '.');
      return { spec: `${module}:${app.variable}`, how: app.how };
    }
  }
  return undefined;
}

/** Stands in for the app when none was found: a name no one has, so the service fails saying so. */
export const APP_PLACEHOLDER = 'YOUR_MODULE:app';

const appNotFound = (server: string) =>
  `no app object found (an \`app = Flask(…)\`-style assignment or a \`from … import app\` in ${ROOT_APP_FILES.join(', ')}, or */wsgi.py, */asgi.py): replace ${APP_PLACEHOLDER} in service.command with the module:variable ${server} should serve, such as myproject.wsgi:application`;

/** Set up Python with pip's cache, and install the requirements (or the project). */
export function pythonSetup(dir: string): WorkflowStep[] {
  const hasRequirements = existsSync(path.join(dir, 'requirements.txt'));
  const cache: Record<string, string> = hasRequirements
    ? { cache: 'pip' }
    : { cache: 'pip', 'cache-dependency-path': 'pyproject.toml' };
  return [
    {
      name: 'Set up Python',
      uses: 'actions/setup-python@v5',
      with: { 'python-version': '3.12', ...cache },
    },
    { name: 'Install', run: hasRequirements ? 'pip install -r requirements.txt' : 'pip install .' },
  ];
}

/** A Python server named in requirements.txt or pyproject.toml: uvicorn (ASGI) before gunicorn (WSGI). */
export function fromPythonRequirements(dir: string): StackGuess | undefined {
  const requirements =
    (readRepoFile(dir, 'requirements.txt') ?? '') + (readRepoFile(dir, 'pyproject.toml') ?? '');
  const server = /\buvicorn\b|\bfastapi\b/i.test(requirements)
    ? 'uvicorn'
    : /\bgunicorn\b|\bflask\b|\bdjango\b/i.test(requirements)
      ? 'gunicorn'
      : undefined;
  if (!server) return undefined;
  const app = findPythonApp(dir);
  const spec = app?.spec ?? APP_PLACEHOLDER;
  return {
    stack: 'python',
    command:
      server === 'uvicorn'
        ? `uvicorn ${spec} --host 127.0.0.1 --port 8000`
        : `gunicorn -w 2 -b 127.0.0.1:8000 ${spec}`,
    port: 8000,
    env: {},
    source: `${server} in your requirements and ${app ? `the app ${spec} (${app.how})` : 'no app object'}`,
    setupSteps: pythonSetup(dir),
    notes: [],
    warnings: app ? [] : [appNotFound(server)],
  };
}
