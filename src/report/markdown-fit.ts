/**
 * Fitting the markdown report under GitHub's comment limit. When it is over, details go first (the log
 * tails shrink and then go, then the sections from the last), then the list of breaches, then table rows;
 * the verdict and the table's header always stay.
 */
import { plural } from './format.js';
import { logDetails } from './markdown-details.js';

/** GitHub rejects comments over 65,536 characters; keep a margin for the marker and the footer. */
export const MARKDOWN_LIMIT = 60_000;

/** The report's blocks, in the order they appear, before any is cut. */
export interface MarkdownParts {
  verdict: string;
  /** The endpoint table: header, alignment row, one row per endpoint; empty when none was measured. */
  table: string[];
  /** One line per failed check and problem. */
  breaches: string[];
  /** Warnings, as quoted lines. */
  notes: string[];
  /** Details sections, most important first: the last goes first when the report is too long. */
  sections: string[][];
  /** The services' output tails, each shown as its last lines. */
  logs: { title: string; tail: string[] }[];
}

/** How much of each part is kept. */
interface Kept {
  logLines: number;
  sections: number;
  breaches: string[];
  rows: number;
}

/** Ever shorter log tails, so the trimming keeps the most recent lines for as long as it can. */
const LOG_TAIL_STEPS = [200, 100, 50, 20, 10];

function renderKept(parts: MarkdownParts, kept: Kept): string {
  const blocks: string[][] = [[parts.verdict]];
  if (parts.table.length === 0) blocks.push(['No endpoint was measured.']);
  else blocks.push(parts.table.slice(0, 2 + kept.rows));
  const omittedRows = parts.table.length - 2 - kept.rows;
  if (omittedRows > 0) blocks.push([`…and ${plural(omittedRows, 'more endpoint')}: see the JSON report.`]);
  blocks.push(kept.breaches, parts.notes, ...parts.sections.slice(0, kept.sections));
  for (const log of parts.logs) {
    if (kept.logLines > 0) blocks.push(logDetails(log.title, log.tail.slice(-kept.logLines)));
  }
  return (
    blocks
      .filter((b) => b.length > 0)
      .map((b) => b.join('\n'))
      .join('\n\n') + '\n'
  );
}

/** Halves the list of breaches, with a count of the rest, until the report fits; drops it if it never does. */
function fitBreaches(parts: MarkdownParts, kept: Kept, limit: number, text: string): string {
  const all = parts.breaches;
  for (
    let count = Math.floor(all.length / 2);
    text.length > limit && count > 0;
    count = Math.floor(count / 2)
  ) {
    kept.breaches = [...all.slice(0, count), `- …and ${all.length - count} more`];
    text = renderKept(parts, kept);
  }
  if (text.length > limit) {
    kept.breaches = [];
    text = renderKept(parts, kept);
  }
  return text;
}

/** The report, cut to `limit` characters in the order the module's comment gives. */
export function fitMarkdown(parts: MarkdownParts, limit: number): string {
  const kept: Kept = {
    logLines: Math.max(0, ...parts.logs.map((l) => l.tail.length)),
    sections: parts.sections.length,
    breaches: parts.breaches,
    rows: Math.max(0, parts.table.length - 2),
  };
  let text = renderKept(parts, kept);
  while (text.length > limit && kept.logLines > 0) {
    kept.logLines = LOG_TAIL_STEPS.find((n) => n < kept.logLines) ?? 0;
    text = renderKept(parts, kept);
  }
  while (text.length > limit && kept.sections > 0) {
    kept.sections--;
    text = renderKept(parts, kept);
  }
  if (text.length > limit && kept.breaches.length > 0) text = fitBreaches(parts, kept, limit, text);
  // Table rows last: the header and as many rows as fit, cut at a row, never inside one.
  while (text.length > limit && kept.rows > 0) {
    kept.rows = Math.max(0, Math.min(kept.rows - 1, Math.floor(kept.rows * (limit / text.length))));
    text = renderKept(parts, kept);
  }
  return cutAtLine(text, limit);
}

/** The last resort: whole lines up to the limit and a note. */
export function cutAtLine(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const note = '\n\n…(report truncated)\n';
  const end = text.lastIndexOf('\n', limit - note.length);
  return text.slice(0, end > 0 ? end : Math.max(0, limit - note.length)) + note;
}
