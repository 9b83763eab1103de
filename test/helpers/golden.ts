/** Saved gate results (test/fixtures/results) and the golden files the reports made of them must match. */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { GateResult } from '../../src/report/model.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const RESULTS = path.join(FIXTURES, 'results');
const GOLDEN = path.join(FIXTURES, 'golden');

/** The names of the saved results, without .json. */
export const resultNames = (): string[] =>
  readdirSync(RESULTS)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length));

export const loadResult = (name: string): GateResult =>
  JSON.parse(readFileSync(path.join(RESULTS, `${name}.json`), 'utf8')) as GateResult;

/** Compares with test/fixtures/golden/NAME; `UPDATE_GOLDEN=1 npx vitest run test/report` rewrites them. */
export function expectGolden(name: string, text: string): void {
  const file = path.join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}
