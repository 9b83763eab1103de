/** The markdown report when there is no result: the config was invalid, or slo-gate itself failed. */
import { MAX_VERDICT_CHARS, userText } from './markdown-escape.js';
import { cutAtLine, MARKDOWN_LIMIT } from './markdown-fit.js';
import { reportTitle, type MarkdownOptions } from './markdown-sections.js';

export interface ErrorReport {
  /** What went wrong, for the verdict line: "the config is invalid". */
  headline: string;
  /** The one-line message, as the log shows it. */
  message: string;
}

/** The report when there is no result: the config was invalid, or slo-gate itself failed. */
export function renderErrorMarkdown(error: ErrorReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? MARKDOWN_LIMIT;
  const text = [
    `### ❌ ${reportTitle(options)}: ${userText(error.headline, MAX_VERDICT_CHARS)}`,
    '',
    userText(error.message, 4000),
    '',
    'No load was run; nothing was measured.',
  ].join('\n');
  return cutAtLine(text + '\n', limit);
}
