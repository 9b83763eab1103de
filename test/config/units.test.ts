import { describe, expect, it } from 'vitest';
import { parseDurationMs, parseFraction, parseSizeBytes } from '../../src/config/units.js';

describe('parseDurationMs', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1_500],
    ['2m', 120_000],
    ['500us', 0.5],
    ['500\u00b5s', 0.5],
    ['500\u03bcs', 0.5],
    ['0s', 0],
    [' 10 s ', 10_000],
  ])('%j → %d ms', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });

  it.each(['fast', '250', '-1s', '1h', '.5s', '1e3ms', '10 sec', '1s 500ms', ''])(
    '%j → undefined',
    (text) => {
      expect(parseDurationMs(text)).toBeUndefined();
    },
  );
});

describe('parseFraction', () => {
  it.each([
    ['1%', 0.01],
    [0.01, 0.01],
    ['0.5 %', 0.005],
    ['100%', 1],
    ['0%', 0],
    [1, 1],
    [0, 0],
  ] as const)('%j → %d', (value, expected) => {
    expect(parseFraction(value)).toBeCloseTo(expected, 12);
  });

  it.each(['150%', -1, 1.5, 'abc', '1', '0.01', '-1%', Number.NaN, Number.POSITIVE_INFINITY])(
    '%j → undefined',
    (value) => {
      expect(parseFraction(value)).toBeUndefined();
    },
  );
});

describe('parseSizeBytes', () => {
  it.each([
    ['512MB', 512e6],
    ['256KiB', 262_144],
    ['1GiB', 1024 ** 3],
    ['1.5GB', 1.5e9],
    ['64 mib', 64 * 1024 ** 2],
    ['100B', 100],
  ])('%j → %d bytes', (text, expected) => {
    expect(parseSizeBytes(text)).toBe(expected);
  });

  // A bare number has no unit: 12 what?
  it.each(['12', '12 TB', 'MB', '-1MB', ''])('%j → undefined', (text) => {
    expect(parseSizeBytes(text)).toBeUndefined();
  });
});
