/**
 * Every number the reports show, formatted in one place: latencies, percentages, signed changes, sizes,
 * rates and counts. The terminal table, the markdown report and the log lines all read the same way.
 */
import { MAX_ROUNDS_TO_SETTLE } from '../baseline/settle.js';
import type { CheckResult, RelativeChange, RoundsToSettle } from './model.js';

/**
 * Milliseconds for people: "0.42 ms", "12.3 ms", "250 ms", "1.25 s". Each threshold is where rounding
 * would reach the next form, so 99.97 reads "100 ms", not "100.0 ms", and 999.6 reads "1.00 s".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 999.5) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 99.95) return `${ms.toFixed(0)} ms`;
  if (ms >= 9.995) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * A fraction as a percentage for people: 0.005 → "0.50%", 0.0123 → "1.2%". Anything above zero but under
 * 0.01% reads "<0.01%", so a few failures never look like none.
 */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  if (percent < 0.01) return '<0.01%';
  return `${percent < 0.995 ? percent.toFixed(2) : percent.toFixed(1)}%`;
}

/** "+" or "−" (a true minus sign, as wide as the plus) and the formatted magnitude. */
const withSign = (value: number, format: (magnitude: number) => string) =>
  `${value >= 0 ? '+' : '−'}${format(Math.abs(value))}`;

/** A change's digits without the "%": one decimal under 10%, whole percents above. */
const signedPercentDigits = (fraction: number) =>
  withSign(fraction, (magnitude) => (magnitude * 100).toFixed(magnitude < 0.1 ? 1 : 0));

/** A change that may be negative: 0.2 → "+20%", −0.035 → "−3.5%". */
export const formatSignedPercent = (fraction: number): string => `${signedPercentDigits(fraction)}%`;

/** A change and its 95% interval apart: "+20%" and "95% CI +14…+26%". */
export function formatChangeParts(change: RelativeChange): { change: string; interval: string } {
  return {
    change: formatSignedPercent(change.change),
    interval: `95% CI ${signedPercentDigits(change.low)}…${signedPercentDigits(change.high)}%`,
  };
}

/** A change with its 95% interval: "+20% (95% CI +14…+26%)". */
export function formatChange(change: RelativeChange): string {
  const parts = formatChangeParts(change);
  return `${parts.change} (${parts.interval})`;
}

/** The smallest change a run could tell from none: "±5.3%"; "n/a" in reports from before it. */
export const formatDetectable = (change: RelativeChange): string =>
  change.smallestDetectableChange === undefined
    ? 'n/a'
    : `±${signedPercentDigits(change.smallestDetectableChange).slice(1)}%`;

/**
 * What would settle an inconclusive comparison of `rounds` rounds: "12 rounds, or 2 replicates of 6, would
 * settle it"; past the estimate's bound, that more would not help at this spread.
 */
export function formatToSettle(toSettle: RoundsToSettle, rounds: number): string {
  if (toSettle.rounds === null)
    return `over ${MAX_ROUNDS_TO_SETTLE} rounds would be needed to settle it: the change is that close to the budget`;
  const replicates =
    toSettle.replicates !== null && toSettle.replicates > 1
      ? `, or ${toSettle.replicates} replicates of ${rounds},`
      : '';
  return `${plural(toSettle.rounds, 'round')}${replicates} would settle it`;
}

/** Bytes in decimal megabytes, as memory is reported: 12_345_678 → "12.3 MB". */
export const formatMegabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** A size change that may be negative: "+1.5 MB", "−0.2 MB". */
export const formatSignedMegabytes = (bytes: number): string => withSign(bytes, formatMegabytes);

/** A rate's figure alone, for a column headed "Req/s": 80 → "80.0". */
export const formatRateValue = (ratePerSecond: number): string => ratePerSecond.toFixed(1);

/** A rate with its unit: 80 → "80.0 req/s". */
export const formatRate = (ratePerSecond: number): string => `${formatRateValue(ratePerSecond)} req/s`;

/** A count with thousands separators: 12345 → "12,345". */
export const formatCount = (count: number): string => count.toLocaleString('en-US');

/** A count and its noun: "1 endpoint", "3 endpoints". */
export const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`;

/**
 * A histogram's bucket edge, exactly and briefly: "0.05 ms", "250 ms", "1 s", "1.002 s". Edges are round
 * values, so up to five significant digits show each as it is and keep neighbours apart.
 */
export function formatHistogramEdge(ms: number): string {
  const trimmed = (value: number) => String(Number(value.toPrecision(5)));
  return ms >= 1000 ? `${trimmed(ms / 1000)} s` : `${trimmed(ms)} ms`;
}

/** A figure inside a mermaid chart: a bare number, at most two decimals ("12.35", "250"). */
export const formatChartNumber = (ms: number): string => String(Math.round(ms * 100) / 100);

/** A check's value in its unit: "87.0 ms", "1.0%", "80.0 req/s", "512.0 MB"; "n/a" when nothing was measured. */
export function formatCheckValue(check: Pick<CheckResult, 'unit'>, value: number | null): string {
  if (value === null) return 'n/a';
  switch (check.unit) {
    case 'ms':
      return formatMs(value);
    case 'fraction':
      return formatPercent(value);
    case 'rps':
      return formatRate(value);
    case 'bytes':
      return formatMegabytes(value);
  }
}

/** A capacity: "1,840 req/s", "37.5 req/s" (the search tries rates to a tenth). */
export const formatCapacity = (ratePerSecond: number): string =>
  `${ratePerSecond >= 100 ? formatCount(Math.round(ratePerSecond)) : String(Math.round(ratePerSecond * 10) / 10)} req/s`;
