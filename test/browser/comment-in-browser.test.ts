/**
 * The PR comment as GitHub shows it, checked in headless Chromium (issue #15): charts render, axis labels
 * do not overlap, the main table fits the comment, numbers stay beside their units. The planted pages prove
 * each check finds the defect it is built for (and nothing on a clean page); the saved results are the
 * comments slo-gate really writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../src/report/markdown.js';
import { loadResult, resultNames } from '../helpers/golden.js';
import {
  CHROMIUM_PATH,
  COMMENT_WIDTH_PX,
  type CommentBrowser,
  type Defect,
  describeDefects,
  findAxisLabelOverlaps,
  findLayoutDefects,
  findMermaidDefects,
  findNumbersSplitFromUnits,
  findWideMainTable,
  hasChromium,
  openCommentBrowser,
  renderComment,
} from '../helpers/github-render.js';

const inCi = Boolean(process.env.CI) && process.env.CI !== 'false';
// On a developer's machine without Chromium the checks skip; in CI a missing browser is a failure.
const runnable = hasChromium() || inCi;
if (!runnable) {
  console.warn(
    `skipping the browser checks of the PR comment: ${CHROMIUM_PATH} is missing (CI=true fails instead)`,
  );
}

const fence = (lines: string[]) => ['```mermaid', ...lines, '```'].join('\n');
const chart = (labels: string[]) =>
  fence([
    'xychart-beta',
    '  title "p95 latency, ms"',
    `  x-axis [${labels.map((l) => `"${l}"`).join(', ')}]`,
    '  y-axis "ms" 0 --> 100',
    `  bar [${labels.map((_, i) => 10 + ((i * 7) % 80)).join(', ')}]`,
  ]);
const table = (columns: number, cell: (column: number) => string) =>
  [
    `| ${Array.from({ length: columns }, (_, c) => `Column ${c + 1}`).join(' | ')} |`,
    `|${'--:|'.repeat(columns)}`,
    `| ${Array.from({ length: columns }, (_, c) => cell(c)).join(' | ')} |`,
  ].join('\n');

describe.skipIf(!runnable)('the PR comment in a real browser', () => {
  let session: CommentBrowser;
  const page = () => session.page;
  /** Every saved result, as the comment slo-gate writes for it. */
  const fixtures = resultNames();

  beforeAll(async () => {
    if (!hasChromium()) throw new Error(`${CHROMIUM_PATH} is missing: CI must install chromium`);
    session = await openCommentBrowser();
  });
  afterAll(async () => {
    await session?.close();
  });

  describe('planted defects: each check finds its defect, and nothing on a clean page', () => {
    it('a mermaid block that does not parse', async () => {
      const broken = fence(['xychart-beta', '  x-axis ["a", "b"', '  bar [1, 2]']);
      await renderComment(page(), `### planted\n\n${chart(['a', 'b'])}\n\n${broken}\n`);
      const defects = await findMermaidDefects(page(), 'broken chart');
      expect(defects).toEqual([
        {
          page: 'broken chart',
          check: 'mermaid',
          where: 'chart 2',
          what: expect.stringContaining('mermaid failed: Parse error on line 2'),
        },
      ]);

      await renderComment(page(), `### clean\n\n${chart(['a', 'b'])}\n`);
      expect(await findMermaidDefects(page(), 'clean chart')).toEqual([]);
      expect(await page().locator('.mermaid-chart > svg').count()).toBe(1);
    });

    it('a chart whose x labels overlap', async () => {
      const labels = Array.from({ length: 30 }, (_, i) => `a rather long endpoint name ${i + 1}`);
      await renderComment(page(), chart(labels));
      const defects = await findAxisLabelOverlaps(page(), 'long labels');
      expect(defects).toEqual([
        {
          page: 'long labels',
          check: 'axis-labels',
          where: 'chart 1 "p95 latency, ms", x axis',
          what: expect.stringMatching(
            /^\d+ overlapping label pair\(s\), e\.g\. "a rather long endpoint name 1" × /,
          ),
        },
      ]);

      await renderComment(page(), chart(['list items', 'get item', 'search']));
      expect(await findAxisLabelOverlaps(page(), 'short labels')).toEqual([]);
    });

    it('a 12-column main table', async () => {
      await renderComment(page(), `### planted\n\n${table(12, (c) => `${(c + 1) * 1111}.5`)}\n`);
      const defects = await findWideMainTable(page(), 'wide table');
      expect(defects).toEqual([
        {
          page: 'wide table',
          check: 'table-width',
          where: 'table 1',
          what: expect.stringMatching(
            new RegExp(`^\\d+ px wide, \\d+ px over the ${COMMENT_WIDTH_PX} px comment`),
          ),
        },
      ]);

      await renderComment(page(), `### clean\n\n${table(3, (c) => `${c + 1}.5`)}\n`);
      expect(await findWideMainTable(page(), 'narrow table')).toEqual([]);
    });

    it('a cell "4.29 ms" too narrow for its number and unit on one line', async () => {
      // GitHub would strip the style; it stands in for columns squeezed by a wide table.
      const squeezed = '<table><tr><td style="width: 1px">4.29 ms</td><td>beside</td></tr></table>';
      await renderComment(page(), `### planted\n\n${squeezed}\n`);
      const defects = await findNumbersSplitFromUnits(page(), 'narrow cell');
      expect(defects).toEqual([
        {
          page: 'narrow cell',
          check: 'number-unit',
          where: 'table 1, row 0 (4.29 ms), column "column 1"',
          what: '"4.29" ends one line and "ms" starts the next, in "4.29 ms"',
        },
      ]);

      await renderComment(page(), `### clean\n\n${table(2, () => '4.29 ms / 25.0 ms')}\n`);
      expect(await findNumbersSplitFromUnits(page(), 'wide cell')).toEqual([]);
    });
  });

  describe('saved results', () => {
    it('are all here, the 40-endpoint one included', () => {
      expect(fixtures).toEqual(
        expect.arrayContaining([
          'passed',
          'breached',
          'baseline-regressed',
          'failed-service',
          'failed-endpoint',
          'many-endpoints',
        ]),
      );
      expect(loadResult('many-endpoints').endpoints).toHaveLength(40);
    });

    it.each(fixtures)('%s: every mermaid chart renders', async (name) => {
      const markdown = renderMarkdown(loadResult(name));
      await renderComment(page(), markdown);
      const blocks = markdown.match(/^```mermaid$/gm)?.length ?? 0;
      const defects: Defect[] = await findMermaidDefects(page(), name);
      expect(defects, describeDefects(defects)).toEqual([]);
      // Every block became a chart, so the check above had something to look at.
      expect(await page().locator('.mermaid-chart > svg').count()).toBe(blocks);
    });
  });

  describe('saved results: layout at the comment width (the chart/table redesign, #15)', () => {
    // enabled by the chart/table redesign (#15)
    it.each(fixtures)(
      '%s: labels apart, main table within the comment, numbers beside units',
      async (name) => {
        await renderComment(page(), renderMarkdown(loadResult(name)));
        const defects = await findLayoutDefects(page(), name);
        expect(defects, describeDefects(defects)).toEqual([]);
      },
    );
  });
});
