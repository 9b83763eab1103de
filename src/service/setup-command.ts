/**
 * A one-off shell command run before something starts: `service.setup` (seed, migrate, restore a fixture)
 * and `baseline.setup` (install the base's dependencies). It runs in its own process group, so a timeout or
 * an interrupt stops everything it started; its output goes line by line to `onLine`, and a failure is a
 * service error (exit 3) naming the key, the command and how it ended, with its last lines.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { formatMs } from '../report/format.js';
import { serviceError } from '../errors.js';
import { readLines } from './output-lines.js';

export interface SetupCommand {
  /** The config key, for messages: "service.setup". */
  key: string;
  command: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Killed (its whole group) after this long. */
  timeoutMs: number;
  /** Each line of its stdout and stderr, as it comes. */
  onLine: (line: string) => void;
  signal?: AbortSignal;
}

/** Lines of output kept for the error message when the command fails. */
const TAIL_LINES = 30;
/** How long to wait, once the command has exited, for the last of its output. */
const PIPE_GRACE_MS = 1000;

export function runSetupCommand(setup: SetupCommand): Promise<void> {
  const { key, command } = setup;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd: setup.cwd,
      env: setup.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const take = (line: string) => {
      setup.onLine(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const streams = [child.stdout, child.stderr].map((stream) => readLines(stream, take));
    const flush = () => streams.forEach((s) => s.partial() && take(s.partial()));
    const { settle, stoppedBecause } = bounded(child, setup);
    child.on('error', (error) => {
      settle();
      reject(serviceError(`${key} could not start: ${error.message}`));
    });
    child.on('exit', (code, signal) => {
      settle();
      // Its output is complete once both pipes close; something it left running in the background may
      // hold them open, so wait only briefly for that.
      const closed = new Promise<void>((done) => child.on('close', () => done()));
      void Promise.race([closed, new Promise((done) => setTimeout(done, PIPE_GRACE_MS))]).then(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        flush();
        if (code === 0 && !stoppedBecause()) return resolve();
        const how = stoppedBecause() ?? (signal ? `was killed by ${signal}` : `exited with code ${code}`);
        reject(serviceError(`${key} "${command}" ${how}`, tail));
      });
    });
  });
}

/** Kills the command's whole group at its timeout or on abort, and says which stopped it. */
function bounded(child: ChildProcess, { timeoutMs, signal }: SetupCommand) {
  let why: string | undefined;
  const killGroup = (reason: string) => {
    why ??= reason;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // ESRCH: already gone.
    }
  };
  const timer = setTimeout(() => killGroup(`did not finish within ${formatMs(timeoutMs)}`), timeoutMs);
  const onAbort = () => killGroup('was interrupted');
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) onAbort();
  return {
    settle: () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    },
    stoppedBecause: () => why,
  };
}
