/**
 * What the next request is (issue #10): rows taken from data sets, `{{ }}` templates filled, the request's
 * bytes built. Pure given its random source: no socket, no clock.
 *
 * A fixed endpoint never comes here: GateClient sends its one prebuilt buffer. A templated one is built per
 * request from parts compiled at config time (config/data-rules.ts), so the hot path is a loop of string
 * appends and one Buffer.from.
 *
 * Captured values (setup requests, part 2) are one more slot kind, looked up in a map given to
 * `RequestSource`. Where part 3 plugs in: a mixed load picks which endpoint's source to call, by weight, before calling
 * `next`. The data cursors are shared by every source of a run, so `unique` never reuses a row anywhere.
 */
import { randomUUID } from 'node:crypto';
import type { DataOrder, DataSetConfig, EndpointTemplates } from '../config/types.js';
import type { Slot, Template } from '../config/template.js';
import { isWholeSlot } from '../config/template.js';
import { requestHeaders } from './gate-client.js';

/** A number in [0, 1), as Math.random; tests pass a seeded one. */
export type RandomSource = () => number;

type Row = Readonly<Record<string, unknown>>;

/** Where each data set stands: shared by every endpoint and round of one run. */
export class DataCursors {
  private readonly positions = new Map<string, number>();
  private readonly seqs = new Map<string, number>();
  /** Data sets that ran out (order: unique), in the order they did. */
  readonly exhausted = new Set<string>();

  constructor(
    private readonly sets: Readonly<Record<string, DataSetConfig>>,
    readonly random: RandomSource = Math.random,
  ) {}

  /** The next row of `set`, or undefined when a unique set has none left. */
  take(set: string): Row | undefined {
    const { rows, order } = this.sets[set]!;
    if (order === 'random') return rows[Math.floor(this.random() * rows.length)];
    const position = this.positions.get(set) ?? 0;
    if (order === 'unique' && position >= rows.length) {
      this.exhausted.add(set);
      return undefined;
    }
    this.positions.set(set, position + 1);
    return rows[position % rows.length];
  }

  /** The next request number of `key` (an endpoint), from 1, over the whole run. */
  nextSeq(key: string): number {
    const seq = (this.seqs.get(key) ?? 0) + 1;
    this.seqs.set(key, seq);
    return seq;
  }

  describe(set: string): { set: string; rows: number; order: DataOrder } {
    const { rows, order } = this.sets[set]!;
    return { set, rows: rows.length, order };
  }
}

/** What one endpoint sends, against one base URL. */
export interface RequestShape {
  /** Distinguishes endpoints' `seq` counters. */
  name: string;
  method: string;
  /** The base URL the path is relative to (a target, or the baseline's). */
  target: string;
  /** As written (used as is when it has no template). */
  path: string;
  headers: Record<string, string>;
  body?: string;
  templates: EndpointTemplates;
}

/** The values of one request: one row per data set, the request number, the captured values. */
export interface Fill {
  rows: Map<string, Row>;
  seq: number;
  random: RandomSource;
  /** Values captured by setup requests, by name (config/setup-rules.ts checked every name is there). */
  captured: ReadonlyMap<string, string>;
}

const NONE_CAPTURED: ReadonlyMap<string, string> = new Map();

export class RequestSource {
  private readonly head: string;
  private readonly base: string;
  private readonly fixedPath: string;
  private readonly headerLines: string;
  private readonly templatedHeaders: [string, Template][];

  constructor(
    private readonly shape: RequestShape,
    private readonly cursors: DataCursors,
    private readonly captured: ReadonlyMap<string, string> = NONE_CAPTURED,
  ) {
    const url = new URL(shape.target);
    // A target with a path of its own (http://host/api) prefixes every endpoint's path, as target + path does.
    this.base = url.pathname.replace(/\/+$/, '');
    this.fixedPath = new URL(shape.target + shape.path).pathname + new URL(shape.target + shape.path).search;
    this.head = `${shape.method} `;
    const fixed = requestHeaders(shape.headers);
    for (const name of Object.keys(shape.templates.headers)) delete fixed[name];
    const hasHost = Object.keys(shape.headers).some((name) => name.toLowerCase() === 'host');
    // The same lines autocannon's request builder writes, so a templated request differs only in its values.
    this.headerLines =
      (hasHost ? '' : `Host: ${url.host}\r\n`) +
      'Connection: keep-alive\r\n' +
      Object.entries(fixed)
        .map(([name, value]) => `${name}: ${value}\r\n`)
        .join('');
    this.templatedHeaders = Object.entries(shape.templates.headers);
  }

  /** The next request's bytes, or undefined when a `unique` data set has run out. */
  next(): Buffer | undefined {
    const rows = new Map<string, Row>();
    for (const set of this.shape.templates.dataSets) {
      const row = this.cursors.take(set);
      if (!row) return undefined;
      rows.set(set, row);
    }
    const fill: Fill = {
      rows,
      seq: this.cursors.nextSeq(this.shape.name),
      random: this.cursors.random,
      captured: this.captured,
    };
    const { templates } = this.shape;
    const path = templates.path
      ? this.base + renderText(templates.path, fill, encodeURIComponent)
      : this.fixedPath;
    let request = `${this.head}${path} HTTP/1.1\r\n${this.headerLines}`;
    for (const [name, template] of this.templatedHeaders)
      request += `${name}: ${renderText(template, fill, same)}\r\n`;
    const body = templates.body ? renderBody(templates.body, fill) : this.shape.body;
    if (body) request += `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    else request += '\r\n';
    return Buffer.from(request);
  }
}

const same = (text: string) => text;

/** A slot's value: numbers stay numbers, a field keeps its row's type. */
export function slotValue(slot: Slot, fill: Fill): unknown {
  switch (slot.kind) {
    case 'field':
      return fill.rows.get(slot.set)![slot.field];
    case 'seq':
      return fill.seq;
    case 'uuid':
      return randomUUID();
    case 'random-int':
      return slot.min + Math.floor(fill.random() * (slot.max - slot.min + 1));
    case 'name': {
      const value = fill.captured.get(slot.name);
      // Config checks that an earlier setup step captures the name, and a step that captures nothing fails.
      if (value === undefined) throw new Error(`no value for {{ ${slot.name} }}`);
      return value;
    }
  }
}

/** As text: strings as they are, other JSON values as JSON. */
export function asText(value: unknown): string {
  return typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

/** The template filled as text, each value passed through `encode` (URL-encoding in a path). */
export function renderText(template: Template, fill: Fill, encode: (text: string) => string): string {
  let text = '';
  for (const part of template)
    text += typeof part === 'string' ? part : encode(asText(slotValue(part, fill)));
  return text;
}

const formEncode = (text: string) => encodeURIComponent(text).replace(/%20/g, '+');

/** A body's literal text and its slots, filled: a JSON slot that is one whole template keeps its type. */
export function renderBody(parts: NonNullable<EndpointTemplates['body']>, fill: Fill): string {
  let body = '';
  for (const part of parts) {
    if (typeof part === 'string') body += part;
    else if (part.as === 'raw') body += renderText(part.template, fill, same);
    // The whole value is encoded, its literal text too: a form value is one encoded string.
    else if (part.as === 'form') body += formEncode(renderText(part.template, fill, same));
    else if (isWholeSlot(part.template))
      body += JSON.stringify(slotValue(part.template[0] as Slot, fill)) ?? 'null';
    else body += JSON.stringify(renderText(part.template, fill, same));
  }
  return body;
}
