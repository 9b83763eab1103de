/**
 * Where a problem is in the YAML (or JSON) source: the node at a key path, its offset for line:col, and
 * yaml's own syntax errors said in the config's terms.
 */
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  type Document,
  type LineCounter,
  type Node,
  type YAMLError,
} from 'yaml';
import type { KeyPath, Problem } from './problem.js';

/** yaml's message, except where it speaks to programmers or can say which key. */
export function describeYamlError(
  doc: Document,
  error: YAMLError,
  lineCounter: LineCounter,
  language: 'YAML' | 'JSON',
): Omit<Problem, 'pointAt'> {
  if (error.code === 'DUPLICATE_KEY') {
    const duplicate = findDuplicateKey(doc, error.pos[0]);
    if (duplicate) {
      const { line } = lineCounter.linePos(duplicate.firstOffset);
      return { path: duplicate.path, text: `duplicate key; it is already set on line ${line}` };
    }
  }
  if (error.code === 'MULTIPLE_DOCS') {
    return { path: [], text: `invalid ${language}: expected one document, found a second one after "---"` };
  }
  const hint = YAML_HINTS[error.code];
  return {
    path: [],
    text: `invalid ${language}: ${error.message.split('\n')[0]}${hint ? ` (${hint})` : ''}`,
  };
}

/** yaml's words for two common slips do not name the slip. */
const YAML_HINTS: Partial<Record<YAMLError['code'], string>> = {
  MULTILINE_IMPLICIT_KEY: 'is a ":" missing after a key?',
  BLOCK_AS_IMPLICIT_KEY: 'quote a value that contains ": "',
};

/** The path of the key starting at `offset`, and where the same key first appears in its map. */
function findDuplicateKey(doc: Document, offset: number): { path: KeyPath; firstOffset: number } | undefined {
  const search = (node: unknown, at: KeyPath): { path: KeyPath; firstOffset: number } | undefined => {
    if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) {
        const found = search(item, [...at, index]);
        if (found) return found;
      }
    }
    if (!isMap(node)) return undefined;
    for (const pair of node.items) {
      const keyNode = isNode(pair.key) ? pair.key : undefined;
      const key = keyText(pair.key);
      if (keyNode?.range?.[0] === offset) {
        const first = node.items.find((other) => keyText(other.key) === key);
        const firstOffset = isNode(first?.key) ? first.key.range?.[0] : undefined;
        return firstOffset === undefined ? undefined : { path: [...at, key], firstOffset };
      }
      const found = search(pair.value, [...at, key]);
      if (found) return found;
    }
    return undefined;
  };
  return search(doc.contents, []);
}

function keyText(key: unknown): string {
  return isScalar(key) ? String(key.value) : String(key);
}

/** The node holding the value at `at` and the key node that names it, following aliases on the way. */
function locate(doc: Document, at: KeyPath): { value?: Node; key?: Node } {
  let node: unknown = doc.contents;
  let key: unknown;
  for (const part of at) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(part));
      if (!pair) return {};
      key = pair.key;
      node = pair.value;
    } else if (isSeq(node) && typeof part === 'number') {
      key = undefined;
      node = node.items[part];
    } else {
      return {};
    }
  }
  return { value: isNode(node) ? node : undefined, key: isNode(key) ? key : undefined };
}

/** The source offset `problem` points at, or undefined when it has no place of its own (the whole file). */
export function offsetOf(doc: Document, problem: Problem): number | undefined {
  if (problem.pointAt === 'parent') {
    // A missing key has no place of its own; the map that lacks it does, unless that is the whole file.
    return problem.path.length > 1 ? locate(doc, problem.path.slice(0, -1)).value?.range?.[0] : undefined;
  }
  const { value, key } = locate(doc, problem.path);
  if (problem.pointAt === 'key') return key?.range?.[0];
  // `key:` with nothing after it has an empty value at the end of the line: the key is what to look at.
  const empty = isScalar(value) && value.range?.[0] === value.range?.[1];
  return (empty ? undefined : value?.range?.[0]) ?? key?.range?.[0];
}
