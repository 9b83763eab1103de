import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { commentBody } from '../../src/action/comment.js';
import { hasMarker, stickyMarker, withMarker } from '../../src/github/sticky-comment.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import type { GateResult } from '../../src/report/model.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const result = (name: string): GateResult =>
  JSON.parse(readFileSync(path.join(FIXTURES, 'results', `${name}.json`), 'utf8')) as GateResult;

/** Compares with test/fixtures/golden/NAME; `UPDATE_GOLDEN=1` rewrites it. */
function expectGolden(name: string, text: string): void {
  const file = path.join(FIXTURES, 'golden', name);
  if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);
  expect(existsSync(file), `${file} is missing: run with UPDATE_GOLDEN=1 and review it`).toBe(true);
  expect(text).toBe(readFileSync(file, 'utf8'));
}

const context = {
  pullRequest: {
    owner: 'acme',
    repo: 'shop',
    number: 7,
    headSha: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  },
  runUrl: 'https://github.com/acme/shop/actions/runs/4242',
};

/** The body exactly as the Action posts it: the report, the footer, the marker. */
const postedBody = (r: GateResult, gateId = '') =>
  withMarker(commentBody(renderMarkdown(r, { label: gateId || undefined }), context), stickyMarker(gateId));

describe('the comment as posted (golden files)', () => {
  it('for a breach', () => {
    expectGolden('comment-breached.md', postedBody(result('breached')));
  });

  it('for a pass of a gate with an id', () => {
    expectGolden('comment-passed-api.md', postedBody(result('passed'), 'api'));
  });

  it('stays under GitHub’s 65,536 characters with a huge report, and keeps its marker', () => {
    const huge = result('failed-endpoint');
    huge.endpoints = Array.from({ length: 2000 }, (_, i) => ({
      ...huge.endpoints[1]!,
      name: `endpoint ${i} ${'x'.repeat(80)}`,
    }));
    huge.service!.logTail = Array.from({ length: 200 }, (_, i) => `line ${i} ${'y'.repeat(400)}`);
    const body = postedBody(huge, 'api');
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(hasMarker(body, stickyMarker('api'))).toBe(true);
    expect(body.split('\n')[0]).toMatch(/^### ❌ slo-gate \(api\): /);
  });
});
