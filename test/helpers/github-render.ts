/**
 * Renders a PR comment the way GitHub shows it and measures it in headless Chromium: GitHub-flavoured
 * markdown (marked) in an `<article class="markdown-body">` with GitHub's stylesheet, mermaid blocks drawn by
 * mermaid in the page, at the width of a comment body. The checks return defects as plain data, so a test
 * can print which page, chart or cell is wrong. Nothing is fetched from the network: the stylesheet and
 * mermaid come from node_modules.
 *
 * Fonts are the machine's: on Debian that is DejaVu Sans for GitHub's system-font stack (and for mermaid's
 * "trebuchet ms"), wider than Segoe UI or San Francisco, so a layout that passes here has room to spare for
 * most readers. Without an emoji font ✅ and ❌ show as boxes of about the same width; the screenshots in
 * docs/images are taken with fonts-noto-color-emoji, and the checks pass with it or without it.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { marked } from 'marked';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; CI installs it (apt-get install chromium). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * The content width of a comment on a PR's conversation page at GitHub's desktop layout (the issue's
 * figure): the timeline column at a ≥ 1280 px window, less the comment box's 16 px padding on each side.
 * Narrower windows give less; anything that fits here fits the common case.
 */
export const COMMENT_WIDTH_PX = 780;
/**
 * GitHub's `.comment-body` pads the comment by 16 px and sets 14 px text; github-markdown-css is taken from
 * README pages, which use 16 px. The screenshots keep the padding.
 */
const COMMENT_PADDING_PX = 16;
const COMMENT_FONT_SIZE_PX = 14;

/** Offline and quiet: no update checks, no QUIC, nothing that reaches out. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const require = createRequire(import.meta.url);
const GITHUB_CSS = require.resolve('github-markdown-css/github-markdown-light.css');
const MERMAID_JS = require.resolve('mermaid/dist/mermaid.min.js');

/** What a check found wrong, for a test's failure message. */
export interface Defect {
  /** The page: a fixture's name or a synthetic page's. */
  page: string;
  check: 'mermaid' | 'axis-labels' | 'table-width' | 'number-unit';
  /** The chart, table or cell: 'chart 2 "list items: requests by latency", x axis'. */
  where: string;
  what: string;
}

/** Whether this machine can run the browser checks. */
export const hasChromium = (): boolean => existsSync(CHROMIUM_PATH);

/** GitHub renders comments as GFM with hard line breaks; raw HTML (details, sub, br) is kept. */
export const commentHtml = (markdown: string): string =>
  marked.parse(markdown, { gfm: true, breaks: true, async: false });

/** One browser and one page holding the stylesheet and mermaid; each render replaces the comment. */
export interface CommentBrowser {
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openCommentBrowser(): Promise<CommentBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({
      viewport: { width: COMMENT_WIDTH_PX + 2 * COMMENT_PADDING_PX, height: 900 },
    });
    await page.setContent(
      '<!doctype html><html><head><meta charset="utf-8"></head>' +
        '<body><article class="markdown-body"></article></body></html>',
    );
    await page.addStyleTag({ path: GITHUB_CSS });
    await page.addStyleTag({
      content:
        `body { margin: 0; background: #fff; }\n` +
        `.markdown-body { box-sizing: content-box; width: ${COMMENT_WIDTH_PX}px; padding: ${COMMENT_PADDING_PX}px;` +
        ` font-size: ${COMMENT_FONT_SIZE_PX}px; }`,
    });
    await page.addScriptTag({ path: MERMAID_JS });
    await page.evaluate(() => {
      const { mermaid } = window as unknown as { mermaid: { initialize(config: object): void } };
      // GitHub's light theme; strict keeps labels as text, as on GitHub.
      mermaid.initialize({ startOnLoad: false, theme: 'default', securityLevel: 'strict' });
    });
    return { browser, page, close: () => browser.close() };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * Shows `markdown` as the comment: all `<details>` opened so every table is measured, every mermaid block
 * replaced by its chart (or by an empty box carrying mermaid's error in `data-error`).
 */
export async function renderComment(page: Page, markdown: string): Promise<void> {
  await page.evaluate(async (html) => {
    type Mermaid = { render(id: string, text: string): Promise<{ svg: string }> };
    const { mermaid } = window as unknown as { mermaid: Mermaid };
    const article = document.querySelector('article.markdown-body')!;
    // Whatever a previous render left beside the comment goes, so it cannot count against this one.
    for (const stray of [...document.body.children]) if (stray !== article) stray.remove();
    article.innerHTML = html;
    for (const details of article.querySelectorAll('details')) details.open = true;
    const state = window as unknown as { chartRenders?: number };
    const blocks = [...article.querySelectorAll('pre > code.language-mermaid')];
    for (const [index, code] of blocks.entries()) {
      const chart = document.createElement('div');
      chart.className = 'mermaid-chart';
      chart.dataset.chart = String(index + 1);
      state.chartRenders = (state.chartRenders ?? 0) + 1;
      const id = `chart-${state.chartRenders}`;
      try {
        const { svg } = await mermaid.render(id, code.textContent ?? '');
        chart.innerHTML = svg;
      } catch (error) {
        chart.dataset.error = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
        // mermaid leaves its error drawing in a scratch <div id="d<id>"> in <body>: the error is kept above.
        document.getElementById(`d${id}`)?.remove();
      }
      code.parentElement!.replaceWith(chart);
    }
    await document.fonts.ready;
  }, commentHtml(markdown));
}

/** Check 1: every mermaid block became a chart of non-zero size, with no error drawing on the page. */
export async function findMermaidDefects(page: Page, name: string): Promise<Defect[]> {
  const found = await page.evaluate(() => {
    const charts = [...document.querySelectorAll<HTMLElement>('.mermaid-chart')].map((chart) => {
      const svg = chart.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return {
        chart: chart.dataset.chart!,
        error: chart.dataset.error,
        hasSvg: svg !== null,
        widthPx: box?.width ?? 0,
        heightPx: box?.height ?? 0,
        errorDrawing: svg?.getAttribute('aria-roledescription') === 'error',
      };
    });
    const unrendered = document.querySelectorAll('code.language-mermaid').length;
    const strayErrors = [...document.querySelectorAll('svg[aria-roledescription="error"]')].filter(
      (svg) => !svg.closest('.mermaid-chart'),
    ).length;
    return { charts, unrendered, strayErrors };
  });
  const defects: Defect[] = [];
  const add = (where: string, what: string) => defects.push({ page: name, check: 'mermaid', where, what });
  for (const c of found.charts) {
    const where = `chart ${c.chart}`;
    if (c.error !== undefined) add(where, `mermaid failed: ${c.error}`);
    else if (!c.hasSvg) add(where, 'no SVG was drawn');
    else if (c.errorDrawing) add(where, 'mermaid drew its error diagram');
    else if (c.widthPx === 0 || c.heightPx === 0) add(where, `the SVG is ${c.widthPx}×${c.heightPx} px`);
  }
  if (found.unrendered > 0) add('page', `${found.unrendered} mermaid block(s) left as code`);
  if (found.strayErrors > 0) add('page', `${found.strayErrors} mermaid error drawing(s) outside a chart`);
  return defects;
}

/**
 * Check 2: no two axis labels of a chart overlap (xychart-beta draws them as `g.<side>-axis g.label text`;
 * the axis titles are `g.<side>-axis g.title text`). One defect per chart and pair of axes, with a count.
 */
export async function findAxisLabelOverlaps(page: Page, name: string): Promise<Defect[]> {
  const groups = await page.evaluate(() => {
    // Boxes that merely touch (anti-aliasing, rounding) are not an overlap: at least a pixel each way.
    const MIN_OVERLAP_PX = 1;
    const axisName: Record<string, string> = { bottom: 'x', top: 'x', left: 'y', right: 'y' };
    const found: { chart: string; title: string; axes: string; pairs: string[] }[] = [];
    for (const chart of document.querySelectorAll<HTMLElement>('.mermaid-chart')) {
      const title = chart.querySelector('.chart-title text')?.textContent ?? '';
      const labels = [...chart.querySelectorAll('[class$="-axis"] :is(.label, .title) text')].map((text) => {
        const side = text.closest('[class$="-axis"]')!.getAttribute('class')!.replace('-axis', '');
        return {
          axis: axisName[side] ?? side,
          text: text.textContent ?? '',
          box: text.getBoundingClientRect(),
        };
      });
      const byAxes = new Map<string, string[]>();
      for (const [i, a] of labels.entries()) {
        for (const b of labels.slice(i + 1)) {
          const wide = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
          const high = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
          if (wide < MIN_OVERLAP_PX || high < MIN_OVERLAP_PX) continue;
          const axes = a.axis === b.axis ? `${a.axis} axis` : 'x and y axes';
          const pairs = byAxes.get(axes) ?? [];
          pairs.push(`"${a.text}" × "${b.text}" (${Math.round(wide)}×${Math.round(high)} px)`);
          byAxes.set(axes, pairs);
        }
      }
      for (const [axes, pairs] of byAxes) found.push({ chart: chart.dataset.chart!, title, axes, pairs });
    }
    return found;
  });
  return groups.map((g) => ({
    page: name,
    check: 'axis-labels',
    where: `chart ${g.chart}${g.title ? ` "${g.title}"` : ''}, ${g.axes}`,
    what: `${g.pairs.length} overlapping label pair(s), e.g. ${g.pairs.slice(0, 3).join(', ')}`,
  }));
}

/**
 * Check 3: the comment's first table fits the comment. GitHub's stylesheet makes a table a scrolling block
 * no wider than its container, so the width that counts is what it scrolls: its scrollWidth.
 */
export async function findWideMainTable(page: Page, name: string): Promise<Defect[]> {
  const widthPx = await page.evaluate(() => document.querySelector('article table')?.scrollWidth ?? 0);
  if (widthPx <= COMMENT_WIDTH_PX) return [];
  return [
    {
      page: name,
      check: 'table-width',
      where: 'table 1',
      what: `${widthPx} px wide, ${widthPx - COMMENT_WIDTH_PX} px over the ${COMMENT_WIDTH_PX} px comment: it scrolls sideways`,
    },
  ];
}

/**
 * Check 4: in every table cell, a number and its unit ("4.29 ms", "80.0 req/s", "5.0%") are on one line.
 * Measured per match: the number's last character and the unit's first character must share a line box.
 */
export async function findNumbersSplitFromUnits(page: Page, name: string): Promise<Defect[]> {
  const splits = await page.evaluate(() => {
    const NUMBER_UNIT = /(\d[\d,]*(?:\.\d+)?)([\s\u00a0]*)(req\/s|ms|µs|s|MB|GB|kB|KB|%)(?![\p{L}\p{N}/])/gu;
    const charTop = (node: Text, offset: number) => {
      const range = document.createRange();
      range.setStart(node, offset);
      range.setEnd(node, offset + 1);
      return range.getBoundingClientRect().top;
    };
    type Split = { table: number; row: string; column: string; cell: string; number: string; unit: string };
    const found: Split[] = [];
    for (const [t, table] of [...document.querySelectorAll('article table')].entries()) {
      const headers = [...table.querySelectorAll('thead th')].map((th) => th.textContent?.trim() ?? '');
      const nameColumn = Math.max(0, headers.indexOf('Endpoint'));
      for (const [r, row] of [...table.querySelectorAll('tr')].entries()) {
        const cells = [...row.querySelectorAll('td, th')];
        // The row by its endpoint's name: "row 3 (list items)".
        const rowName = `${r} (${cells[nameColumn]?.firstChild?.textContent?.trim() ?? ''})`;
        for (const [c, cell] of cells.entries()) {
          const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
            for (const m of node.data.matchAll(NUMBER_UNIT)) {
              const numberEnd = m.index + m[1]!.length - 1;
              const unitStart = m.index + m[1]!.length + m[2]!.length;
              // Lines are ~24 px apart; a few px of difference is a baseline shift, not a new line.
              if (Math.abs(charTop(node, numberEnd) - charTop(node, unitStart)) < 8) continue;
              const column = headers[c] || `column ${c + 1}`;
              const text = cell.textContent?.replace(/\s+/g, ' ').trim() ?? '';
              found.push({ table: t + 1, row: rowName, column, cell: text, number: m[1]!, unit: m[3]! });
            }
          }
        }
      }
    }
    return found;
  });
  return splits.map((s) => ({
    page: name,
    check: 'number-unit',
    where: `table ${s.table}, row ${s.row}, column "${s.column}"`,
    what: `"${s.number}" ends one line and "${s.unit}" starts the next, in "${s.cell}"`,
  }));
}

/** Checks 2–4, the layout the chart/table redesign is measured by. */
export async function findLayoutDefects(page: Page, name: string): Promise<Defect[]> {
  return [
    ...(await findAxisLabelOverlaps(page, name)),
    ...(await findWideMainTable(page, name)),
    ...(await findNumbersSplitFromUnits(page, name)),
  ];
}

/** Defects as lines for a failure message or a log. */
export const describeDefects = (defects: Defect[]): string =>
  defects.map((d) => `${d.page}: ${d.check}: ${d.where}: ${d.what}`).join('\n');

/** The whole comment as a PNG, at the comment's width (the page is as tall as the comment). */
export async function screenshotComment(page: Page, file: string): Promise<void> {
  await page.screenshot({ path: file, fullPage: true });
}
