/** `slo-gate init`: a starter slo-gate.yml and workflow, never overwriting a file that exists. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { detectStack } from './detect-stack.js';
import type { StackGuess } from './stack-guess.js';
import { starterConfig, starterWorkflow } from './templates.js';

export interface InitOutcome {
  guess: StackGuess;
  written: string[];
  /** Files that existed and were left as they are. */
  kept: string[];
}

export async function initRepository(dir: string): Promise<InitOutcome> {
  const guess = detectStack(dir);
  const files: [string, string][] = [
    ['slo-gate.yml', starterConfig(guess)],
    [path.join('.github', 'workflows', 'slo-gate.yml'), starterWorkflow(guess)],
  ];
  const outcome: InitOutcome = { guess, written: [], kept: [] };
  for (const [relative, text] of files) {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    try {
      // 'wx' fails if the file exists: checking and writing in one step, so nothing is ever overwritten.
      await writeFile(file, text, { flag: 'wx' });
      outcome.written.push(relative);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      outcome.kept.push(relative);
    }
  }
  return outcome;
}

/**
 * What to do after init, in one line. Nothing recognised is a warning, not a failure: init has written a
 * template the user is to edit, which is what they asked for, so the CLI still exits 0.
 */
export function nextStep(guess: StackGuess): string {
  if (guess.stack === 'unknown' && guess.warnings.length > 0) {
    return 'Nothing was recognised: edit service.command, the port and the endpoints in slo-gate.yml, and the steps in .github/workflows/slo-gate.yml, then run: npx slo-gate run';
  }
  return `The start command is a guess from ${guess.source}: check it, list your endpoints, then run: npx slo-gate run`;
}
