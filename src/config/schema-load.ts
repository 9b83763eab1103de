/**
 * The `load` block of slo-gate.yml: how long, how hard, in what shape. `duration` and `connections` are
 * optional here and defaulted in to-gate-config.ts, so that the stage rules can tell "not written" from
 * the default: `stages` replaces `duration`, and closed-loop stages set their own connections.
 */
import { z } from 'zod';
import { duration, expected, positiveDuration } from './schema-values.js';

/** One stage (issue #11): its length and what it ramps to, a rate or a connection count. */
const stageSchema = z.strictObject(
  {
    duration: positiveDuration('10s').meta({
      description: 'How long the stage lasts; its rate or connections ramp linearly over it.',
    }),
    rate: z
      .number({ error: expected('a number of requests per second, 0 or more') })
      .nonnegative()
      .optional()
      .meta({
        description:
          "The rate to reach by the end of the stage, ramping from the previous stage's (0 before the first). Equal to it: a hold.",
      }),
    connections: z
      .number({ error: expected('a whole number of connections from 0 to 10000') })
      .int()
      .min(0)
      .max(10_000)
      .optional()
      .meta({
        description:
          "Closed loop: the connections open by the end of the stage, added (or removed) evenly over it from the previous stage's (0 before the first).",
      }),
  },
  { error: expected('a stage such as { duration: 10s, rate: 50 }') },
);

export const loadSchema = z.strictObject(
  {
    // The default is documented, not applied here: see the note at the top.
    duration: positiveDuration('20s', '10s')
      .optional()
      .meta({ description: 'Measured window per endpoint. Default 10s.' }),
    warmup: duration('3s')
      .prefault('2s')
      .meta({ description: 'Unmeasured load before each window. Default 2s.' }),
    connections: z
      .number({ error: expected('a whole number of connections from 1 to 10000') })
      .int()
      .positive()
      .max(10_000)
      .optional()
      .meta({ description: 'Concurrent connections. Default 10.', default: 10 }),
    rate: z
      .number({ error: expected('a number of requests per second above zero') })
      .positive()
      .optional()
      .meta({ description: 'Fixed total arrival rate, requests per second. Omit for closed-loop load.' }),
    stages: z
      .array(stageSchema, { error: expected('a list of stages such as [{ duration: 10s, rate: 50 }]') })
      .min(1, { error: expected('at least one stage') })
      .optional()
      .meta({
        description:
          'Load that changes over the window, replacing duration: all stages by rate, or all by connections (closed loop). The warmup comes first and holds the lowest stage rate (or connections). SLOs are judged over all stages together.',
      }),
    'request-timeout': positiveDuration('5s')
      .prefault('5s')
      .meta({ description: 'A request unanswered this long is a failure. Default 5s.' }),
    mode: z
      .enum(['isolated', 'mixed'], { error: expected('isolated or mixed') })
      .default('isolated')
      .meta({
        description:
          'isolated: one endpoint after another. mixed: all together over the same connections, by `weight`, in one window. Default isolated.',
      }),
  },
  { error: expected('a map of load settings such as { duration: 10s }') },
);
