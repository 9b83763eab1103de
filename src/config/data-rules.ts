/**
 * Request data and templates, checked before anything boots (issue #10 part 1): every `{{ }}` parses and
 * names a data set, a built-in or (part 2) a captured value; every data file reads; every row has the
 * fields the templates use. Returns the compiled templates and the read data sets.
 */
import path from 'node:path';
import { configError } from '../errors.js';
import { readDataFile, type DataFile } from './data-files.js';
import { formatPath } from './expand-env.js';
import type { KeyPath, Problem } from './problem.js';
import type { RawConfig } from './schema.js';
import { hasTemplate, parseTemplate, slotsOf, TemplateError, type Template } from './template.js';
import type { BodySlot, DataSetConfig, EndpointTemplates } from './types.js';

type RawEndpoint = RawConfig['endpoints'][number];

/** The compiled templates of each endpoint (undefined for a fixed one), or the first problem. */
export type TemplateCheck =
  { ok: true; templates: (EndpointTemplates | undefined)[] } | { ok: false; problem: Problem };

/** Where a template was written, and what it is. */
export interface Placed {
  path: KeyPath;
  template: Template;
}

/**
 * Parses every endpoint's templates and checks the names in them. `captured` are the names setup requests
 * capture (part 2; none yet).
 */
export function checkTemplates(raw: RawConfig, captured: ReadonlySet<string> = new Set()): TemplateCheck {
  const dataSets = new Set(Object.keys(raw.data ?? {}));
  const templates: (EndpointTemplates | undefined)[] = [];
  for (const [index, endpoint] of raw.endpoints.entries()) {
    let compiled: ReturnType<typeof compileEndpoint>;
    try {
      compiled = compileEndpoint(endpoint, ['endpoints', index]);
    } catch (error) {
      if (error instanceof PlacedTemplateError) return { ok: false, problem: error.problem };
      throw error;
    }
    for (const placed of compiled?.placed ?? []) {
      const problem = unknownName(placed, dataSets, captured);
      if (problem) return { ok: false, problem };
    }
    templates.push(compiled?.templates);
  }
  return { ok: true, templates };
}

/** A template that does not parse, placed at its key. */
export class PlacedTemplateError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.text);
  }
}

function parsedAt(text: string, at: KeyPath): Template {
  try {
    return parseTemplate(text);
  } catch (error) {
    if (error instanceof TemplateError)
      throw new PlacedTemplateError({ path: at, text: error.message, pointAt: 'value' });
    throw error;
  }
}

/** The first name a template uses that no data set or capture defines, as a problem at its key. */
export function unknownName(
  placed: Placed,
  dataSets: Set<string>,
  captured: ReadonlySet<string>,
): Problem | undefined {
  for (const slot of slotsOf(placed.template)) {
    if (slot.kind === 'field' && !dataSets.has(slot.set)) {
      const known = dataSets.size ? `it defines ${[...dataSets].join(', ')}` : 'there is no `data` key';
      return {
        path: placed.path,
        text: `"{{ ${slot.set}.${slot.field} }}" names data set "${slot.set}", which \`data\` does not define (${known})`,
        pointAt: 'value',
      };
    }
    if (slot.kind === 'name' && !captured.has(slot.name)) {
      return {
        path: placed.path,
        text: `"{{ ${slot.name} }}" is unknown: a template names a data field (set.field), a built-in (seq, uuid, random-int A B) or a captured value`,
        pointAt: 'value',
      };
    }
  }
  return undefined;
}

/** The request parts a template may be in: an endpoint's, or a setup step's. */
type RequestParts = Pick<RawEndpoint, 'path' | 'headers' | 'body'>;

/** An endpoint's (or setup step's) templates compiled, with where each was written; undefined if none. */
export function compileEndpoint(
  endpoint: RequestParts,
  at: KeyPath,
): { templates: EndpointTemplates; placed: Placed[] } | undefined {
  const placed: Placed[] = [];
  const take = (text: string, where: KeyPath): Template => {
    const template = parsedAt(text, where);
    placed.push({ path: where, template });
    return template;
  };
  const path = hasTemplate(endpoint.path) ? take(endpoint.path, [...at, 'path']) : undefined;
  const headers: Record<string, Template> = {};
  for (const [name, value] of Object.entries(endpoint.headers ?? {})) {
    if (hasTemplate(value)) headers[name] = take(value, [...at, 'headers', name]);
  }
  const body = compileBody(endpoint, (text, where) => take(text, [...at, 'body', ...where]));
  if (placed.length === 0) return undefined;
  const dataSets = [
    ...new Set(
      placed.flatMap((p) => slotsOf(p.template)).flatMap((s) => (s.kind === 'field' ? [s.set] : [])),
    ),
  ];
  return { templates: { path, headers, body, dataSets }, placed };
}

/** Sentinel for a templated string inside JSON.stringify's output; NUL cannot come from YAML text. */
const SLOT_MARK = '\u0000slot';
const SLOT_IN_JSON = /"\\u0000slot(\d+)"/;

function compileBody(
  endpoint: RequestParts,
  take: (text: string, where: KeyPath) => Template,
): (string | BodySlot)[] | undefined {
  const { body } = endpoint;
  if (body === undefined) return undefined;
  if (typeof body === 'string') {
    return hasTemplate(body)
      ? take(body, []).map((part) => (typeof part === 'string' ? part : { template: [part], as: 'raw' }))
      : undefined;
  }
  const contentType = Object.entries(endpoint.headers ?? {}).find(
    ([k]) => k.toLowerCase() === 'content-type',
  )?.[1];
  const isForm =
    !Array.isArray(body) &&
    contentType?.split(';')[0]?.trim().toLowerCase() === 'application/x-www-form-urlencoded';
  return isForm ? compileForm(body, take) : compileJson(body, take);
}

function compileJson(
  body: unknown,
  take: (text: string, where: KeyPath) => Template,
): (string | BodySlot)[] | undefined {
  const slots: BodySlot[] = [];
  const marked = JSON.stringify(body, function (this: unknown, key: string, value: unknown) {
    const at = keyPathOf(this, key);
    if (typeof value === 'object' && value !== null) pathOfHolder.set(value, at);
    if (typeof value !== 'string' || !hasTemplate(value)) return value;
    slots.push({ template: take(value, at), as: 'json' });
    return `${SLOT_MARK}${slots.length - 1}`;
  });
  if (slots.length === 0) return undefined;
  const pieces = marked.split(SLOT_IN_JSON);
  // split with a capture group alternates literal JSON text and slot indexes.
  return pieces.map((piece, i) => (i % 2 === 0 ? piece : slots[Number(piece)]!)).filter((p) => p !== '');
}

/** JSON.stringify's replacer gives the key only; the full path is rebuilt for the message's position. */
const pathOfHolder = new WeakMap<object, KeyPath>();
function keyPathOf(holder: unknown, key: string): KeyPath {
  const base = (typeof holder === 'object' && holder !== null && pathOfHolder.get(holder)) || [];
  const step = Array.isArray(holder) ? Number(key) : key;
  return key === '' ? base : [...base, step];
}

function compileForm(
  body: Record<string, unknown>,
  take: (text: string, where: KeyPath) => Template,
): (string | BodySlot)[] | undefined {
  const parts: (string | BodySlot)[] = [];
  let templated = false;
  for (const [key, value] of Object.entries(body)) {
    const items = Array.isArray(value)
      ? value.map((v, i) => ({ v, where: [key, i] }))
      : [{ v: value, where: [key] }];
    for (const { v, where } of items) {
      if (parts.length > 0) parts.push('&');
      parts.push(`${new URLSearchParams({ [key]: '' }).toString()}`);
      if (typeof v === 'string' && hasTemplate(v)) {
        templated = true;
        parts.push({ template: take(v, where), as: 'form' });
      } else parts.push(new URLSearchParams({ k: String(v) }).toString().slice(2));
    }
  }
  return templated ? parts : undefined;
}

/**
 * Reads the data sets the config defines (at `source`), relative to its folder, and checks every row has each field the
 * templates use. Throws a config error naming the data file and line.
 */
export function readDataSets(
  raw: RawConfig,
  templates: readonly (EndpointTemplates | undefined)[],
  source: string,
  setupTemplates: readonly (EndpointTemplates | undefined)[] = [],
): Record<string, DataSetConfig> | undefined {
  if (!raw.data) return undefined;
  const uses = fieldUses(templates, 'endpoints');
  for (const [set, list] of fieldUses(setupTemplates, 'setup'))
    uses.set(set, [...(uses.get(set) ?? []), ...list]);
  const sets: Record<string, DataSetConfig> = {};
  for (const [name, { file, order }] of Object.entries(raw.data)) {
    // Named in messages as the config file is named, so the user finds it from where they ran slo-gate.
    const shownAs = path.join(path.dirname(source), file);
    const data = readDataFile(path.resolve(path.dirname(path.resolve(source)), file), shownAs);
    if (data.rows.length === 0) throw configError(`${shownAs}: data set "${name}" has no rows`);
    checkRows(data, shownAs, uses.get(name) ?? []);
    sets[name] = { name, file, order, rows: data.rows };
  }
  return sets;
}

interface FieldUse {
  field: string;
  at: KeyPath;
  /** In a header: a CR or LF in the value would split the request. */
  inHeader: boolean;
}

function fieldUses(
  templates: readonly (EndpointTemplates | undefined)[],
  key: 'endpoints' | 'setup',
): Map<string, FieldUse[]> {
  const uses = new Map<string, FieldUse[]>();
  const note = (template: Template | undefined, at: KeyPath, inHeader = false) => {
    for (const slot of slotsOf(template ?? [])) {
      if (slot.kind !== 'field') continue;
      const list = uses.get(slot.set) ?? [];
      list.push({ field: slot.field, at, inHeader });
      uses.set(slot.set, list);
    }
  };
  for (const [i, t] of templates.entries()) {
    if (!t) continue;
    note(t.path, [key, i, 'path']);
    for (const [name, template] of Object.entries(t.headers)) note(template, [key, i, 'headers', name], true);
    for (const part of t.body ?? []) if (typeof part !== 'string') note(part.template, [key, i, 'body']);
  }
  return uses;
}

function checkRows(data: DataFile, file: string, uses: FieldUse[]): void {
  for (const [r, row] of data.rows.entries()) {
    for (const use of uses) {
      const value = row[use.field];
      const line = data.lines[r];
      if (value === undefined || value === null) {
        const columns =
          r === 0 && /\.csv$/i.test(file) ? ` (the header row names ${Object.keys(row).join(', ')})` : '';
        throw configError(
          `${file}:${line}: the row has no field "${use.field}"${columns}, which ${formatPath(use.at)} uses`,
        );
      }
      if (use.inHeader && typeof value === 'string' && /[\r\n]/.test(value)) {
        throw configError(
          `${file}:${line}: field "${use.field}" has a line break, which cannot go in ${formatPath(use.at)}`,
        );
      }
    }
  }
}
