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
