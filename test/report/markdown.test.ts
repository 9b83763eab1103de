import { describe, expect, it } from 'vitest';
import type { EndpointResult } from '../../src/report/model.js';
import { expectGolden, loadResult, resultNames } from '../helpers/golden.js';
import { renderErrorMarkdown } from '../../src/report/markdown-error.js';
import { escapeMarkdown } from '../../src/report/markdown-escape.js';
import { MARKDOWN_LIMIT } from '../../src/report/markdown-fit.js';
import { describeMargin, verdictMarkdown } from '../../src/report/markdown-sections.js';
import { renderMarkdown } from '../../src/report/markdown.js';

describe('renderMarkdown against saved results (golden files)', () => {
  it.each(resultNames())('%s', (name) => {
    expectGolden(`${name}.md`, renderMarkdown(loadResult(name)));
  });

  it('names the gate in the verdict when given a label', () => {
    expectGolden('passed-labelled.md', renderMarkdown(loadResult('passed'), { label: 'api' }));
  });

  it('renders a config error', () => {
    expectGolden(
      'config-error.md',
      renderErrorMarkdown({
        headline: 'the config is invalid',
        message: 'slo-gate.yml:12:7: endpoints[1].slo.p95: expected a duration such as "250ms", got 100',
      }),
    );
  });
});

describe('the verdict line', () => {
  it('is one line for every fixture, whatever the reason holds', () => {
    for (const name of ['passed', 'breached', 'failed-service', 'failed-endpoint', 'hostile-strings']) {
      const result = loadResult(name);
      result.reason = 'first\nsecond\r\nthird';
      const line = verdictMarkdown(result);
      expect(line).not.toMatch(/[\r\n]/);
      expect(renderMarkdown(result).split('\n')[0]).toBe(line);
    }
  });

  it('lists the breached endpoints with their failed checks', () => {
    expect(verdictMarkdown(loadResult('breached'))).toBe(
      '### ❌ slo-gate: SLO breached on 2 of 3 endpoints: list items (p95); search (error-rate, min-rps)',
    );
  });
});

describe('the margin', () => {
  const check = (metric: string, limit: number, actual: number | null, unit = 'ms' as const) => ({
    metric,
    limit,
    actual,
    unit,
    passed: actual !== null && actual <= limit,
  });

  it.each([
    [check('p95', 100, 87), 'p95 87.0 ms of a 100 ms budget'],
    [check('p95', 100, 120.45), 'p95 120 ms, 20.5 ms over its 100 ms budget'],
    [check('p99', 60, null), 'p99: nothing to measure (target 60.0 ms)'],
    [
      { ...check('error-rate', 0.01, 0.05), unit: 'fraction' as const },
      'error rate 5.0%, 4.0% over its 1.0% budget',
    ],
    [
      { metric: 'min-rps', limit: 100, actual: 80, unit: 'rps' as const, passed: false },
      'throughput 80.0 req/s, 20.0 req/s below its 100.0 req/s floor',
    ],
  ])('%o → %s', (c, expected) => {
    expect(describeMargin(c)).toBe(expected);
  });

  it('shows the worst failed check of an endpoint in the details table', () => {
    const text = renderMarkdown(loadResult('breached'));
    const search = text.split('\n').find((l) => l.startsWith('| search | 400 |'))!;
    // error rate is 400% over its budget, min-rps 20% under: the error rate is the margin.
    expect(search).toMatch(/error rate 5\.0%, 4\.0% over its 1\.0% budget \|$/);
  });
});

describe('escapeMarkdown', () => {
  it.each([
    ['a | b', 'a &#124; b'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['</details>', '&lt;/details&gt;'],
    ['[link](http://x)', '\\[link\\](http://x)'],
    ['![img](http://y)', '\\!\\[img\\](http://y)'],
    ['**bold** _it_ ~~s~~', '\\*\\*bold\\*\\* \\_it\\_ \\~\\~s\\~\\~'],
    ['`code`', '\\`code\\`'],
    ['back\\slash', 'back\\\\slash'],
    ['#12 and owner/repo#3', '\\#&#8203;12 and owner/repo\\#&#8203;3'],
    ['# heading', '\\# heading'],
    ['@octocat and @org/team', '@&#8203;octocat and @&#8203;org/team'],
    ['a & b "q"', 'a &amp; b &quot;q&quot;'],
    ['one\ntwo\r\nthree\rfour', 'one two three four'],
    ['&#124;', '&amp;\\#&#8203;124;'],
    ['a|b#x', 'a&#124;b\\#x'],
  ])('%j → %j', (input, expected) => {
    expect(escapeMarkdown(input)).toBe(expected);
  });

  it('leaves no raw user markup in the report of hostile strings', () => {
    const text = renderMarkdown(loadResult('hostile-strings'));
    const outsideFences = text.replace(/^(`{3,})\n[\s\S]*?\n\1$/gm, '');
    expect(outsideFences).not.toMatch(/<(img|script|b)\b/);
    expect(outsideFences).not.toMatch(/(?<!\\)\]\(http/);
    expect(outsideFences).not.toMatch(/@(octocat|everyone|org)/);
    // Every endpoint row keeps its five columns: no user pipe split a cell.
    const rows = text.split('\n').filter((l) => /^\| (✅|❌) \|/.test(l));
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.split('|')).toHaveLength(7);
  });

  it('fences a log whose lines hold backticks with a longer fence', () => {
    const text = renderMarkdown(loadResult('hostile-strings'));
    expect(text).toContain('`````\n</details><img src=x onerror=alert(1)>\n````\n@everyone look\n`````');
  });
});

describe('the character limit', () => {
  const endpoint = (i: number): EndpointResult => {
    const base = loadResult('breached').endpoints[0]!;
    return { ...base, name: `endpoint number ${i} with a long, descriptive name`, path: `/items/${i}` };
  };

  it('drops the log tail before anything else', () => {
    const result = loadResult('failed-endpoint');
    result.service!.logTail = Array.from({ length: 200 }, (_, i) => `log line ${i} ${'x'.repeat(200)}`);
    const full = renderMarkdown(result, { limit: 1_000_000 });
    expect(full).toContain('last 200 lines');
    const trimmed = renderMarkdown(result, { limit: 20_000 });
    expect(trimmed.length).toBeLessThanOrEqual(20_000);
    expect(trimmed).toContain('Status codes and failures');
    expect(trimmed).toContain('Config used');
    // The most recent lines stay.
    expect(trimmed).toMatch(/last (100|50|20|10) lines/);
    expect(trimmed).toContain('log line 199 ');
    const noLog = renderMarkdown(result, { limit: full.length - 200 * 210 + 500 });
    expect(noLog).toContain('Config used');
  });

  it('keeps the verdict and the table when there are too many endpoints for the limit', () => {
    const result = loadResult('breached');
    result.endpoints = Array.from({ length: 3000 }, (_, i) => endpoint(i));
    const text = renderMarkdown(result);
    expect(text.length).toBeLessThanOrEqual(MARKDOWN_LIMIT);
    expect(text.split('\n')[0]).toMatch(/^### ❌ slo-gate: SLO breached on 3000 of 3000 endpoints/);
    expect(text).toContain('| | Endpoint |');
    expect(text).toMatch(/…and \d+ more endpoints: see the JSON report\./);
    expect(text).not.toContain('<details>');
    // Cut at a row, never inside one.
    const rows = text.split('\n').filter((l) => l.startsWith('| ❌'));
    for (const row of rows) expect(row.endsWith(' |')).toBe(true);
  });

  it('fits under GitHub’s comment limit whatever the input', () => {
    const result = loadResult('hostile-strings');
    result.endpoints = Array.from({ length: 2000 }, (_, i) => ({
      ...result.endpoints[i % result.endpoints.length]!,
      name: `${'|<@>'.repeat(60)} ${i}`,
    }));
    result.warnings = Array.from({ length: 50 }, () => '|'.repeat(2000));
    result.service!.logTail = Array.from({ length: 200 }, () => '`'.repeat(2000));
    for (const limit of [MARKDOWN_LIMIT, 5_000, 500]) {
      expect(renderMarkdown(result, { limit }).length).toBeLessThanOrEqual(limit);
    }
  });
});
