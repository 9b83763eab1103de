/** Finding a Go service's main package and building it in the workflow, not at boot (issue #14 item 11). */
import { describe, expect, it } from 'vitest';
import { isMainFile, servesRequests } from '../../src/init/detect-go.js';
import { detectStack } from '../../src/init/detect-stack.js';
import { repo } from './temp-repo.js';

const MAIN = 'package main\n\nimport "net/http"\n\nfunc main() {\n\thttp.ListenAndServe(":8080", nil)\n}\n';
const TOOL = 'package main\n\nimport "database/sql"\n\nfunc main() { sql.Drivers() }\n';
const GENERATOR = '//go:build ignore\n\npackage main\n\nfunc main() {}\n';
const GO_MOD = 'module github.com/acme/shop\n\ngo 1.23\n';

describe('isMainFile', () => {
  it.each([
    ['a main package with func main', MAIN, true],
    ['a generator excluded from builds', GENERATOR, false],
    ['an old-style build tag', '// +build ignore\n\npackage main\n\nfunc main() {}\n', false],
    ['a library package', 'package shop\n\nfunc main() {}\n', false],
    ['package main without func main', 'package main\n\nfunc helper() {}\n', false],
  ])('%s', (_name, text, expected) => expect(isMainFile(text)).toBe(expected));
});

describe('servesRequests', () => {
  it.each([
    ['net/http', MAIN, true],
    ['a raw listener', 'l, _ := net.Listen("tcp", addr)', true],
    ['gin', 'r := gin.Default()', true],
    ['gRPC', 's := grpc.NewServer()', true],
    ['a tool', TOOL, false],
  ])('%s', (_name, text, expected) => expect(servesRequests(text)).toBe(expected));
});

describe('detectStack for Go', () => {
  it.each([
    ['main at the root', { 'main.go': MAIN }, '.', 'bin/server', []],
    [
      'main under cmd/NAME',
      { 'cmd/api/main.go': MAIN, 'internal/x.go': 'package x\n' },
      './cmd/api',
      'bin/api',
      [],
    ],
    [
      'a generator at the root and the server under cmd/',
      { 'gen.go': GENERATOR, 'cmd/server/main.go': MAIN },
      './cmd/server',
      'bin/server',
      [],
    ],
    [
      'several programs: the one named like the module first',
      { 'cmd/migrate/main.go': MAIN, 'cmd/shop/main.go': MAIN, 'cmd/tool/tool_test.go': MAIN },
      './cmd/shop',
      'bin/shop',
      [expect.stringContaining('several main packages (./cmd/shop, ./cmd/migrate)')],
    ],
    [
      'a server and a tool under cmd/: the one that serves requests, whatever its name',
      { 'cmd/migrate/main.go': TOOL, 'cmd/shopd/main.go': MAIN },
      './cmd/shopd',
      'bin/shopd',
      [expect.stringContaining('several main packages (./cmd/shopd, ./cmd/migrate)')],
    ],
    [
      'no main package anywhere',
      { 'shop.go': 'package shop\n', 'cmd/tool/tool_test.go': MAIN },
      '.',
      'bin/server',
      [expect.stringContaining('no package main with func main() at the root or under cmd/*')],
    ],
  ])('%s', (_name, files, main, binary, warnings) => {
    const guess = detectStack(repo({ 'go.mod': GO_MOD, ...files }));
    // The binary is built by a workflow step before the gate: compiling must not eat the readiness timeout.
    expect(guess).toMatchObject({ stack: 'go', command: `./${binary}`, port: 8080, warnings });
    expect(guess.command).not.toContain('go build');
    expect(guess.setupSteps.map((s) => s.run ?? s.uses)).toEqual([
      'actions/setup-go@v5',
      `go build -o ${binary} ${main}`,
    ]);
    expect(guess.setupSteps[0]!.with).toEqual({ 'go-version-file': 'go.mod' });
  });
});
