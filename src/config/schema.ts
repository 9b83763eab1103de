/**
 * The one description of slo-gate.yml. The validator (`configSchema.safeParse`) and the JSON Schema shipped
 * for editors are both made from it, so they cannot drift. Keys are kebab-case, as users write them;
 * the parsed values carry their unit in their name (`durationMs`, `errorRate` as a fraction).
 */
import { z } from 'zod';
import { parseDurationMs, parseFraction, parseSizeBytes } from './units.js';

const describe = (value: unknown): string =>
  typeof value === 'string' ? JSON.stringify(value) : String(value);

/** A string with a unit, turned into a number by `parse`, with one clear message when it does not fit. */
function unitValue(expected: string, parse: (text: string) => number | undefined, minimum = 0) {
  return z
    .union([z.string(), z.number()], {
      error: (issue) => `expected ${expected}, got ${describe(issue.input)}`,
    })
    .transform((value, ctx) => {
      const parsed = typeof value === 'string' ? parse(value) : undefined;
      if (parsed === undefined || parsed < minimum) {
        const hint = typeof value === 'number' ? ' (a bare number has no unit)' : '';
        ctx.addIssue({ code: 'custom', message: `expected ${expected}, got ${describe(value)}${hint}` });
        return z.NEVER;
      }
      return parsed;
    });
}

const duration = (example: string) => unitValue(`a duration such as "${example}"`, parseDurationMs);
const positiveDuration = (example: string) =>
  unitValue(`a duration above zero such as "${example}"`, parseDurationMs, Number.MIN_VALUE);

const fraction = z
  .union([z.string(), z.number()], {
    error: (issue) =>
      `expected a percentage such as "1%" or a fraction such as 0.01, got ${describe(issue.input)}`,
  })
  .transform((value, ctx) => {
    const parsed = parseFraction(value);
    if (parsed === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: `expected a percentage from "0%" to "100%" or a fraction from 0 to 1, got ${describe(value)}`,
      });
      return z.NEVER;
    }
    return parsed;
  });

const size = unitValue('a size such as "512MB"', parseSizeBytes);

const positiveInt = (what: string) =>
  z
    .number({ error: (issue) => `expected ${what}, got ${describe(issue.input)}` })
    .int(`expected ${what}`)
    .positive(`expected ${what}`);

const stringMap = (what: string) =>
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), {
    error: (issue) => `expected a map of ${what}, got ${describe(issue.input)}`,
  });

/** SLO targets. Latencies are upper bounds; `min-rps` is a lower bound on measured throughput. */
const sloSchema = z
  .strictObject(
    {
      p50: duration('250ms')
        .optional()
        .meta({ description: 'Upper bound on the median latency, e.g. "50ms".' }),
      p90: duration('250ms').optional().meta({ description: 'Upper bound on the 90th percentile latency.' }),
      p95: duration('250ms').optional().meta({ description: 'Upper bound on the 95th percentile latency.' }),
      p99: duration('250ms').optional().meta({ description: 'Upper bound on the 99th percentile latency.' }),
      max: duration('1s').optional().meta({ description: 'Upper bound on the slowest request.' }),
      'error-rate': fraction
        .optional()
        .meta({ description: 'Upper bound on failed / attempted requests: "1%" or 0.01.' }),
      'min-rps': z
        .number({
          error: (issue) => `expected a number of requests per second, got ${describe(issue.input)}`,
        })
        .nonnegative()
        .optional()
        .meta({ description: 'Lower bound on measured throughput, requests per second.' }),
      'max-rss': size
        .optional()
        .meta({ description: 'Upper bound on the service\'s peak resident memory, e.g. "512MB".' }),
      'max-rss-growth': size
        .optional()
        .meta({ description: "Upper bound on the service's memory growth over the measured window." }),
      'max-cpu-per-request': duration('2ms')
        .optional()
        .meta({ description: 'Upper bound on service CPU time per request, e.g. "2ms".' }),
    },
    { error: (issue) => `expected a map of SLO targets, got ${describe(issue.input)}` },
  )
  .meta({ description: 'SLO targets.' });

const statusCode = z
  .number({ error: (issue) => `expected an HTTP status code such as 200, got ${describe(issue.input)}` })
  .int('expected a whole HTTP status code')
  .min(100, 'expected an HTTP status code from 100 to 599')
  .max(599, 'expected an HTTP status code from 100 to 599');

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const endpointSchema = z.strictObject(
  {
    name: z.string().min(1).optional().meta({ description: 'Shown in reports. Default: "METHOD path".' }),
    method: z
      .string()
      .transform((m) => m.toUpperCase())
      .pipe(
        z.enum(methods, {
          error: (issue) => `expected one of ${methods.join(', ')}, got ${describe(issue.input)}`,
        }),
      )
      .default('GET')
      .meta({ description: 'HTTP method. Default GET.' }),
    path: z
      .string({ error: 'expected a path such as "/items"' })
      .refine((p) => p.startsWith('/'), {
        error: (issue) => `expected a path starting with "/", got ${describe(issue.input)}`,
      })
      .meta({ description: 'Request path, relative to `target`.' }),
    headers: stringMap('header names to values')
      .optional()
      .meta({ description: 'Request headers; ${VAR} expands.' }),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: 'expected a string (sent as is) or an object (sent as JSON)',
      })
      .optional()
      .meta({ description: 'Request body: an object is sent as JSON, a string as is.' }),
    'expect-status': z
      .union([statusCode.transform((code) => [code]), z.array(statusCode).min(1)], {
        error: (issue) =>
          `expected a status code or a list of them such as [200, 201], got ${describe(issue.input)}`,
      })
      .optional()
      .meta({ description: 'Statuses that count as success. Default: any 2xx.' }),
    slo: sloSchema
      .optional()
      .meta({ description: 'Targets for this endpoint; each key overrides the top-level `slo`.' }),
  },
  { error: (issue) => `expected an endpoint such as { path: "/items" }, got ${describe(issue.input)}` },
);

const readySchema = z.strictObject({
  url: z
    .string()
    .min(1)
    .default('/health')
    .meta({ description: 'Health URL, absolute or relative to `target`. Default /health.' }),
  timeout: positiveDuration('60s')
    .default(60_000)
    .meta({ description: 'How long to wait for readiness. Default 60s.' }),
  interval: positiveDuration('200ms')
    .default(200)
    .meta({ description: 'Time between probes. Default 200ms.' }),
});

const serviceSchema = z.strictObject({
  command: z
    .string({ error: 'expected the command that starts the service, such as "node server.js"' })
    .min(1, 'expected the command that starts the service, such as "node server.js"')
    .meta({ description: 'Run through the shell in its own process group. ${VAR} is left to the shell.' }),
  cwd: z
    .string()
    .default('.')
    .meta({ description: 'Working directory, relative to the config file. Default ".".' }),
  env: stringMap('variable names to values')
    .default({})
    .meta({ description: 'Extra environment variables.' }),
  ready: readySchema.prefault({}).meta({ description: 'How to tell the service is ready.' }),
  'stop-timeout': duration('10s')
    .default(10_000)
    .meta({ description: 'Grace period between SIGTERM and SIGKILL at teardown. Default 10s.' }),
});

const loadSchema = z.strictObject({
  duration: positiveDuration('20s')
    .default(10_000)
    .meta({ description: 'Measured window per endpoint. Default 10s.' }),
  warmup: duration('3s')
    .default(2_000)
    .meta({ description: 'Unmeasured load before each window. Default 2s.' }),
  connections: positiveInt('a whole number of connections above zero')
    .max(10_000, 'expected at most 10000 connections')
    .default(10)
    .meta({ description: 'Concurrent connections. Default 10.' }),
  rate: z
    .number({ error: (issue) => `expected requests per second as a number, got ${describe(issue.input)}` })
    .positive('expected a rate above zero requests per second')
    .optional()
    .meta({ description: 'Fixed total arrival rate, requests per second. Omit for closed-loop load.' }),
  'request-timeout': positiveDuration('5s')
    .default(5_000)
    .meta({ description: 'A request unanswered this long is a failure. Default 5s.' }),
});

export const configSchema = z.strictObject(
  {
    $schema: z.string().optional().meta({ description: 'Ignored: for editors.' }),
    target: z
      .string({ error: 'expected the base URL of the service, such as "http://127.0.0.1:3000"' })
      .refine((t) => /^https?:\/\/[^/]/.test(t) && URL.canParse(t), {
        error: (issue) =>
          `expected an http:// or https:// URL such as "http://127.0.0.1:3000", got ${describe(issue.input)}`,
      })
      .meta({ description: 'Base URL; endpoint paths are relative to it.' }),
    service: serviceSchema
      .optional()
      .meta({ description: 'How to start the service. Omit to test a running target.' }),
    load: loadSchema.prefault({}).meta({ description: 'Load shape, the same for every endpoint.' }),
    slo: sloSchema.optional().meta({ description: 'Default targets for every endpoint.' }),
    endpoints: z
      .array(endpointSchema, { error: 'expected a list of endpoints, each with a path' })
      .min(1, 'expected at least one endpoint'),
  },
  { error: (issue) => `expected a map with target and endpoints, got ${describe(issue.input)}` },
);

export type RawConfig = z.output<typeof configSchema>;
export type RawSlo = z.output<typeof sloSchema>;
