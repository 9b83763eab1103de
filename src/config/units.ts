/**
 * Parsers for the unit-carrying values of slo-gate.yml. Each returns a number in the unit its name says,
 * or undefined when the text is not of that form; the schema turns undefined into a message.
 */

// Both micro signs: U+00B5 (what keyboards type) and U+03BC (Greek mu, what some editors substitute).
const DURATION = /^\s*(\d+(?:\.\d+)?)\s*(us|\u00b5s|\u03bcs|ms|s|m)\s*$/;
const DURATION_FACTOR_MS: Record<string, number> = {
  us: 0.001,
  '\u00b5s': 0.001,
  '\u03bcs': 0.001,
  ms: 1,
  s: 1000,
  m: 60_000,
};

/** "250ms", "1.5s", "2m", "500us" → milliseconds. A bare number has no unit and is rejected. */
export function parseDurationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * DURATION_FACTOR_MS[match[2]!]!;
}

/**
 * "1%" → 0.01; a bare number is a fraction: 0.01 → 0.01. Both must lie in [0, 1].
 */
export function parseFraction(value: string | number): number | undefined {
  let fraction: number;
  if (typeof value === 'number') fraction = value;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(value);
    if (!match) return undefined;
    fraction = Number(match[1]) / 100;
  }
  return Number.isFinite(fraction) && fraction >= 0 && fraction <= 1 ? fraction : undefined;
}

const SIZE = /^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)\s*$/i;
const SIZE_FACTOR: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};

/** "512MB" → 512e6 bytes, "256KiB" → 262144 bytes. */
export function parseSizeBytes(text: string): number | undefined {
  const match = SIZE.exec(text);
  if (!match) return undefined;
  return Math.round(Number(match[1]) * SIZE_FACTOR[match[2]!.toLowerCase()]!);
}

/**
 * Formats milliseconds for people: "0.42 ms", "12.3 ms", "250 ms", "1.25 s". Each threshold is where
 * rounding would reach the next form, so 99.97 reads "100 ms", not "100.0 ms", and 999.6 reads "1.00 s".
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return String(ms);
  if (ms >= 999.5) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 99.95) return `${ms.toFixed(0)} ms`;
  if (ms >= 9.995) return `${ms.toFixed(1)} ms`;
  return `${ms.toFixed(2)} ms`;
}

/**
 * Formats a fraction as a percentage for people: 0.005 → "0.50%", 0.0123 → "1.2%". Anything above zero
 * but under 0.01% reads "<0.01%", so a few failures never look like none.
 */
export function formatPercent(fraction: number): string {
  const percent = fraction * 100;
  if (percent === 0) return '0%';
  if (percent < 0.01) return '<0.01%';
  return `${percent < 0.995 ? percent.toFixed(2) : percent.toFixed(1)}%`;
}
