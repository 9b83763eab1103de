/**
 * The one description of slo-gate.yml. The validator (`configSchema.safeParse`) and the JSON Schema shipped
 * for editors (`configJsonSchema`) are both made from it, so they cannot drift. Keys are kebab-case, as users
 * write them; the parsed values carry their unit in their name (`durationMs`, `errorRate` as a fraction).
 *
 * Every message reads "expected <what>, got <value>". The loader prefixes the file, line, column and key
 * path, and says "required" when the key is missing (zod then passes no input, so no "got").
 */
import { z } from 'zod';
import { dataSchema } from './schema-data.js';
import { loadSchema } from './schema-load.js';
import { captureSchema } from './schema-setup.js';
import { capacitySchema, endpointCapacitySchema, minCapacitySchema } from './schema-capacity.js';
import { duration, expected, fraction, positiveDuration, size, stringMap } from './schema-values.js';

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
        .meta({ description: 'Upper bound on failed / attempted requests: "1%" or 0.01. Default 1%.' }),
      'min-rps': z
        .number({ error: expected('a number of requests per second, 0 or more') })
        .nonnegative()
        .optional()
        .meta({ description: 'Lower bound on measured throughput, requests per second.' }),
      'min-capacity': minCapacitySchema,
      'max-rss': size
        .optional()
        .meta({ description: 'Upper bound on the service\'s peak resident memory, e.g. "512MB".' }),
      'max-rss-growth': size
        .optional()
        .meta({ description: "Upper bound on the service's memory growth over the measured window." }),
      'max-cpu-per-request': duration('2ms')
        .optional()
        .meta({ description: 'Upper bound on service CPU time per request, e.g. "2ms".' }),
      'max-regression': fraction.optional().meta({
        description:
          'With a baseline: the largest p95 regression against the base allowed, e.g. "10%". Overrides baseline.max-regression.',
      }),
    },
    { error: expected('a map of SLO targets such as { p95: 250ms }') },
  )
  .meta({ description: 'SLO targets.' });

const statusCode = z
  .number({ error: expected('an HTTP status code from 100 to 599') })
  .int()
  .min(100)
  .max(599);

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

const endpointSchema = z.strictObject(
  {
    name: z
      .string({ error: expected('a name') })
      .min(1)
      .optional()
      .meta({ description: 'Shown in reports; distinct per endpoint. Default: "METHOD path".' }),
    // Any case is accepted and sent upper-case; the message shows what was written, not its upper case.
    method: z
      .string({ error: expected(`one of ${methods.join(', ')}`) })
      .meta({ examples: [...methods] })
      .refine((method) => (methods as readonly string[]).includes(method.toUpperCase()))
      .transform((method) => method.toUpperCase())
      .prefault('GET')
      .meta({ description: `HTTP method, in any case: ${methods.join(', ')}. Default GET.` }),
    path: z
      .string({ error: expected('a path such as "/items"') })
      .refine((p) => p.startsWith('/'), { error: expected('a path starting with "/", such as "/items"') })
      .meta({
        description:
          'Request path, relative to `target`; `{{ set.field }}`, `{{ seq }}`, `{{ uuid }}` and `{{ random-int A B }}` are filled per request (values URL-encoded).',
      }),
    headers: stringMap('header names to values').optional().meta({
      description:
        'Request headers; ${VAR} expands once, `{{ }}` templates per request. accept-encoding is "gzip, deflate" unless set here, in any case ("" sends none).',
    }),
    body: z
      .union([z.string(), z.record(z.string(), z.unknown()), z.array(z.unknown())], {
        error: expected('a string (sent as is) or a map or list (sent as JSON)'),
      })
      .optional()
      .meta({
        description:
          'Request body: a map or list is sent as JSON (content-type application/json unless a header sets one), a map as a form with content-type application/x-www-form-urlencoded, a string as is (give its content-type); ${VAR} expands once, `{{ }}` templates per request (a JSON value that is exactly one template keeps its type: a number stays a number).',
      }),
    'expect-status': z
      .union(
        [
          statusCode.transform((code) => [code]),
          z.array(statusCode).min(1, {
            error: 'expected at least one status code, got an empty list (omit it to accept any 2xx)',
          }),
        ],
        { error: expected('a status code or a list of them such as [200, 201]') },
      )
      .optional()
      .meta({ description: 'Statuses that count as success. Default: any 2xx.' }),
    slo: sloSchema
      .optional()
      .meta({ description: 'Targets for this endpoint; each key overrides the top-level `slo`.' }),
    weight: z
      .number({ error: expected('a whole number from 1 to 1000') })
      .int()
      .min(1)
      .max(1000)
      .optional()
      .meta({
        description:
          'With load.mode: mixed, its share of the requests (6, 3 and 1 send 60%, 30% and 10%). Default 1.',
      }),
    capacity: endpointCapacitySchema.optional(),
  },
  { error: expected('an endpoint such as { path: "/items" }') },
);

/** A request sent once after boot and before any load, in order, e.g. a login (issue #10 part 2). */
const setupStepSchema = endpointSchema
  .omit({ slo: true, weight: true, capacity: true })
  .extend({
    capture: captureSchema.optional(),
    'per-connection': z
      .boolean({ error: expected('true or false') })
      .optional()
      .meta({
        description:
          'Send this step once per connection instead of once (each connection its own login, taking its own data row); its captures are per connection.',
      }),
  })
  .meta({ description: 'A setup request: sent once, before any load; a failure ends the run (exit 3).' });

const readySchema = z.strictObject(
  {
    url: z
      .string({ error: expected('a URL, or a path relative to `target`, such as "/health"') })
      .min(1)
      .optional()
      .meta({
        description:
          'Health URL, absolute or relative to `target`. Default /health, unless `log` or `tcp` is given.',
      }),
    log: z
      .string({ error: expected('text the service prints when it is ready, such as "Listening on"') })
      .min(1)
      .optional()
      .meta({ description: "Ready once a line of the service's output contains this text." }),
    tcp: z
      .number({ error: expected('a TCP port from 1 to 65535') })
      .int()
      .min(1)
      .max(65_535)
      .optional()
      .meta({ description: 'Ready once this TCP port on the target host accepts connections.' }),
    timeout: positiveDuration('60s')
      .prefault('60s')
      .meta({ description: 'How long to wait for readiness. Default 60s.' }),
    interval: positiveDuration('200ms')
      .prefault('200ms')
      .meta({ description: 'Time between probes. Default 200ms.' }),
  },
  { error: expected('a map such as { url: /health, timeout: 60s }') },
);

const serviceSchema = z.strictObject(
  {
    command: z
      .string({ error: expected('the command that starts the service, such as "node server.js"') })
      .min(1)
      .meta({ description: 'Run through the shell in its own process group. ${VAR} is left to the shell.' }),
    setup: z
      .string({ error: expected('a shell command such as "python3 seed.py"') })
      .min(1)
      .optional()
      .meta({
        description:
          'Run through the shell in `cwd`, with `env`, before the service starts (seed, migrate, restore a fixture); its output opens the service log, and a failure stops the gate.',
      }),
    'setup-timeout': positiveDuration('5m')
      .prefault('5m')
      .meta({ description: 'service.setup is stopped, and the gate fails, after this long. Default 5m.' }),
    cwd: z
      .string({ error: expected('a folder, relative to the config file') })
      .default('.')
      .meta({ description: 'Working directory, relative to the config file. Default ".".' }),
    env: stringMap('variable names to values')
      .default({})
      .meta({ description: 'Extra environment variables; ${VAR} expands.' }),
    ready: readySchema.prefault({}).meta({ description: 'How to tell the service is ready.' }),
    'stop-timeout': duration('10s')
      .prefault('10s')
      .meta({ description: 'Grace period between SIGTERM and SIGKILL at teardown. Default 10s.' }),
  },
  {
    error: expected('a map with the command that starts the service, such as { command: "node server.js" }'),
  },
);

const targetUrl = 'an http:// or https:// URL such as "http://127.0.0.1:3000"';

const baselineSchema = z.strictObject(
  {
    target: z
      .string({ error: expected(`the base copy's URL, ${targetUrl.replace('3000', '3001')}`) })
      .refine((t) => /^https?:\/\/[^/]/.test(t) && URL.canParse(t), { error: expected(targetUrl) })
      .meta({ description: "Base URL of the base branch's copy of the service (another port)." }),
    service: serviceSchema
      .optional()
      .meta({ description: 'How to start the base copy. Omit with `ref`, or when it is already running.' }),
    ref: z
      .string({ error: expected('"auto" or a branch, tag or commit') })
      .min(1)
      .optional()
      .meta({
        description:
          'Check the base out into a git worktree and start it with the service settings: "auto" for the pull request\'s base commit, or a ref.',
      }),
    setup: z
      .string({ error: expected('a shell command such as "npm ci"') })
      .min(1)
      .optional()
      .meta({ description: 'With `ref`: run in the worktree before the base copy starts, e.g. "npm ci".' }),
    env: stringMap('variable names to values').default({}).meta({
      description: 'With `ref`: environment on top of service.env for the base copy (its PORT, say).',
    }),
    rounds: z
      .number({ error: expected('a whole number of rounds from 2 to 50') })
      .int()
      .min(2)
      .max(50)
      .default(6)
      .meta({ description: 'Alternating rounds per endpoint (base head, head base, …). Default 6.' }),
    'round-duration': positiveDuration('2s')
      .prefault('2s')
      .meta({ description: 'Measured time of each side in each round. Default 2s.' }),
    'max-regression': fraction.prefault('10%').meta({
      description:
        'The largest p95 regression allowed: fails when the whole 95% interval is above it. Default 10%.',
    }),
    'on-inconclusive': z
      .enum(['fail', 'pass'], { error: expected('fail or pass') })
      .default('pass')
      .meta({
        description:
          'When the interval straddles max-regression (too wide to tell): pass with a warning (default) or fail.',
      }),
  },
  { error: expected('a map such as { target: "http://127.0.0.1:3001", ref: auto }') },
);

/** slo-gate.yml as users write it; parsing gives `RawConfig`, which the loader turns into `GateConfig`. */
export const configSchema = z
  .strictObject(
    {
      $schema: z.string().optional().meta({ description: 'Ignored: for editors.' }),
      target: z
        .string({
          error: (issue) =>
            issue.input === undefined
              ? 'expected the base URL of the service, such as "http://127.0.0.1:3000"'
              : expected(targetUrl)(issue),
        })
        .refine((t) => /^https?:\/\/[^/]/.test(t) && URL.canParse(t), { error: expected(targetUrl) })
        .meta({ description: 'Base URL; endpoint paths are relative to it. ${VAR} expands.' }),
      service: serviceSchema
        .optional()
        .meta({ description: 'How to start the service. Omit to test a running target.' }),
      load: loadSchema.prefault({}).meta({ description: 'Load shape, the same for every endpoint.' }),
      slo: sloSchema.optional().meta({ description: 'Default targets for every endpoint.' }),
      baseline: baselineSchema
        .optional()
        .meta({ description: 'Compare with the base branch, measured side by side in alternating rounds.' }),
      capacity: capacitySchema.optional(),
      data: dataSchema.optional(),
      setup: z
        .array(setupStepSchema, { error: expected('a list of setup requests, each with a path') })
        .optional()
        .meta({
          description:
            'Requests sent once, in order, after the service is ready and before any load (a login); their `capture` values fill `{{ name }}` templates.',
        }),
      endpoints: z
        .array(endpointSchema, { error: expected('a list of endpoints, each with a path') })
        .min(1, { error: expected('at least one endpoint') })
        .meta({ description: 'The requests to load, one at a time, each held to its SLO.' }),
    },
    { error: expected('a map with target and endpoints') },
  )
  .meta({
    title: 'slo-gate.yml',
    description: 'slo-gate: load-test a service and gate pull requests on its SLOs.',
  });

/** The parsed config, still keyed as written; units already parsed into numbers (ms, bytes, fractions). */
export type RawConfig = z.output<typeof configSchema>;
/** One `slo` map, parsed. */
export type RawSlo = z.output<typeof sloSchema>;
