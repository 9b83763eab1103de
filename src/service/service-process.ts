/**
 * The service under test as a process group: started through the shell, its output kept in a file (line
 * by line, with secrets redacted: the file is uploaded as an artifact) and a tail in memory, stopped as a
 * whole (SIGTERM, then SIGKILL after the grace period). Stopping twice is safe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import type { ServiceConfig } from '../config/types.js';
import { formatMs } from '../report/format.js';
import { serviceError } from '../errors.js';
import { readLines } from './output-lines.js';
import { groupAlive } from './process-group.js';

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningService {
  readonly pid: number;
  readonly logFile: string;
  /** Resolves when the process (the shell, the group leader) exits. */
  readonly exited: Promise<ServiceExit>;
  /** Set once it has exited. */
  exit(): ServiceExit | undefined;
  /** The last lines of its stdout and stderr. */
  logTail(lines?: number): string[];
  /** Starts watching the output for `text`; the function says whether a line so far contained it. */
  watchOutput(text: string): () => boolean;
  /**
   * SIGTERM to the group, SIGKILL after `stopTimeoutMs`. Resolves when the group is gone, with what it
   * took; safe to repeat (every call gets the first stop's outcome).
   */
  stop(): Promise<StopOutcome>;
}

/**
 * What stopping did to the service's processes: the whole group, not the `sh -c` wrapper alone (the
 * shell may die of SIGTERM while the service it started ignores it).
 */
export interface StopOutcome {
  /**
   * gone: nothing was left to stop; term: the group was gone within `stopTimeoutMs` of SIGTERM; kill:
   * SIGKILL was needed; stuck: processes were left even after SIGKILL (uninterruptible sleep, say).
   */
  how: 'gone' | 'term' | 'kill' | 'stuck';
  stopTimeoutMs: number;
}

/** How long to wait for the group to go after SIGKILL before giving up on it. */
const AFTER_KILL_WAIT_MS = 5000;

/**
 * "stopped by SIGTERM", "did not stop within 5.00 s of SIGTERM; killed with SIGKILL", … `exit` is the
 * shell's, named only when the service had stopped by itself.
 */
export function describeStop({ how, stopTimeoutMs }: StopOutcome, exit?: ServiceExit): string {
  const noStop = `did not stop within ${formatMs(stopTimeoutMs)} of SIGTERM`;
  switch (how) {
    case 'gone':
      return exit ? `had already stopped (${describeExit(exit)})` : 'had already stopped';
    case 'term':
      return 'stopped by SIGTERM';
    case 'kill':
      return `${noStop}; killed with SIGKILL`;
    case 'stuck':
      return `${noStop}, and was still running ${formatMs(AFTER_KILL_WAIT_MS)} after SIGKILL`;
  }
}

const TAIL_LINES = 200;

export function describeExit(exit: ServiceExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/** Process groups started and not yet seen gone: what {@link killServicesNow} reaches. */
const liveGroups = new Set<number>();

/**
 * SIGKILL to every service group still running, synchronously: for a second SIGINT or SIGTERM, after
 * which the gate exits at once instead of waiting for a graceful stop, and must leave nothing behind.
 */
export function killServicesNow(): void {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
}

/**
 * `redact` is applied to every line of output before it is written to `logFile` (the in-memory tail is
 * redacted where it is reported).
 */
export function startService(
  config: ServiceConfig,
  logFile: string,
  redact: (line: string) => string = (line) => line,
): RunningService {
  mkdirSync(path.dirname(logFile), { recursive: true });
  // Appended to: service.setup's output, when it ran, is already at the top (lifecycle.ts starts the file).
  const log: WriteStream = createWriteStream(logFile, { flags: 'a' });
  const child = spawnGroup(config, log);
  const pid = child.pid!;
  liveGroups.add(pid);
  const output = captureOutput(child, log, redact);

  let exitInfo: ServiceExit | undefined;
  const exited = new Promise<ServiceExit>((resolve) => {
    child.on('exit', (code, signal) => {
      exitInfo = { code, signal };
      resolve(exitInfo);
    });
    child.on('error', () => {
      exitInfo ??= { code: 127, signal: null };
      resolve(exitInfo);
    });
  });

  let stopping: Promise<StopOutcome> | undefined;
  const stop = (): Promise<StopOutcome> => {
    stopping ??= (async () => {
      const outcome = await stopGroup(pid, config.stopTimeoutMs);
      // The shell may have gone before its children; their output is flushed once the pipes close.
      await Promise.race([exited, deadline(1000)]);
      output.flush();
      await new Promise<void>((resolve) => log.end(resolve));
      return outcome;
    })();
    return stopping;
  };

  return {
    pid,
    logFile,
    exited,
    exit: () => exitInfo,
    logTail: output.logTail,
    watchOutput: output.watchOutput,
    stop,
  };
}

/** `sh -c command` in a process group of its own; a spawn failure is a service error, with the log closed. */
function spawnGroup(config: ServiceConfig, log: WriteStream): ChildProcess {
  let child: ChildProcess;
  try {
    child = spawn('/bin/sh', ['-c', config.command], {
      cwd: config.cwd,
      env: { ...process.env, ...config.env },
      // Its own process group, so teardown reaches every child and grandchild.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    log.end();
    throw serviceError(`service.command could not be started: ${(error as Error).message}`);
  }
  if (child.pid === undefined) {
    log.end();
    throw serviceError(`service.command could not be started in ${config.cwd} (does the folder exist?)`);
  }
  return child;
}

/** A child's stdout and stderr, split into lines: written to the log, kept in a tail, watched for text. */
interface CapturedOutput {
  logTail(lines?: number): string[];
  watchOutput(text: string): () => boolean;
  /** Writes the unfinished last lines to the log (once the pipes are closed). */
  flush(): void;
}

function captureOutput(
  child: ChildProcess,
  log: WriteStream,
  redact: (line: string) => string,
): CapturedOutput {
  const tail: string[] = [];
  const watches: { text: string; seen: boolean }[] = [];
  const takeLine = (line: string) => {
    log.write(`${redact(line)}\n`);
    for (const watch of watches) if (!watch.seen && line.includes(watch.text)) watch.seen = true;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  const streams = [child.stdout!, child.stderr!].map((stream) => readLines(stream, takeLine));
  const partials = () => streams.map((s) => s.partial()).filter((p) => p !== '');
  return {
    logTail: (lines = 30) => [...tail, ...partials()].slice(-lines),
    watchOutput: (text) => {
      // Lines already printed count too: a fast service may print before anyone watches.
      const inPartial = () => partials().some((line) => line.includes(text));
      const watch = { text, seen: tail.some((line) => line.includes(text)) || inPartial() };
      watches.push(watch);
      return () => watch.seen || inPartial();
    },
    flush: () => {
      for (const line of partials()) log.write(redact(line));
    },
  };
}

/** SIGTERM to the group, SIGKILL once `stopTimeoutMs` has passed; resolves when the group is gone. */
async function stopGroup(pid: number, stopTimeoutMs: number): Promise<StopOutcome> {
  const outcome = await signalUntilGone(pid, stopTimeoutMs);
  if (!groupAlive(pid)) liveGroups.delete(pid);
  return { how: outcome, stopTimeoutMs };
}

async function signalUntilGone(pid: number, stopTimeoutMs: number): Promise<StopOutcome['how']> {
  if (!groupAlive(pid)) return 'gone';
  signalGroup(pid, 'SIGTERM');
  const graceOver = await Promise.race([
    groupGone(pid).then(() => false),
    deadline(stopTimeoutMs).then(() => true),
  ]);
  if (!graceOver) return 'term';
  signalGroup(pid, 'SIGKILL');
  const gone = await Promise.race([
    groupGone(pid).then(() => true),
    deadline(AFTER_KILL_WAIT_MS).then(() => false),
  ]);
  return gone ? 'kill' : 'stuck';
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Polls until no live process of the group is left. */
async function groupGone(pid: number): Promise<void> {
  while (groupAlive(pid)) await delay(20);
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A timer that does not keep the gate alive once everything else is done. */
const deadline = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
