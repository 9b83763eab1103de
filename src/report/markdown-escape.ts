/**
 * Every string that came from the user or the service (endpoint names, paths, the target, versions, log
 * lines, reasons) goes into the markdown report through `userText` or into a fenced block, so it cannot
 * break the table, open HTML, make a link or @mention anyone.
 */

/** User strings longer than this are clipped in table cells and one-line texts. */
export const MAX_CELL_CHARS = 200;
/** The longest verdict line; the table and the list below it carry the rest. */
export const MAX_VERDICT_CHARS = 300;
/** Log lines are clipped to this many characters; minified JSON on one line should not fill a comment. */
const MAX_LOG_LINE_CHARS = 500;

/**
 * Escapes text for a markdown table cell and for HTML: user strings never break the layout, never become
 * links, HTML or emphasis, and never @mention anyone or reference an issue (a zero-width space follows
 * the "@" or "#").
 */
export function escapeMarkdown(text: string): string {
  return (
    text
      // Markdown punctuation first, so the entities below keep their own "#" and ";".
      .replace(/([\\`*_[\]#~!])/g, '\\$1')
      .replace(/&/g, '&amp;')
      // "#12" would link (and cross-reference) issue 12; "@name" would notify someone.
      .replace(/#(?=\d)/g, '#&#8203;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\|/g, '&#124;')
      .replace(/@/g, '@&#8203;')
      .replace(/\r\n?|\n/g, ' ')
  );
}

/** Clips to `max` characters, marking the cut with an ellipsis. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** A run of this many characters with no space gets a break opportunity, so no name widens a table. */
const MAX_UNBROKEN_CHARS = 30;
/** Marks a break opportunity before escaping (a private-use character no user string keeps: see below). */
const BREAK_MARK = '\uE000';

/**
 * A user string for one line of the report: clipped, escaped, and breakable every 30 characters of a
 * run without spaces (`<wbr>`, which GitHub keeps and which is not copied with the text).
 */
export function userText(text: string, max = MAX_CELL_CHARS): string {
  const marked = clip(text, max)
    .replace(/\uE000/g, '')
    .replace(new RegExp(`\\S{${MAX_UNBROKEN_CHARS}}(?=\\S)`, 'gu'), (run) => run + BREAK_MARK);
  return escapeMarkdown(marked).replace(/\uE000/g, '<wbr>');
}

/** A number and its unit ("4.29 ms", "80.0 req/s", "5 %") in a table cell; the unit must not follow. */
const NUMBER_SPACE_UNIT = /(\d) (?=(?:req\/s|ms|µs|s|MB|GB|kB|KB|%)(?![\p{L}\p{N}/]))/gu;

/**
 * A table cell that must not wrap, such as a value against its target ("120&nbsp;ms&nbsp;/&nbsp;100&nbsp;ms&nbsp;❌"):
 * the table then gives it its whole width and wraps the names, which can break, instead of the numbers.
 */
export const oneLine = (cell: string): string => cell.replace(/ /g, '&nbsp;');

/** Glues each number in a table cell to its unit with `&nbsp;`, so a narrow column never splits them. */
export const keepUnits = (cell: string): string => cell.replace(NUMBER_SPACE_UNIT, '$1&nbsp;');

/** Log lines as they may go into a fenced block: no terminal colours, no control characters, clipped. */
export function cleanLogLine(line: string): string {
  // eslint-disable-next-line no-control-regex
  const plain = line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '�');
  return clip(plain, MAX_LOG_LINE_CHARS);
}

/** Lines in a fenced block whose fence is longer than any run of backticks in them, so none can close it. */
export function fenced(lines: string[]): string[] {
  const longestRun = Math.max(
    0,
    ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
  );
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  return [fence, ...lines, fence];
}
