/**
 * Warnings: what a config may say but likely does not mean. Each is placed in the file like an error and
 * names the endpoint; the config still loads.
 */
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const endpoint = (lines: string) =>
  `target: http://127.0.0.1:3000\nendpoints:\n  - name: create item\n    method: POST\n    path: /items\n${lines}`;

describe('config warnings', () => {
  it.each([
    {
      case: 'a string body with no content-type',
      yaml: endpoint(`    body: '{"title":"x"}'\n`),
      warnings: [
        'slo-gate.yml:6:11: endpoints[0].body: "create item" sends this string with no content-type header, which servers may ignore or misread; set one in headers, such as content-type: application/json',
      ],
    },
    {
      case: 'the default name when none is given',
      yaml: 'target: http://127.0.0.1:3000\nendpoints:\n  - { path: /a, method: put, body: x }\n',
      warnings: [
        'slo-gate.yml:3:36: endpoints[0].body: "PUT /a" sends this string with no content-type header, which servers may ignore or misread; set one in headers, such as content-type: application/json',
      ],
    },
    {
      case: 'a string body with a content-type in any case',
      yaml: endpoint(`    headers: { CONTENT-TYPE: text/plain }\n    body: hello\n`),
      warnings: [],
    },
    { case: 'an empty string body (nothing is sent)', yaml: endpoint(`    body: ''\n`), warnings: [] },
    { case: 'a map body (JSON, labelled)', yaml: endpoint(`    body: { title: x }\n`), warnings: [] },
    { case: 'no body', yaml: endpoint(''), warnings: [] },
    {
      case: 'a weight without a mixed load',
      yaml: endpoint(`    weight: 3\n`),
      warnings: [
        'slo-gate.yml:6:5: endpoints[0].weight: is only used with load.mode: mixed; with isolated (the default) each endpoint is loaded alone',
      ],
    },
    {
      case: 'a weight in a mixed load',
      yaml: `load: { mode: mixed }\n${endpoint(`    weight: 3\n`)}`,
      warnings: [],
    },
  ])('$case', ({ yaml, warnings }) => {
    expect(parseConfig(yaml, 'slo-gate.yml', {}).warnings).toEqual(warnings);
  });

  it('masks an expanded secret the warning would quote', () => {
    const yaml = 'target: http://127.0.0.1:3000\nendpoints:\n  - { name: "${NAME}", path: /a, body: x }\n';
    const [warning] = parseConfig(yaml, 'slo-gate.yml', { NAME: 'private-name' }).warnings;
    expect(warning).toContain('"***" sends this string');
    expect(warning).not.toContain('private-name');
  });
});
