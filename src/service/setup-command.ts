/**
 * A one-off shell command run before something starts: `service.setup` (seed, migrate, restore a fixture)
 * and `baseline.setup` (install the base's dependencies). It runs in its own process group, so a timeout or
 * an interrupt stops everything it started; its output goes line by line to `onLine`, and a failure is a
 * service error (exit 3) naming the key, the command and how it ended, with its last lines.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import { formatMs } from '../config/units.js';
import { serviceError } from '../errors.js';

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
    const flushers = [child.stdout, child.stderr].map((stream) => {
      const decoder = new StringDecoder('utf8');
      let partial = '';
      stream.on('data', (chunk: Buffer) => {
        const lines = (partial + decoder.write(chunk)).split('\n');
        partial = lines.pop() ?? '';
        lines.forEach(take);
      });
      return () => partial && take(partial);
    });
    let stoppedBecause: string | undefined;
    const killGroup = (why: string) => {
      stoppedBecause ??= why;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // ESRCH: already gone.
      }
    };
    const timer = setTimeout(
      () => killGroup(`did not finish within ${formatMs(setup.timeoutMs)}`),
      setup.timeoutMs,
    );
    const onAbort = () => killGroup('was interrupted');
    setup.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      setup.signal?.removeEventListener('abort', onAbort);
    };
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
        flushers.forEach((flush) => flush());
        if (code === 0 && !stoppedBecause) return resolve();
        const how = stoppedBecause ?? (signal ? `was killed by ${signal}` : `exited with code ${code}`);
        reject(serviceError(`${key} "${command}" ${how}`, tail));
      });
    });
    if (setup.signal?.aborted) onAbort();
  });
}
