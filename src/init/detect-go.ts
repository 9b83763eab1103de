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

/** True when Go source listens for requests: net/http, a listener, or a common web or gRPC framework. */
export function servesRequests(text: string): boolean {
  return /"net\/http"|\bnet\.Listen\(|\bgin\.(New|Default)\(|\becho\.New\(|\bfiber\.New\(|\bgrpc\.NewServer\(/.test(
    text,
  );
}

/** The package at `relative`: whether it is a main package, and whether it serves requests. */
function inspectPackage(dir: string, relative: string): { main: boolean; serves: boolean } {
  const texts = listDir(path.join(dir, relative))
    .files.filter((f) => f.endsWith('.go') && !f.endsWith('_test.go'))
    .map((f) => readRepoFile(dir, path.join(relative, f)) ?? '');
  return { main: texts.some(isMainFile), serves: texts.some(servesRequests) };
}

/** The last element of the module path in go.mod (`module github.com/acme/shop` → "shop"). */
const moduleName = (goMod: string) => /^module\s+(\S+)/m.exec(goMod)?.[1]?.split('/').pop();

/**
 * The main packages of the module: "." when the root is one, else each cmd/NAME that is, the likeliest
 * server first: one that serves requests (cmd/ also holds migrations and tools), then one named like the
 * module, then server, api, …, then alphabetical.
 */
export function findMainPackages(dir: string, goMod: string): string[] {
  if (inspectPackage(dir, '.').main) return ['.'];
  const found = listDir(path.join(dir, 'cmd'))
    .dirs.map((name) => ({ name, ...inspectPackage(dir, `cmd/${name}`) }))
    .filter((p) => p.main);
  const preferred = [moduleName(goMod), ...SERVER_NAMES];
  // Every package that serves requests ranks before every one that does not.
  const rank = (p: { name: string; serves: boolean }) => {
    const at = preferred.indexOf(p.name);
    return (p.serves ? 0 : preferred.length + 1) + (at === -1 ? preferred.length : at);
  };
  return found
    .sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
    .map((p) => `./cmd/${p.name}`);
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
