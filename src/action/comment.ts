/** The pull request comment: when to write it, and its body around the report. */
import type { CommentMode, ActionSettings } from './inputs.js';

/**
 * `upsert`: create or update; `update`: only bring an existing comment up to date (a pass after a failure
 * with `comment: on-failure`, so no stale failure is left behind); `none`: do not touch GitHub.
 */
export type CommentAction = 'upsert' | 'update' | 'none';

export function commentAction(mode: CommentMode, gatePassed: boolean): CommentAction {
  if (mode === 'never') return 'none';
  if (mode === 'on-failure' && gatePassed) return 'update';
  return 'upsert';
}

/** The report with a footer naming the commit and the run, so readers see which push it describes. */
export function commentBody(
  markdown: string,
  settings: Pick<ActionSettings, 'pullRequest' | 'runUrl'>,
): string {
  const parts: string[] = [];
  const sha = settings.pullRequest?.headSha;
  if (sha && /^[0-9a-f]{7,40}$/i.test(sha)) parts.push(`commit ${sha.slice(0, 7)}`);
  if (settings.runUrl) parts.push(`[workflow run](${settings.runUrl})`);
  const footer = `<sub>Measured by slo-gate${parts.length ? ` · ${parts.join(' · ')}` : ''}</sub>`;
  return `${markdown.trimEnd()}\n\n${footer}\n`;
}
