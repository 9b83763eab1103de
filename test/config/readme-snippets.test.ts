/**
 * The README's YAML is copied into workflows and configs by people starting out: every block must parse,
 * and every block that is a whole slo-gate.yml must pass the validator.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseConfig } from '../../src/config/load-config.js';

const README = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
const blocks = [...README.matchAll(/```yaml\n([\s\S]*?)```/g)].map((match, i) => ({
  index: i + 1,
  text: match[1]!,
  firstLine: match[1]!.split('\n')[0]!,
}));
const configs = blocks.filter(({ text }) => /^target:/m.test(text) && /^endpoints:/m.test(text));

describe('the README', () => {
  it('has YAML blocks, some of them whole configs', () => {
    expect(blocks.length).toBeGreaterThan(10);
    expect(configs.length).toBeGreaterThanOrEqual(5);
  });

  it.each(blocks)('YAML block $index parses ($firstLine)', ({ text }) => {
    expect(() => parse(text)).not.toThrow();
  });

  it.each(configs)('config block $index is valid ($firstLine)', ({ text }) => {
    expect(() =>
      parseConfig(text, 'README.md', { API_TOKEN: 'a-token-value', ADMIN_PASSWORD: 'a-password' }),
    ).not.toThrow();
  });
});
