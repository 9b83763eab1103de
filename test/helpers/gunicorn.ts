/**
 * The Flask example (examples/python-flask) under Debian's gunicorn, for the e2e test and the benches.
 * /usr/bin/gunicorn runs with /usr/bin/python3, where python3-flask is installed; a pyenv python3 earlier on
 * PATH has no Flask, so never `python3 -m gunicorn`.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GUNICORN = '/usr/bin/gunicorn';
export const FLASK_APP_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../examples/python-flask',
);

export const hasGunicorn = (): boolean => existsSync(GUNICORN);

export interface Gunicorn {
  url: string;
  /** Stops gunicorn and its workers (SIGTERM to the group, SIGKILL after 5 s); safe to call twice. */
  close(): Promise<void>;
}

export interface GunicornOptions {
  /** Sync workers. */
  workers: number;
  /** Gunicorn's access log, one line per request served: counts requests on the server's side. */
  accessLogFile?: string;
  bootTimeoutMs?: number;
  /** The gunicorn to run; default {@link GUNICORN}. (The helper's own test gives a missing one.) */
  executable?: string;
  /** The directory of the app.py whose `app` it serves; default {@link FLASK_APP_DIR}. */
  appDir?: string;
}

/** How CI and a developer get gunicorn and the Flask it serves (Debian, as in .github/workflows). */
export const GUNICORN_INSTALL = 'sudo apt-get install -y gunicorn python3-flask';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One GET of /health on a connection of its own; true on a 200. */
const healthy = (url: string): Promise<boolean> =>
  new Promise((resolve) => {
    const request = http.get(`${url}/health`, { agent: false, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(false));
  });

/** Starts gunicorn on a free port (it prints the one it got) and resolves once /health answers 200. */
export async function startGunicorn(options: GunicornOptions): Promise<Gunicorn> {
  const args = ['-w', String(options.workers), '-b', '127.0.0.1:0', 'app:app'];
  if (options.accessLogFile) args.unshift('--access-logfile', options.accessLogFile);
  const executable = options.executable ?? GUNICORN;
  const child = spawn(executable, args, {
    cwd: options.appDir ?? FLASK_APP_DIR,
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
    // Its own process group, so the workers are stopped with it.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Without a listener, a missing executable is an unhandled ENOENT that names nothing.
  let spawnError: NodeJS.ErrnoException | undefined;
  child.once('error', (error) => (spawnError = error));
  const running = () => !spawnError && child.exitCode === null && child.signalCode === null;

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      const signal = (name: NodeJS.Signals) => {
        try {
          if (child.pid !== undefined) process.kill(-child.pid, name);
        } catch {
          // ESRCH: already gone.
        }
      };
      if (!running()) return;
      signal('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), delay(5000).then(() => false)]);
      if (!stopped) signal('SIGKILL');
      await Promise.race([exited, delay(2000)]);
    })());

  try {
    const deadline = Date.now() + (options.bootTimeoutMs ?? 15_000);
    let url: string | undefined;
    while (Date.now() < deadline && running()) {
      const port = /Listening at: http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
      url ??= port ? `http://127.0.0.1:${port}` : undefined;
      if (url && (await healthy(url))) return { url, close };
      await delay(100);
    }
    if (spawnError) {
      throw new Error(
        `could not start gunicorn (${executable}): ${spawnError.code ?? spawnError.message}; ` +
          `install it with \`${GUNICORN_INSTALL}\``,
      );
    }
    throw new Error(`gunicorn did not become ready:\n${output.slice(-2000)}`);
  } catch (error) {
    await close();
    throw error;
  }
}
