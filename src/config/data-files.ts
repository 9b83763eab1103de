/**
 * Reads a data set's file into rows, or throws a config error naming the file and line. CSV (RFC 4180 with
 * a header row, by csv-parse), JSON Lines (one object a line) and a JSON list of objects.
 *
 * Synchronous on purpose: it runs once, while the config is checked, before anything boots.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { LineCounter, parseDocument } from 'yaml';
import { configError } from '../errors.js';

/** One row: field name → value. CSV values are strings; JSON keeps its types. */
export type DataRow = Readonly<Record<string, unknown>>;

/** A data file's rows, and the line each starts on (for messages). */
export interface DataFile {
  rows: DataRow[];
  /** 1-based line of each row in the file. */
  lines: number[];
}

/** `shownAs` names the file in messages (as the config wrote it). */
export function readDataFile(file: string, shownAs: string): DataFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code);
    throw configError(`${shownAs}: cannot read the data file: ${reason}`);
  }
  if (/\.csv$/i.test(file)) return readCsv(text, shownAs);
  if (/\.jsonl$/i.test(file)) return readJsonLines(text, shownAs);
  return readJsonList(text, shownAs);
}

function readCsv(text: string, shownAs: string): DataFile {
  if (text.replace(/^\uFEFF/, '').trim() === '')
    throw configError(`${shownAs}:1: the CSV is empty; expected a header row naming the columns`);
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parseCsv(text, {
      bom: true,
      columns: (header: string[]) => checkedHeader(header, shownAs),
      skip_empty_lines: true,
      info: true,
    });
  } catch (error) {
    const e = error as Error & { lines?: number };
    if (e.message.startsWith(shownAs)) throw error;
    throw configError(
      `${shownAs}:${e.lines ?? 1}: invalid CSV: ${e.message.replace(/^Invalid Record Length: /, '')}`,
    );
  }
  // info.lines is the line the record ends on; a record spanning lines is rare enough to name its end.
  return { rows: records.map((r) => r.record), lines: records.map((r) => r.info.lines) };
}

function checkedHeader(header: string[], shownAs: string): string[] {
  const seen = new Set<string>();
  for (const [i, name] of header.entries()) {
    if (name.trim() === '')
      throw configError(
        `${shownAs}:1: column ${i + 1} of the header row has no name; the first row must name every column`,
      );
    if (seen.has(name))
      throw configError(
        `${shownAs}:1: the header row names "${name}" twice; the first row must name each column once`,
      );
    seen.add(name);
  }
  return header;
}

function readJsonLines(text: string, shownAs: string): DataFile {
  const rows: DataRow[] = [];
  const lines: number[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw configError(`${shownAs}:${i + 1}: invalid JSON: ${(error as Error).message}`);
    }
    if (!isObject(value)) throw configError(`${shownAs}:${i + 1}: expected a JSON object on each line`);
    rows.push(value);
    lines.push(i + 1);
  }
  return { rows, lines };
}

function readJsonList(text: string, shownAs: string): DataFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(`${shownAs}: invalid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(value)) throw configError(`${shownAs}:1: expected a JSON list of objects`);
  const lines = lineOfItems(text, value.length);
  const bad = value.findIndex((item) => !isObject(item));
  if (bad >= 0) throw configError(`${shownAs}:${lines[bad]}: expected a JSON object, item ${bad} is not`);
  return { rows: value as DataRow[], lines };
}

/** Lines of the list's items: JSON is YAML, and yaml's parser keeps positions. */
function lineOfItems(text: string, count: number): number[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const items = (doc.contents as { items?: { range?: [number] }[] } | null)?.items ?? [];
  return Array.from({ length: count }, (_, i) => {
    const offset = items[i]?.range?.[0];
    return offset === undefined ? 1 : lineCounter.linePos(offset).line;
  });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
