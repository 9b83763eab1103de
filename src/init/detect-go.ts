/**
 * Go services for `slo-gate init`: the main package (at the root or under cmd/NAME), built in a workflow
 * step of its own so that compiling does not count against the readiness timeout.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { readRepoFile, type StackGuess } from './stack-guess.js';

/** Names that usually mean "the server" when cmd/ holds several programs, after the module's own name. */
const SERVER_NAMES = ['server', 'api', 'web', 'app', 'service'];

/** True when `text` is a Go file of package main with func main, and not excluded from builds. */
export function isMainFile(text: string): boolean {
  // Generators at the root are often `package main` with `//go:build ignore`: never the service.
  if (/^\/\/(go:build|\s*\+build)\s+ignore\b/m.test(text)) return false;
  return /^package\s+main\b/m.test(text) && /^func\s+main\s*\(\s*\)/m.test(text);
}

function listDir(dir: string): { files: string[]; dirs: string[] } {
  try {
    const entries = readdirSync(dir, { withFileTypes: true });
    return {
      files: entries.filter((e) => e.isFile()).map((e) => e.name),
      dirs: entries
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort(),
    };
  } catch {
    return { files: [], dirs: [] };
  }
}

function holdsMain(dir: string, relative: string): boolean {
  return listDir(path.join(dir, relative)).files.some(
    (f) =>
      f.endsWith('.go') &&
      !f.endsWith('_test.go') &&
      isMainFile(readRepoFile(dir, path.join(relative, f)) ?? ''),
  );
}

/** The last element of the module path in go.mod (`module github.com/acme/shop` → "shop"). */
const moduleName = (goMod: string) => /^module\s+(\S+)/m.exec(goMod)?.[1]?.split('/').pop();

/**
 * The main packages of the module: "." when the root is one, else each cmd/NAME that is, the likeliest
 * server first (named like the module, then server, api, …, then alphabetical).
 */
export function findMainPackages(dir: string, goMod: string): string[] {
  if (holdsMain(dir, '.')) return ['.'];
  const names = listDir(path.join(dir, 'cmd')).dirs.filter((name) => holdsMain(dir, `cmd/${name}`));
  const preferred = [moduleName(goMod), ...SERVER_NAMES];
  const rank = (name: string) => {
    const at = preferred.indexOf(name);
    return at === -1 ? preferred.length : at;
  };
  return names.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((name) => `./cmd/${name}`);
}

export function fromGoModule(dir: string): StackGuess | undefined {
  const goMod = readRepoFile(dir, 'go.mod');
  if (goMod === undefined) return undefined;
  const packages = findMainPackages(dir, goMod);
  const main = packages[0] ?? '.';
  const binary = `bin/${main === '.' ? 'server' : path.basename(main)}`;
  const build = `go build -o ${binary} ${main}`;
  const warnings: string[] = [];
  if (packages.length === 0) {
    warnings.push(
      `no package main with func main() at the root or under cmd/*: set the package to build in the workflow's Build step (${build}) and the binary in service.command`,
    );
  } else if (packages.length > 1) {
    warnings.push(
      `several main packages (${packages.join(', ')}); building ${main}: if the service is another, change the workflow's Build step and service.command`,
    );
  }
  return {
    stack: 'go',
    command: `./${binary}`,
    port: 8080,
    env: { PORT: '8080' },
    source: packages.length > 0 ? `go.mod and the main package ${main}` : 'go.mod',
    setupSteps: [
      // setup-go caches modules and the build cache by default, keyed on go.sum.
      { name: 'Set up Go', uses: 'actions/setup-go@v5', with: { 'go-version-file': 'go.mod' } },
      { name: 'Build', run: build },
    ],
    notes: [`Built by the workflow's Build step; to run slo-gate locally, first: ${build}`],
    warnings,
  };
}
