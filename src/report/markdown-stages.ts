/** The markdown report's stage table (issue #11): each endpoint's stages, one compact row each. */
import { formatMs, formatPercent, formatRateValue, plural } from './format.js';
import { keepUnits, userText } from './markdown-escape.js';
import type { GateResult } from './model.js';
import { stageShape } from './terminal.js';

/**
 * Rows shown at most: with many endpoints and many stages the table alone could crowd GitHub's comment
 * limit, and the JSON report has every stage anyway.
 */
export const MAX_STAGE_ROWS = 60;

/** The stage table's lines, empty for a flat load. */
export function stageDetails(result: GateResult): string[] {
  const rows = result.endpoints.flatMap((e) =>
    (e.stages ?? []).map((s) => {
      const at = (key: 'p50' | 'p95') => (s.latencyMs ? formatMs(s.latencyMs[key]) : 'n/a');
      // Seven columns fit the comment's width; the stage's p99 and mean offered rate are in the JSON.
      return keepUnits(
        `| ${userText(e.name)} | ${s.index + 1}: ${stageShape(s)} over ${s.durationMs / 1000} s | ${s.requests} | ` +
          `${formatRateValue(s.answeredRps)} | ${at('p50')} | ${at('p95')} | ${formatPercent(s.errorRate)} |`,
      );
    }),
  );
  if (rows.length === 0) return [];
  const omitted = rows.length - MAX_STAGE_ROWS;
  return [
    'Each stage on its own; the SLOs above judge all stages together.',
    '',
    '| Endpoint | Stage: offered | Requests | Answered/s | p50 | p95 | Errors |',
    '|---|---|--:|--:|--:|--:|--:|',
    ...rows.slice(0, MAX_STAGE_ROWS),
    ...(omitted > 0
      ? ['', `…and ${plural(omitted, 'more stage')}: see the JSON report (endpoints[].stages).`]
      : []),
  ];
}
