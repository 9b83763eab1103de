// Installs the Node 24 binary (the Action's runtime) into tools/node24/node_modules, unless the pinned
// version is already there. A development step (`npm run node24`, and `pretest`), never an install script of
// the published package: users of the CLI download nothing at install time.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.dirname(fileURLToPath(import.meta.url));
const binary = path.join(dir, 'node_modules', 'node', 'bin', 'node');
const pinned = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).devDependencies.node;

function installedVersion() {
  if (!existsSync(binary)) return undefined;
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8' }).trim().replace(/^v/, '');
  } catch {
    // A half-written binary from an interrupted install: install again.
    return undefined;
  }
}

const found = installedVersion();
if (found !== pinned) {
  console.error(`tools/node24: installing Node ${pinned}${found ? ` (found ${found})` : ''}`);
  // npm is npm.cmd on Windows, which only a shell runs.
  execFileSync('npm', ['ci', '--prefix', dir, '--no-audit', '--no-fund'], {
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  const installed = installedVersion();
  if (installed !== pinned) {
    console.error(
      `tools/node24: expected Node ${pinned} at ${binary} after npm ci, found ${installed ?? 'none'}`,
    );
    process.exit(1);
  }
}
