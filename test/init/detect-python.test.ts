/** Finding the Python app object where the repository binds it (issue #14 item 10). */
import { describe, expect, it } from 'vitest';
import { appBoundIn } from '../../src/init/detect-python.js';
import { detectStack } from '../../src/init/detect-stack.js';
import { repo } from './temp-repo.js';

describe('appBoundIn', () => {
  it.each([
    ['a Flask constructor', 'from flask import Flask\napi = Flask(__name__)\n', 'api'],
    ['a module-qualified constructor', 'import flask\napp = flask.Flask(__name__)\n', 'app'],
    ['an app from a factory', 'from myproj.web import create_app\napp = create_app()\n', 'app'],
    ['application from any call', 'application = build_it(settings)\n', 'application'],
    ['an imported app', 'from httpbin import app\n', 'app'],
    ['an import among others', 'from x import helpers, app  # the WSGI app\n', 'app'],
    ['an import aliased to application', 'from x import server as application\n', 'application'],
    ['an import over bracketed lines', 'from x.y import (\n    helpers,\n    app,\n)\n', 'app'],
    ['a commented-out app', '# app = Flask(__name__)\n', undefined],
    ['an app bound inside a function', 'def make():\n    app = Flask(__name__)\n', undefined],
    ['an import of something else', 'from httpbin import core\n', undefined],
    ['an alias that hides the app', 'from httpbin import app as httpbin_app\n', undefined],
  ])('%s', (_name, text, variable) => {
    expect(appBoundIn(text, 'wsgi.py')?.variable).toBe(variable);
  });
});

describe('detectStack for Python', () => {
  it.each([
    [
      'wsgi.py importing the app from a package (httpbin)',
      { 'requirements.txt': 'gunicorn\n', 'wsgi.py': 'from httpbin import app\n', 'httpbin/core.py': '' },
      'gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app',
    ],
    [
      'wsgi.py building the app with a factory it imports',
      {
        'requirements.txt': 'flask\ngunicorn\n',
        'wsgi.py': 'from myproj.web import create_app\n\napp = create_app()\n',
      },
      'gunicorn -w 2 -b 127.0.0.1:8000 wsgi:app',
    ],
    [
      'a Django project one folder down',
      {
        'requirements.txt': 'Django>=5\n',
        'manage.py': '',
        'mysite/wsgi.py':
          'from django.core.wsgi import get_wsgi_application\napplication = get_wsgi_application()\n',
      },
      'gunicorn -w 2 -b 127.0.0.1:8000 mysite.wsgi:application',
    ],
    [
      'an app at the root before a nested one',
      {
        'requirements.txt': 'gunicorn\n',
        'main.py': 'app = Flask(__name__)\n',
        'other/wsgi.py': 'application = get_wsgi_application()\n',
      },
      'gunicorn -w 2 -b 127.0.0.1:8000 main:app',
    ],
    [
      'an ASGI app imported into asgi.py',
      {
        'pyproject.toml': 'dependencies = ["fastapi", "uvicorn"]\n',
        'asgi.py': 'from shop.api import app\n',
      },
      'uvicorn asgi:app --host 127.0.0.1 --port 8000',
    ],
  ])('%s', (_name, files, command) => {
    const guess = detectStack(repo(files));
    expect(guess).toMatchObject({ stack: 'python', command, warnings: [] });
    expect(guess.source).toContain(command.includes('uvicorn') ? 'asgi:app' : 'the app');
  });

  it.each([
    ['gunicorn', { 'requirements.txt': 'flask\n', 'app.py': 'print("no app here")\n' }],
    ['uvicorn', { 'requirements.txt': 'uvicorn\n', '.venv/wsgi.py': 'from x import app\n' }],
  ])('says plainly when no %s app object was found, and what to write', (server, files) => {
    const guess = detectStack(repo(files));
    expect(guess.command).toContain(' YOUR_MODULE:app');
    expect(guess.command.startsWith(server)).toBe(true);
    expect(guess.warnings).toEqual([
      expect.stringMatching(/^no app object found .*replace YOUR_MODULE:app in service\.command/),
    ]);
    expect(guess.source).toContain('no app object');
  });
});
