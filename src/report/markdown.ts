/**
 * The markdown report (the PR comment and the job summary): a pure function of the result, assembled from
 * its parts (markdown-sections, markdown-charts, markdown-details) and cut to a character limit, details
 * first (markdown-fit). Every user string in it is escaped (markdown-escape).
 */
import { capacitySections } from './markdown-capacity.js';
import { chartSections } from './markdown-charts.js';
import { detailSections, logTails } from './markdown-details.js';
import { userText } from './markdown-escape.js';
import { fitMarkdown, MARKDOWN_LIMIT } from './markdown-fit.js';
import { breachList, endpointTable, verdictMarkdown, type MarkdownOptions } from './markdown-sections.js';
import type { GateResult } from './model.js';

/**
 * The whole report. When it is over the limit, details go first (the log tails shrink and then go, then the
 * config, the service, its resources, the comparison with the base, the status codes, the requests, p50,
 * p99 and margins, and the charts), then the list of breaches, then table rows.
 */
export function renderMarkdown(result: GateResult, options: MarkdownOptions = {}): string {
  return fitMarkdown(
    {
      verdict: verdictMarkdown(result, options),
      table: endpointTable(result),
      breaches: breachList(result),
      notes: result.warnings.map((w) => `> ⚠️ ${userText(w, 1000)}`),
      sections: [...chartSections(result), ...capacitySections(result), ...detailSections(result)],
      logs: logTails(result),
    },
    options.limit ?? MARKDOWN_LIMIT,
  );
}
