/**
 * The markdown report (the PR comment and the job summary): a pure function of the result, assembled from
 * its parts (markdown-sections, markdown-charts, markdown-timeline, markdown-details) and cut to a character limit, details
 * first (markdown-fit). Every user string in it is escaped (markdown-escape).
 */
import { capacitySections } from './markdown-capacity.js';
import { chartSections } from './markdown-charts.js';
import { detailSections, logTails } from './markdown-details.js';
import { userText } from './markdown-escape.js';
import { fitMarkdown, MARKDOWN_LIMIT } from './markdown-fit.js';
import { timelineSections } from './markdown-timeline.js';
import { breachList, endpointTable, verdictMarkdown, type MarkdownOptions } from './markdown-sections.js';
import type { GateResult } from './model.js';
import { shardNote } from '../shard/describe.js';

/**
 * The whole report. When it is over the limit, details go first (the log tails shrink and then go, then the
 * other endpoints' timelines, the config, the service, its resources, the comparison with the base, the
 * status codes, the requests, p50, p99 and margins, the worst endpoint's timeline, and the charts), then
 * the list of breaches, then table rows.
 */
export function renderMarkdown(result: GateResult, options: MarkdownOptions = {}): string {
  const timelines = timelineSections(result);
  return fitMarkdown(
    {
      verdict: verdictMarkdown(result, options) + mergedNote(result),
      table: endpointTable(result),
      breaches: breachList(result),
      notes: [...shardLines(result), ...result.warnings.map((w) => `> ⚠️ ${userText(w, 1000)}`)],
      sections: [
        ...chartSections(result),
        ...timelines.worst,
        ...capacitySections(result),
        ...detailSections(result),
        ...timelines.others,
      ],
      logs: logTails(result),
    },
    options.limit ?? MARKDOWN_LIMIT,
  );
}

/** A shard's report says what part it ran and that the merge gives the verdict (issue #12). */
function shardLines(result: GateResult): string[] {
  const note = shardNote(result);
  return note ? [`> ℹ️ ${userText(note, 2000)}`] : [];
}

/** A merged report says how many shard reports made it (issue #12), right under the verdict. */
function mergedNote(result: GateResult): string {
  const shards = result.merged?.shards;
  if (shards === undefined) return '';
  return `\n\nMerged from ${shards} shard ${shards === 1 ? 'report' : 'reports'}.`;
}
