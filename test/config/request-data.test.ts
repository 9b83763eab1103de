/** `data` and `{{ }}` in slo-gate.yml: read from real files in a temp folder, every bad form one line. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';
import { GateError } from '../../src/errors.js';

const dir = mkdtempSync(path.join(tmpdir(), 'slo-gate-data-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const source = path.join(dir, 'slo-gate.yml');

const files: Record<string, string> = {
  'users.csv': 'id,name\n1,ann\n2,"bo, b"\n',
  'items.jsonl': '{"id": 7, "tag": "007"}\n\n{"id": 8, "tag": "x"}\n',
  'list.json': '[\n  {"id": 1},\n  {"id": 2},\n  {"other": 3}\n]\n',
  'empty.csv': '',
  'short.csv': 'id,name\n1,ann\n2\n',
  'blank-header.csv': 'id,\n1,2\n',
  'nl.csv': 'id,name\n1,"a\nb"\n',
  'bad.jsonl': '{"id": 1}\n{"id": \n',
  'notalist.json': '{"id": 1}',
};
for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);

const config = (data: string, endpoint: string) =>
  `target: http://127.0.0.1:3000\n${data ? `data:\n${data}\n` : ''}endpoints:\n${endpoint}\n`;

function errorOf(text: string): string {
  try {
    parseConfig(text, source, {});
  } catch (error) {
    expect(error).toBeInstanceOf(GateError);
    return (error as Error).message;
  }
  throw new Error('no config error');
}

describe('data and templates: accepted', () => {
  it('reads CSV, JSON Lines and JSON lists, and compiles an endpoint with templates', () => {
    const c = parseConfig(
      config(
        '  users: { file: users.csv }\n  items: { file: items.jsonl, order: unique }\n  list: { file: list.json, order: random }',
        "  - path: /u/{{ users.id }}\n    headers: { x-name: '{{ users.name }}' }\n    method: POST\n    body: { item: '{{ items.id }}', n: 1 }",
      ),
      source,
      {},
    );
    expect(c.data?.users).toEqual({
      name: 'users',
      file: 'users.csv',
      order: 'sequential',
      rows: [
        { id: '1', name: 'ann' },
        { id: '2', name: 'bo, b' },
      ],
    });
    expect(c.data?.items?.rows).toEqual([
      { id: 7, tag: '007' },
      { id: 8, tag: 'x' },
    ]);
    expect(c.data?.list?.order).toBe('random');
    const t = c.endpoints[0]!.templates!;
    expect(t.dataSets).toEqual(['users', 'items']);
    expect(t.body).toEqual([
      '{"item":',
      { template: [{ kind: 'field', set: 'items', field: 'id' }], as: 'json' },
      ',"n":1}',
    ]);
    expect(Object.keys(t.headers)).toEqual(['x-name']);
  });

  it('maps a config without data or templates exactly as before: no new keys', () => {
    const c = parseConfig(config('', '  - path: /items'), source, {});
    expect('data' in c).toBe(false);
    expect('templates' in c.endpoints[0]!).toBe(false);
  });

  it('leaves ${VAR} to the environment, once, and {{ }} to each request', () => {
    const c = parseConfig(config('', "  - path: /n/{{ seq }}\n    headers: { x-k: '${KEY}' }"), source, {
      KEY: 'secret-value',
    });
    expect(c.endpoints[0]!.headers['x-k']).toBe('secret-value');
    expect(c.endpoints[0]!.templates?.path).toEqual(['/n/', { kind: 'seq' }]);
  });
});

describe('data and templates: config errors, before anything boots', () => {
  it.each([
    {
      name: 'an unknown data set, with the key and its position',
      data: '  users: { file: users.csv }',
      endpoint: '  - path: /u/{{ people.id }}',
      error: `${source}:5:11: endpoints[0].path: "{{ people.id }}" names data set "people", which \`data\` does not define (it defines users)`,
    },
    {
      name: 'a data set with no data key',
      data: '',
      endpoint: "  - path: /u\n    headers: { x-a: '{{ users.id }}' }",
      error: `${source}:4:21: endpoints[0].headers.x-a: "{{ users.id }}" names data set "users", which \`data\` does not define (there is no \`data\` key)`,
    },
    {
      name: 'an unknown bare name (not a built-in, no captured value)',
      data: '',
      endpoint: "  - path: /u\n    method: POST\n    body: { token: 'x{{ tokn }}' }",
      error: `${source}:5:20: endpoints[0].body.token: "{{ tokn }}" is unknown: a template names a data field (set.field), a built-in (seq, uuid, random-int A B) or a captured value`,
    },
    {
      name: 'a template that does not parse',
      data: '',
      endpoint: '  - path: /u/{{ random-int 9 1 }}',
      error: `${source}:3:11: endpoints[0].path: "{{ random-int 9 1 }}": random-int's first number must not exceed its second`,
    },
    {
      name: 'a bad order',
      data: '  users: { file: users.csv, order: shuffled }',
      endpoint: '  - path: /u',
      error: `${source}:3:36: data.users.order: expected one of sequential, random, unique, got "shuffled"`,
    },
    {
      name: 'a missing file',
      data: '  users: { file: nope.csv }',
      endpoint: '  - path: /u/{{ users.id }}',
      error: `${dir}/nope.csv: cannot read the data file: no such file`,
    },
    {
      name: 'a CSV with no header row',
      data: '  users: { file: empty.csv }',
      endpoint: '  - path: /u/{{ users.id }}',
      error: `${dir}/empty.csv:1: the CSV is empty; expected a header row naming the columns`,
    },
    {
      name: 'a header row that does not name the column a template uses',
      data: '  users: { file: users.csv }',
      endpoint: '  - path: /u/{{ users.email }}',
      error: `${dir}/users.csv:2: the row has no field "email" (the header row names id, name), which endpoints[0].path uses`,
    },
    {
      name: 'a header cell with no name',
      data: '  users: { file: blank-header.csv }',
      endpoint: '  - path: /u/{{ users.id }}',
      error: `${dir}/blank-header.csv:1: column 2 of the header row has no name; the first row must name every column`,
    },
    {
      name: 'a CSV row short of fields',
      data: '  users: { file: short.csv }',
      endpoint: '  - path: /u/{{ users.id }}',
      error: `${dir}/short.csv:3: invalid CSV:`,
    },
    {
      name: 'a JSON list item missing a field, with its line',
      data: '  list: { file: list.json }',
      endpoint: '  - path: /u/{{ list.id }}',
      error: `${dir}/list.json:4: the row has no field "id", which endpoints[0].path uses`,
    },
    {
      name: 'a JSON Lines line that is not JSON',
      data: '  items: { file: bad.jsonl }',
      endpoint: '  - path: /u/{{ items.id }}',
      error: `${dir}/bad.jsonl:2: invalid JSON:`,
    },
    {
      name: 'a .json that is not a list',
      data: '  items: { file: notalist.json }',
      endpoint: '  - path: /u/{{ items.id }}',
      error: `${dir}/notalist.json:1: expected a JSON list of objects`,
    },
    {
      name: 'a line break in a value that goes in a header',
      data: '  users: { file: nl.csv }',
      endpoint: "  - path: /u\n    headers: { x-n: '{{ users.name }}' }",
      error: `${dir}/nl.csv:3: field "name" has a line break, which cannot go in endpoints[0].headers.x-n`,
    },
    {
      name: 'a file type that is not data',
      data: '  users: { file: users.txt }',
      endpoint: '  - path: /u',
      error: `${source}:3:18: data.users.file: expected a .csv (with a header row), .jsonl or .json (a list of objects) file, got "users.txt"`,
    },
  ])('$name', ({ data, endpoint, error }) => {
    const message = errorOf(config(data, endpoint));
    expect(message.startsWith(error), message).toBe(true);
    expect(message).not.toContain('\n');
  });
});
