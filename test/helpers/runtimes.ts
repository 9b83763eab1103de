/** What a machine has of the stacks the examples need, for tests that skip a stack outside CI only. */
import { spawnSync } from 'node:child_process';

/** True in CI, where every stack must run: a skip there would hide a package .ci/run failed to install. */
export const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';

/** True when the shell that runs service.command would find `command` on PATH. */
export function onPath(command: string): boolean {
  return spawnSync('/bin/sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' }).status === 0;
}

/**
 * The first Python that can import `module`: python3 on PATH, else Debian's /usr/bin/python3, where apt's
 * python3-* packages go (a pyenv python3 earlier on PATH does not see them). Undefined when neither can.
 */
export function pythonWith(module: string): string | undefined {
  return ['python3', '/usr/bin/python3'].find(
    (python) => spawnSync(python, ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0,
  );
}
