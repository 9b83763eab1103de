/**
 * Every file in test/fixtures/bad-configs is loaded from disk and must fail with exactly the one line below:
 * the message is the product. Each fixture's first line (YAML) says what is wrong with it.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config.js';
import { suggestKeys } from '../../src/config/suggest-keys.js';
import { GateError } from '../../src/errors.js';

const DIR = fileURLToPath(new URL('../fixtures/bad-configs/', import.meta.url));

/** API_TOKEN and PORT are deliberately unset. */
const ENV = { HOME: '/home/ci' };

interface BadConfig {
  file: string;
  /** The message as a user in the fixtures folder would see it. */
  error: string;
  /** The text the message's line:col points at; absent when the message has no position. */
  at?: string;
}

const CASES: BadConfig[] = [
  // YAML and JSON syntax
  {
    file: 'yaml-colon-in-value.yml',
    error:
      'yaml-colon-in-value.yml:5:11: invalid YAML: Nested mappings are not allowed in compact mappings (quote a value that contains ": ")',
    at: 'list: all',
  },
  {
    file: 'yaml-tab-indent.yml',
    error: 'yaml-tab-indent.yml:4:1: invalid YAML: Tabs are not allowed as indentation',
    at: '\t- path',
  },
  {
    file: 'yaml-two-documents.yml',
    error: 'yaml-two-documents.yml:5:1: invalid YAML: expected one document, found a second one after "---"',
    at: '---',
  },
  {
    file: 'yaml-duplicate-key.yml',
    error: 'yaml-duplicate-key.yml:6:3: load.duration: duplicate key; it is already set on line 4',
    at: 'duration: 10s',
  },
  {
    file: 'json-missing-comma.json',
    error: 'json-missing-comma.json:3:3: invalid JSON: Missing , between flow map items',
    at: '"endpoints"',
  },

  // The shape of the file
  { file: 'empty.yml', error: 'empty.yml: the config is empty; expected a map with target and endpoints' },
  {
    file: 'comments-only.yml',
    error: 'comments-only.yml: the config is empty; expected a map with target and endpoints',
  },
  {
    file: 'not-a-map.yml',
    error: 'not-a-map.yml:2:1: expected a map with target and endpoints, got a list',
    at: '- target',
  },
  {
    file: 'not-a-map.json',
    error: 'not-a-map.json:1:1: expected a map with target and endpoints, got "http://127.0.0.1:3000"',
    at: '"http://127.0.0.1:3000"',
  },
  {
    file: 'load-empty.yml',
    error:
      'load-empty.yml:3:1: load: expected a map of load settings such as { duration: 10s }, got an empty value',
    at: 'load:',
  },

  // target
  {
    file: 'missing-target.yml',
    error:
      'missing-target.yml: target: required, expected the base URL of the service, such as "http://127.0.0.1:3000"',
  },
  {
    file: 'target-ftp.yml',
    error:
      'target-ftp.yml:2:9: target: expected an http:// or https:// URL such as "http://127.0.0.1:3000", got "ftp://127.0.0.1:21"',
    at: 'ftp://127.0.0.1:21',
  },
  {
    file: 'target-no-scheme.yml',
    error:
      'target-no-scheme.yml:2:9: target: expected an http:// or https:// URL such as "http://127.0.0.1:3000", got "127.0.0.1:3000"',
    at: '127.0.0.1:3000',
  },

  // endpoints
  {
    file: 'missing-endpoints.yml',
    error: 'missing-endpoints.yml: endpoints: required, expected a list of endpoints, each with a path',
  },
  {
    file: 'endpoints-empty.yml',
    error: 'endpoints-empty.yml:3:12: endpoints: expected at least one endpoint, got an empty list',
    at: '[]',
  },
  {
    // A missing key points at the map that lacks it.
    file: 'endpoint-without-path.yml',
    error: 'endpoint-without-path.yml:5:5: endpoints[1].path: required, expected a path such as "/items"',
    at: 'name: search',
  },
  {
    file: 'path-without-slash.yml',
    error:
      'path-without-slash.yml:4:11: endpoints[0].path: expected a path starting with "/", such as "/items", got "items"',
    at: 'items',
  },
  {
    file: 'method-unknown.yml',
    error:
      'method-unknown.yml:5:13: endpoints[0].method: expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "fetch"',
    at: 'fetch',
  },
  {
    file: 'duplicate-names.yml',
    error:
      'duplicate-names.yml:6:11: endpoints[1].name: "items" is already the name of endpoints[0]; give each endpoint its own name',
    at: 'items',
  },
  {
    file: 'duplicate-default-names.yml',
    error:
      'duplicate-default-names.yml:5:5: endpoints[1]: its default name "GET /items" (method and path) is already the name of endpoints[0]; give one of them a name',
    at: 'path: /items',
  },
  {
    file: 'body-number.yml',
    error:
      'body-number.yml:6:11: endpoints[0].body: expected a string (sent as is) or a map or list (sent as JSON), got 42',
    at: '42',
  },
  {
    file: 'body-form-nested.yml',
    error:
      'body-form-nested.yml:9:16: endpoints[0].body.address: a form field is a string, number, true/false or a list of them, got a map (send nested data as JSON)',
    at: '{ city: London }',
  },
  {
    file: 'body-form-list-of-maps.yml',
    error:
      'body-form-list-of-maps.yml:8:17: endpoints[0].body.tags[1]: a form field is a string, number, true/false or a list of them, got a map (send nested data as JSON)',
    at: '{ b: c }',
  },
  {
    file: 'body-form-list.yml',
    error:
      'body-form-list.yml:7:11: endpoints[0].body: a form is a map of field names to values, got a list (headers.Content-Type is application/x-www-form-urlencoded)',
    at: '[a, b]',
  },
  {
    file: 'body-map-as-text.yml',
    error:
      'body-map-as-text.yml:7:11: endpoints[0].body: a map or list is sent as JSON or as a form, but headers.Content-Type is "text/plain"; set it to application/json (or a +json type) or application/x-www-form-urlencoded, or write the body as a string to send it as is',
    at: '{ text: hello }',
  },
  {
    file: 'header-twice.yml',
    error:
      'header-twice.yml:8:7: endpoints[0].headers.content-type: the same header as "Content-Type" (header names ignore case); keep one',
    at: 'content-type: text/plain',
  },
  {
    file: 'headers-list.yml',
    error: 'headers-list.yml:6:7: endpoints[0].headers: expected a map of header names to values, got a list',
    at: '- accept',
  },

  // Unknown keys
  {
    file: 'unknown-key-endpoint.yml',
    error: 'unknown-key-endpoint.yml:3:1: endpoint: unknown key; did you mean "endpoints"?',
    at: 'endpoint:',
  },
  {
    file: 'unknown-key-slo-p59.yml',
    error: 'unknown-key-slo-p59.yml:6:7: endpoints[0].slo.p59: unknown key; did you mean "p95"?',
    at: 'p59:',
  },
  {
    file: 'unknown-key-load-duraton.yml',
    error: 'unknown-key-load-duraton.yml:4:3: load.duraton: unknown key; did you mean "duration"?',
    at: 'duraton:',
  },
  {
    file: 'unknown-key-camel-case.yml',
    error: 'unknown-key-camel-case.yml:5:3: slo.errorRate: unknown key; did you mean "error-rate"?',
    at: 'errorRate:',
  },
  {
    file: 'unknown-key-no-match.yml',
    error:
      'unknown-key-no-match.yml:4:3: load.banana: unknown key; expected one of duration, warmup, connections, rate, stages, request-timeout, mode',
    at: 'banana:',
  },

  // Units
  {
    file: 'duration-word.yml',
    error: 'duration-word.yml:7:12: endpoints[1].slo.p95: expected a duration such as "250ms", got "fast"',
    at: 'fast',
  },
  {
    file: 'duration-bare-number.yml',
    error:
      'duration-bare-number.yml:4:8: slo.p95: expected a duration such as "250ms", got 250 (a bare number has no unit)',
    at: '250',
  },
  {
    file: 'duration-negative.yml',
    error: 'duration-negative.yml:4:11: load.warmup: expected a duration such as "3s", got "-1s"',
    at: '-1s',
  },
  {
    file: 'service-ready-timeout-zero.yml',
    error:
      'service-ready-timeout-zero.yml:6:14: service.ready.timeout: expected a duration above zero such as "60s", got "0s"',
    at: '0s',
  },
  {
    file: 'percentage-over-100.yml',
    error:
      'percentage-over-100.yml:4:15: slo.error-rate: expected a percentage from "0%" to "100%" or a fraction from 0 to 1, got "150%"',
    at: '150%',
  },
  {
    file: 'percentage-word.yml',
    error:
      'percentage-word.yml:4:15: slo.error-rate: expected a percentage from "0%" to "100%" or a fraction from 0 to 1, got "abc"',
    at: 'abc',
  },
  {
    file: 'fraction-above-one.yml',
    error:
      'fraction-above-one.yml:4:15: slo.error-rate: expected a percentage from "0%" to "100%" or a fraction from 0 to 1, got 1.5',
    at: '1.5',
  },
  {
    file: 'size-bare-number.json',
    error:
      'size-bare-number.json:3:23: slo.max-rss: expected a size such as "512MB", got 512 (a bare number has no unit)',
    at: '512',
  },

  // Numbers
  {
    file: 'connections-zero.yml',
    error:
      'connections-zero.yml:4:16: load.connections: expected a whole number of connections from 1 to 10000, got 0',
    at: '0',
  },
  {
    file: 'connections-fraction.yml',
    error:
      'connections-fraction.yml:4:16: load.connections: expected a whole number of connections from 1 to 10000, got 2.5',
    at: '2.5',
  },
  {
    file: 'rate-negative.yml',
    error: 'rate-negative.yml:4:9: load.rate: expected a number of requests per second above zero, got -5',
    at: '-5',
  },

  // Stages (issue #11)
  {
    file: 'stages-empty.yml',
    error: 'stages-empty.yml:4:11: load.stages: expected at least one stage, got an empty list',
    at: '[]',
  },
  {
    file: 'stages-hold-at-zero.yml',
    error:
      'stages-hold-at-zero.yml:7:29: load.stages[2].rate: is 0 and load.stages[1] ends at 0: the stage would offer no load (a stage may ramp down to 0, not hold it)',
    at: '0 }',
  },
  {
    file: 'stages-mixed-forms.yml',
    error:
      'stages-mixed-forms.yml:6:24: load.stages[1].connections: by connections here but by rate in load.stages[0]: give every stage a rate, or every stage connections',
    at: 'connections: 20',
  },
  {
    file: 'stages-with-baseline.yml',
    error:
      'stages-with-baseline.yml:4:3: load.stages: cannot be used with baseline: its rounds compare base and head in short windows at one steady load; use rate or connections',
    at: 'stages:',
  },
  {
    file: 'stages-with-connections.yml',
    error:
      'stages-with-connections.yml:4:3: load.connections: is set by each stage with stages by connections; remove it',
    at: 'connections: 10',
  },
  {
    file: 'stages-with-duration.yml',
    error:
      'stages-with-duration.yml:4:3: load.duration: give either duration or stages, not both: the stages last the measured window (their sum)',
    at: 'duration: 30s',
  },
  {
    file: 'stages-with-rate.yml',
    error:
      'stages-with-rate.yml:4:3: load.rate: give either rate or stages, not both: each stage gives the rate it ramps to',
    at: 'rate: 100',
  },
  {
    file: 'stages-without-target.yml',
    error:
      'stages-without-target.yml:5:7: load.stages[0]: needs a rate (req/s to ramp to) or connections (closed loop)',
    at: '{ duration: 10s }',
  },
  {
    file: 'stages-zero-length.yml',
    error:
      'stages-zero-length.yml:6:19: load.stages[1].duration: expected a duration above zero such as "10s", got "0s"',
    at: '0s',
  },

  // A mixed load (issue #10)
  {
    file: 'load-mode-unknown.yml',
    error: 'load-mode-unknown.yml:4:9: load.mode: expected isolated or mixed, got "together"',
    at: 'together',
  },
  {
    file: 'weight-zero.yml',
    error: 'weight-zero.yml:7:13: endpoints[0].weight: expected a whole number from 1 to 1000, got 0',
    at: '0',
  },
  {
    file: 'weight-fraction.yml',
    error: 'weight-fraction.yml:7:13: endpoints[1].weight: expected a whole number from 1 to 1000, got 2.5',
    at: '2.5',
  },
  {
    file: 'weight-string.yml',
    error: 'weight-string.yml:5:29: endpoints[0].weight: expected a whole number from 1 to 1000, got "high"',
    at: "'high'",
  },

  // expect-status: a union, whose vague "neither form" message must give way to the specific one
  {
    file: 'status-out-of-range.yml',
    error:
      'status-out-of-range.yml:5:20: endpoints[0].expect-status: expected an HTTP status code from 100 to 599, got 700',
    at: '700',
  },
  {
    file: 'status-list-out-of-range.yml',
    error:
      'status-list-out-of-range.yml:5:26: endpoints[0].expect-status[1]: expected an HTTP status code from 100 to 599, got 700',
    at: '700]',
  },
  {
    file: 'status-string.json',
    error:
      'status-string.json:3:54: endpoints[0].expect-status: expected a status code or a list of them such as [200, 201], got "200"',
    at: '"200"',
  },
  {
    file: 'expect-status-empty.yml',
    error:
      'expect-status-empty.yml:5:20: endpoints[0].expect-status: expected at least one status code, got an empty list (omit it to accept any 2xx)',
    at: '[]',
  },

  // ${VAR}
  {
    file: 'variable-unset.yml',
    error:
      'variable-unset.yml:6:22: endpoints[0].headers.authorization: environment variable API_TOKEN is not set',
    at: 'Bearer ${API_TOKEN}',
  },
  {
    file: 'variable-with-default.yml',
    error:
      'variable-with-default.yml:2:9: target: expected ${NAME}, got "${PORT:-3000}" (only plain names expand; write $${ for a literal ${)',
    at: 'http://127.0.0.1:${PORT:-3000}',
  },

  // service
  {
    file: 'service-without-command.yml',
    error:
      'service-without-command.yml:4:3: service.command: required, expected the command that starts the service, such as "node server.js"',
    at: 'cwd: ./app',
  },

  // Which of several issues is reported
  {
    file: 'first-in-file-wins.yml',
    error:
      'first-in-file-wins.yml:6:12: endpoints[0].slo.p99: expected a duration such as "250ms", got "soon"',
    at: 'soon',
  },
  // baseline and readiness
  {
    file: 'baseline-ref-and-service.yml',
    error:
      'baseline-ref-and-service.yml:6:8: baseline.ref: give either ref (a worktree started with the service settings) or service, not both',
    at: 'auto',
  },
  {
    file: 'baseline-ref-without-service.yml',
    error:
      'baseline-ref-without-service.yml:5:8: baseline.ref: needs a top-level service block: the base copy is started with its settings',
    at: 'main',
  },
  {
    file: 'resource-slo-without-service.yml',
    error:
      'resource-slo-without-service.yml:5:24: endpoints[0].slo.max-rss: needs a service block: resources are read from the process tree of a service slo-gate starts',
    at: 'max-rss',
  },
  {
    file: 'baseline-one-round.yml',
    error:
      'baseline-one-round.yml:5:11: baseline.rounds: expected a whole number of rounds from 2 to 50, got 1',
    at: '1',
  },
  {
    file: 'ready-tcp-out-of-range.yml',
    error:
      'ready-tcp-out-of-range.yml:5:17: service.ready.tcp: expected a TCP port from 1 to 65535, got 70000',
    at: '70000',
  },
  // capacity (issue #11)
  {
    file: 'capacity-to-below-from.yml',
    error: 'capacity-to-below-from.yml:3:28: capacity.to: expected a rate above from (500 req/s), got 400',
    at: '400',
  },
  {
    file: 'capacity-step-too-short.yml',
    error:
      'capacity-step-too-short.yml:6:9: capacity.step: expected a duration of at least 1s, got 500 ms (too few requests to judge a p95 on)',
    at: '500ms',
  },
  {
    file: 'capacity-from-text.yml',
    error:
      'capacity-from-text.yml:3:19: capacity.from: expected a number of requests per second above zero, got "fast"',
    at: 'fast',
  },
  {
    file: 'min-capacity-without-search.yml',
    error:
      'min-capacity-without-search.yml:5:24: endpoints[0].slo.min-capacity: needs a capacity block (top-level or on the endpoint): it judges the capacity search',
    at: 'min-capacity',
  },
  {
    file: 'capacity-per-endpoint-mixed.yml',
    error:
      "capacity-per-endpoint-mixed.yml:6:5: endpoints[0].capacity: is not supported with load.mode: mixed; the search is the whole mix's: use a top-level capacity block",
    at: 'capacity',
  },
];

async function loadError(file: string): Promise<GateError> {
  const thrown = await loadConfigFile(file, ENV).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(thrown instanceof GateError)) throw new Error(`${file}: expected a GateError, got ${String(thrown)}`);
  return thrown;
}

describe('bad configs', () => {
  it.each(CASES)('$file', async ({ file, error, at }) => {
    const full = path.join(DIR, file);
    const thrown = await loadError(full);
    expect(thrown.kind).toBe('config');
    expect(thrown.message.startsWith(DIR)).toBe(true);
    expect(thrown.message.slice(DIR.length)).toBe(error);

    const position = /^[^:]+:(\d+):(\d+): /.exec(error);
    if (at === undefined) {
      expect(position, 'a message without `at` has no line:col').toBeNull();
      return;
    }
    expect(position, 'a message with `at` has a line:col').not.toBeNull();
    const line = (await readFile(full, 'utf8')).split('\n')[Number(position![1]) - 1] ?? '';
    const column = Number(position![2]);
    expect(line.slice(column - 1, column - 1 + at.length)).toBe(at);
  });

  it('has a case for every fixture and a fixture for every case', async () => {
    const files = (await readdir(DIR)).sort();
    expect(CASES.map((c) => c.file).sort()).toEqual(files);
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  it('names a file it cannot read', async () => {
    const missing = path.join(DIR, 'no-such-config.yml');
    expect((await loadError(missing)).message).toBe(`${missing}: cannot read the config: no such file`);
    expect((await loadError(DIR)).message).toBe(`${DIR}: cannot read the config: is a directory`);
  });
});

describe('suggestKeys', () => {
  const KNOWN = ['p50', 'p90', 'p95', 'p99', 'max', 'error-rate', 'min-rps'];
  it.each([
    ['p59', KNOWN, ['p95']],
    ['P95', KNOWN, ['p95']],
    ['error_rate', KNOWN, ['error-rate']],
    ['errorRate', KNOWN, ['error-rate']],
    ['eror-rate', KNOWN, ['error-rate']],
    ['p5', KNOWN, ['p50', 'p95']],
    ['latency', KNOWN, []],
    ['endpoint', ['target', 'service', 'load', 'slo', 'endpoints'], ['endpoints']],
  ])('%s → %j', (key, known, expected) => {
    expect(suggestKeys(key, known)).toEqual(expected);
  });
});
