/**
 * `npm run screenshots`: PNGs of the PR comment for the pass, breach and baseline results, rendered exactly
 * as test/browser/comment-in-browser.test.ts renders them (GitHub's stylesheet, mermaid in the page, the
 * comment's width, every <details> open), into docs/images/comment-*.png. Needs /usr/bin/chromium.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMarkdown } from '../src/report/markdown.js';
import { loadResult } from '../test/helpers/golden.js';
import {
  CHROMIUM_PATH,
  hasChromium,
  openCommentBrowser,
  renderComment,
  screenshotComment,
} from '../test/helpers/github-render.js';

const IMAGES = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'images');
/** Saved result → picture name. */
const PICTURES: Record<string, string> = {
  passed: 'comment-passed.png',
  breached: 'comment-breached.png',
  'baseline-regressed': 'comment-baseline.png',
  'timeline-pause': 'comment-timeline.png',
  capacity: 'comment-capacity.png',
};

if (!hasChromium()) {
  console.error(`screenshots: ${CHROMIUM_PATH} is missing; install chromium (apt-get install chromium)`);
  process.exit(1);
}
mkdirSync(IMAGES, { recursive: true });
const session = await openCommentBrowser();
try {
  for (const [name, picture] of Object.entries(PICTURES)) {
    await renderComment(session.page, renderMarkdown(loadResult(name)));
    const file = path.join(IMAGES, picture);
    await screenshotComment(session.page, file);
    console.log(`wrote ${path.relative(process.cwd(), file)}`);
  }
} finally {
  await session.close();
}
