import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatChangeParts,
  formatChartNumber,
  formatCheckValue,
  formatCount,
  formatMegabytes,
  formatMs,
  formatPercent,
  formatRate,
  formatRateValue,
  formatSignedMegabytes,
  formatSignedPercent,
  plural,
} from '../../src/report/format.js';
import type { CheckUnit } from '../../src/report/model.js';

describe('formatMs', () => {
  it.each([
    [0, '0.00 ms'],
    [0.42, '0.42 ms'],
    [9.99, '9.99 ms'],
    [9.996, '10.0 ms'],
    [12.34, '12.3 ms'],
    [99.97, '100 ms'],
    [250, '250 ms'],
    [999.4, '999 ms'],
    [999.6, '1.00 s'],
    [1_250, '1.25 s'],
    [65_000, '65.00 s'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    [Number.NaN, 'NaN'],
  ])('%d → %j', (ms, expected) => {
    expect(formatMs(ms)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [0, '0%'],
    [0.00001, '<0.01%'],
    [0.0001, '0.01%'],
    [0.005, '0.50%'],
    [0.00999, '1.0%'],
    [0.01, '1.0%'],
    [0.0123, '1.2%'],
    [0.125, '12.5%'],
    [1, '100.0%'],
  ])('%d → %j', (fraction, expected) => {
    expect(formatPercent(fraction)).toBe(expected);
  });
});

describe('formatSignedPercent', () => {
  // One decimal under 10%, whole percents from 10% on; a true minus sign.
  it.each([
    [0.2, '+20%'],
    [0, '+0.0%'],
    [0.031, '+3.1%'],
    [-0.035, '−3.5%'],
    [-0.12, '−12%'],
    [0.0999, '+10.0%'],
    [0.1, '+10%'],
  ])('%d → %j', (fraction, expected) => {
    expect(formatSignedPercent(fraction)).toBe(expected);
  });
});

describe('formatChange', () => {
  it('reads as a percentage with its interval', () => {
    expect(formatChange({ change: 0.2, low: 0.14, high: 0.26, rounds: 6 })).toBe('+20% (95% CI +14…+26%)');
    expect(formatChange({ change: -0.052, low: -0.081, high: -0.02, rounds: 6 })).toBe(
      '−5.2% (95% CI −8.1…−2.0%)',
    );
  });

  it('gives the change and the interval apart', () => {
    expect(formatChangeParts({ change: 0.031, low: -0.02, high: 0.09, rounds: 6 })).toEqual({
      change: '+3.1%',
      interval: '95% CI −2.0…+9.0%',
    });
  });
});

describe('sizes, rates and counts', () => {
  it.each([
    ['formatMegabytes', formatMegabytes(12_345_678), '12.3 MB'],
    ['formatMegabytes', formatMegabytes(0), '0.0 MB'],
    ['formatSignedMegabytes', formatSignedMegabytes(1_500_000), '+1.5 MB'],
    ['formatSignedMegabytes', formatSignedMegabytes(-200_000), '−0.2 MB'],
    ['formatRateValue', formatRateValue(80), '80.0'],
    ['formatRate', formatRate(123.456), '123.5 req/s'],
    ['formatCount', formatCount(1_234_567), '1,234,567'],
    ['plural', plural(1, 'endpoint'), '1 endpoint'],
    ['plural', plural(0, 'endpoint'), '0 endpoints'],
    ['plural', plural(3, 'line'), '3 lines'],
    ['formatChartNumber', formatChartNumber(12.3456), '12.35'],
    ['formatChartNumber', formatChartNumber(250), '250'],
  ])('%s → %j', (_name, actual, expected) => {
    expect(actual).toBe(expected);
  });
});

describe('formatCheckValue', () => {
  it.each<[CheckUnit, number | null, string]>([
    ['ms', 87, '87.0 ms'],
    ['fraction', 0.01, '1.0%'],
    ['rps', 80, '80.0 req/s'],
    ['bytes', 512e6, '512.0 MB'],
    ['ms', null, 'n/a'],
  ])('%s %j → %j', (unit, value, expected) => {
    expect(formatCheckValue({ unit }, value)).toBe(expected);
  });
});
