/**
 * slo-gate.schema.json is what editors complete and check slo-gate.yml with. It must be what
 * `npm run schema` would write now, and every config we ship or call good must pass it.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { configJsonSchema } from '../../src/config/json-schema.js';
import { regeneratedReadme } from '../../src/config/reference.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCHEMA_FILE = path.join(ROOT, 'slo-gate.schema.json');
const GOOD = path.join(ROOT, 'test/fixtures/good-configs');
const BAD = path.join(ROOT, 'test/fixtures/bad-configs');

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
}

async function committedSchema(): Promise<JsonSchema> {
  return JSON.parse(await readFile(SCHEMA_FILE, 'utf8')) as JsonSchema;
}

describe('the config reference in README.md', () => {
  it('is what `npm run schema` writes from src/config/schema.ts', async () => {
    const readmeFile = path.join(ROOT, 'README.md');
    const readme = await readFile(readmeFile, 'utf8');
    const regenerated = await regeneratedReadme(readme, configJsonSchema(), readmeFile);
    expect(regenerated, 'README.md has no config-reference markers').toBeDefined();
    expect(readme === regenerated, 'the README config reference is stale: run `npm run schema`').toBe(true);
  });
});

describe('slo-gate.schema.json', () => {
  it('is what `npm run schema` writes from src/config/schema.ts', async () => {
    const committed = await committedSchema().catch(() => undefined);
    expect(committed, 'slo-gate.schema.json is stale or missing: run `npm run schema`').toEqual(
      configJsonSchema(),
    );
  });

  it('has a title and a description on every key, for editors to show', () => {
    const schema = configJsonSchema() as JsonSchema & { title?: string };
    expect(schema.title).toBe('slo-gate.yml');
    const undescribed: string[] = [];
    const visit = (node: JsonSchema, at: string) => {
      for (const [key, child] of Object.entries(node.properties ?? {})) {
        if (!child.description) undescribed.push(`${at}${key}`);
        visit(child, `${at}${key}.`);
      }
      if (node.items) visit(node.items, `${at.replace(/\.$/, '')}[].`);
    };
    visit(schema, '');
    expect(undescribed).toEqual([]);
  });

  // The input side: what users write. The loader turns these into numbers with units in their names.
  it.each([
    ['slo.p95', (s: JsonSchema) => s.properties!.slo!.properties!.p95, 'string', undefined],
    ['slo.max-rss', (s: JsonSchema) => s.properties!.slo!.properties!['max-rss'], 'string', undefined],
    [
      'slo.error-rate',
      (s: JsonSchema) => s.properties!.slo!.properties!['error-rate'],
      ['string', 'number'],
      undefined,
    ],
    ['load.duration', (s: JsonSchema) => s.properties!.load!.properties!.duration, 'string', '10s'],
    ['load.warmup', (s: JsonSchema) => s.properties!.load!.properties!.warmup, 'string', '2s'],
    ['load.connections', (s: JsonSchema) => s.properties!.load!.properties!.connections, 'integer', 10],
    [
      'service.ready.timeout',
      (s: JsonSchema) => s.properties!.service!.properties!.ready!.properties!.timeout,
      'string',
      '60s',
    ],
    [
      'endpoints[].method',
      (s: JsonSchema) => s.properties!.endpoints!.items!.properties!.method,
      'string',
      'GET',
    ],
  ] as const)('%s is %j, default %j', (_, select, type, defaultValue) => {
    const field = select(configJsonSchema() as JsonSchema)!;
    expect(field.type).toEqual(type);
    expect(field.default).toEqual(defaultValue);
    expect(field.description).toMatch(/\w/);
  });
});

async function compileCommittedSchema(): Promise<ValidateFunction> {
  // strict: an unknown keyword in the schema is an error, not a silent no-op in editors.
  return new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true }).compile(
    await committedSchema(),
  );
}

async function configFiles(dir: string, keep: (name: string) => boolean): Promise<string[]> {
  const names = (await readdir(dir, { recursive: true })) as string[];
  return names
    .filter((name) => keep(path.basename(name)))
    .sort()
    .map((name) => path.join(dir, name));
}

async function readConfig(file: string): Promise<unknown> {
  // As the editor sees the file: parsed, not expanded (${VAR} is still text).
  return parse(await readFile(file, 'utf8'));
}

function describeErrors(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

describe('configs against slo-gate.schema.json (ajv)', async () => {
  const shipped = [
    ...(await configFiles(path.join(ROOT, 'examples'), (name) => name === 'slo-gate.yml')),
    ...(await configFiles(GOOD, (name) => /\.(ya?ml|json)$/.test(name))),
  ];

  it('finds the examples and the good fixtures', () => {
    expect(shipped.some((file) => file.includes(`${path.sep}examples${path.sep}`))).toBe(true);
    expect(shipped.some((file) => file.startsWith(GOOD))).toBe(true);
  });

  it.each(shipped.map((file) => [path.relative(ROOT, file), file]))('%s passes', async (_, file) => {
    const validate = await compileCommittedSchema();
    const config = await readConfig(file);
    expect(validate(config) ? [] : describeErrors(validate)).toEqual([]);
  });

  // Faults the schema can see without parsing units: it must not be so loose that it catches nothing.
  it.each([
    'unknown-key-endpoint.yml',
    'unknown-key-slo-p59.yml',
    'missing-target.yml',
    'endpoints-empty.yml',
    'duration-bare-number.yml',
    'connections-zero.yml',
    'status-out-of-range.yml',
    'status-string.json',
    'body-number.yml',
    'headers-list.yml',
    'service-without-command.yml',
  ])('%s fails', async (name) => {
    const validate = await compileCommittedSchema();
    expect(validate(await readConfig(path.join(BAD, name)))).toBe(false);
  });
});
