/**
 * The value forms slo-gate.yml's schema is built from: strings with units, fractions, maps of strings, and
 * the "expected <what>, got <value>" messages they all give.
 */
import { z } from 'zod';
import { parseDurationMs, parseFraction, parseSizeBytes } from './units.js';

/** How a value reads in a message: strings quoted, lists and maps named rather than dumped. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // `key:` with nothing after it is null in YAML.
  if (value === null) return 'an empty value';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'object') return Object.keys(value).length === 0 ? 'an empty map' : 'a map';
  return String(value);
}

/** A zod error function: "expected <what>, got <value>", or only "expected <what>" for a missing key. */
export const expected =
  (what: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? `expected ${what}` : `expected ${what}, got ${describeValue(issue.input)}`;

/**
 * A string with a unit, turned into a number by `parse`. Only strings: a bare number has no unit, and the
 * JSON Schema says "string" so editors flag `p95: 250` as they type. `example` is offered for completion.
 */
function unitValue(
  what: string,
  example: string,
  parse: (text: string) => number | undefined,
  minimum = 0,
  documentedDefault?: string,
) {
  const expectedWhat = `${what} such as "${example}"`;
  return (
    z
      .string({
        error: (issue) =>
          typeof issue.input === 'number'
            ? `expected ${expectedWhat}, got ${issue.input} (a bare number has no unit)`
            : expected(expectedWhat)(issue),
      })
      // On the string, not the result: zod drops examples from a transform's input side.
      .meta({ examples: [example], ...(documentedDefault ? { default: documentedDefault } : {}) })
      .transform((text, ctx) => {
        const parsed = parse(text);
        if (parsed === undefined || parsed < minimum) {
          ctx.addIssue({ code: 'custom', message: `expected ${expectedWhat}, got ${describeValue(text)}` });
          return z.NEVER;
        }
        return parsed;
      })
  );
}

export const duration = (example: string) => unitValue('a duration', example, parseDurationMs);
/** `documentedDefault`: shown in the JSON Schema for a key whose default the loader applies itself. */
export const positiveDuration = (example: string, documentedDefault?: string) =>
  unitValue('a duration above zero', example, parseDurationMs, Number.MIN_VALUE, documentedDefault);

/** "1%" or 0.01: both forms are common in SLO documents, so both are accepted. */
export const fraction = z
  .union([z.string(), z.number()], {
    error: expected('a percentage such as "1%" or a fraction such as 0.01'),
  })
  .meta({ examples: ['1%', 0.01] })
  .transform((value, ctx) => {
    const parsed = parseFraction(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a percentage from "0%" to "100%" or a fraction from 0 to 1, got ${describeValue(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

export const size = unitValue('a size', '512MB', parseSizeBytes);

/** Header and environment values: numbers and booleans are written as text, since that is what is sent. */
export const stringMap = (what: string) =>
  z.record(
    z.string(),
    z
      .union([z.string(), z.number(), z.boolean()], { error: expected('a string, number or true/false') })
      .transform(String),
    { error: expected(`a map of ${what}`) },
  );
