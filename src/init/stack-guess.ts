/** What `slo-gate init` guesses about a repository, and the small helpers every per-stack detector shares. */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type Stack = 'node' | 'python' | 'go' | 'rust' | 'unknown';

/** One step of the generated workflow, before the gate runs: set up a toolchain, install, build. */
export interface WorkflowStep {
  name: string;
  uses?: string;
  with?: Record<string, string>;
  run?: string;
}

/** A detector's answer: how the service starts, and how sure the detector is. */
export interface StackGuess {
  stack: Stack;
  /** The start command, bound to 127.0.0.1 where the server allows it; the shell runs it. */
  command: string;
  port: number;
  /** Environment for the service (PORT, usually). */
  env: Record<string, string>;
  /** Where the guess came from, for the comment in the generated config. */
  source: string;
  /** Steps the CI job needs before the gate runs (set up, install, build), so none of it counts against
   * the readiness timeout. */
  setupSteps: WorkflowStep[];
  /** Comments for the generated config beside the command (how it is built, say). */
  notes: string[];
  /** What the guess could not find and the user must fix: printed by init and written into the config. */
  warnings: string[];
}

/** A file of the repository as text, or undefined when it is missing or unreadable. */
export function readRepoFile(dir: string, file: string): string | undefined {
  try {
    return readFileSync(path.join(dir, file), 'utf8');
  } catch {
    return undefined;
  }
}

/** A port named in a command ("PORT=4000", "--port 8001", "-b 0.0.0.0:5000"). */
export function portIn(command: string): number | undefined {
  const match =
    /\bPORT=(\d{2,5})\b/.exec(command) ??
    /--port[= ](\d{2,5})\b/.exec(command) ??
    /(?:-b|--bind)[= ]\S*:(\d{2,5})\b/.exec(command);
  return match ? Number(match[1]) : undefined;
}
