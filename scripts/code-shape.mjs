// The shape of src/: functions longer than a limit, files longer than a limit, and import cycles.
// `node scripts/code-shape.mjs [--fn 80] [--file 350]` prints them and exits 1 when any limit is broken,
// so the measures issue #13 set stay measured (test/code-shape.test.ts runs it).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return sourceFiles(file);
    return file.endsWith('.ts') && !file.endsWith('.d.ts') ? [file] : [];
  });
}

/** Every function-like node with its name and length in lines. */
function functionsOf(file) {
  const text = readFileSync(file, 'utf8');
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found = [];
  const lineOf = (pos) => sf.getLineAndCharacterOfPosition(pos).line;
  const nameOf = (node) => {
    if (node.name) return node.name.getText(sf);
    const parent = node.parent;
    if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText(sf);
    if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText(sf);
    return '(anonymous)';
  };
  const visit = (node) => {
    if (ts.isFunctionLike(node) && node.body) {
      const lines = lineOf(node.getEnd()) - lineOf(node.getStart(sf)) + 1;
      found.push({ file, name: nameOf(node), lines, line: lineOf(node.getStart(sf)) + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { functions: found, lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0), sf };
}

function importsOf(file, sf) {
  const out = [];
  for (const statement of sf.statements) {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) continue;
    const spec = statement.moduleSpecifier?.text;
    if (!spec || !spec.startsWith('.')) continue;
    out.push(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')));
  }
  return out;
}

/** Import cycles among src/ files, each as a list of relative paths (type-only imports included). */
function cyclesOf(graph) {
  const cycles = [];
  const state = new Map();
  const stack = [];
  const visit = (node) => {
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!graph.has(next)) continue;
      if (state.get(next) === 'open') cycles.push(stack.slice(stack.indexOf(next)).concat(next));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return cycles;
}

export function codeShape(srcDir = path.join(ROOT, 'src')) {
  const files = sourceFiles(srcDir);
  const functions = [];
  const fileLines = [];
  const graph = new Map();
  for (const file of files) {
    const shape = functionsOf(file);
    functions.push(...shape.functions);
    fileLines.push({ file, lines: shape.lines });
    graph.set(file, importsOf(file, shape.sf));
  }
  const rel = (f) => path.relative(ROOT, f);
  return {
    functions: functions.map((f) => ({ ...f, file: rel(f.file) })).sort((a, b) => b.lines - a.lines),
    files: fileLines.map((f) => ({ ...f, file: rel(f.file) })).sort((a, b) => b.lines - a.lines),
    cycles: cyclesOf(graph).map((c) => c.map(rel)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (flag, fallback) => {
    const i = process.argv.indexOf(flag);
    return i > 0 ? Number(process.argv[i + 1]) : fallback;
  };
  const fnLimit = arg('--fn', 80);
  const fileLimit = arg('--file', 350);
  const shape = codeShape();
  const longFns = shape.functions.filter((f) => f.lines > fnLimit);
  const longFiles = shape.files.filter((f) => f.lines > fileLimit);
  console.log(`functions over 60 lines: ${shape.functions.filter((f) => f.lines > 60).length}`);
  console.log(`functions over ${fnLimit} lines: ${longFns.length}`);
  for (const f of shape.functions.filter((f) => f.lines > 60))
    console.log(`  ${f.lines}\t${f.file}:${f.line} ${f.name}`);
  console.log(`files over ${fileLimit} lines: ${longFiles.length}`);
  for (const f of longFiles) console.log(`  ${f.lines}\t${f.file}`);
  console.log(`longest file: ${shape.files[0].lines} ${shape.files[0].file}`);
  console.log(`import cycles: ${shape.cycles.length}`);
  for (const c of shape.cycles) console.log(`  ${c.join(' → ')}`);
  process.exitCode = longFns.length || longFiles.length || shape.cycles.length ? 1 : 0;
}
