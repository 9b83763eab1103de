/**
 * The `capacity` block (issue #11 part 3): the search for the highest rate an endpoint holds within its SLO,
 * top-level and per endpoint. Rules across its keys (from below to, a step of at least a second) are in
 * capacity-rules.ts, so each message names its key.
 */
import { z } from 'zod';
import { duration, expected, fraction, positiveDuration } from './schema-values.js';

const rate = (what: string) =>
  z
    .number({ error: expected(`a number of requests per second above zero`) })
    .positive()
    .meta({ description: what });

export const capacitySchema = z
  .strictObject(
    {
      from: rate('The first rate tried, requests per second; the search doubles it while the SLO holds.'),
      to: rate('The highest rate ever offered, requests per second.'),
      step: positiveDuration('3s').meta({
        description: 'Measured time at each rate tried (at least 1s), after a short warmup at that rate.',
      }),
      precision: fraction.prefault('10%').meta({
        description:
          'The search ends once the highest rate that held and the lowest that broke are within this of each other. Default 10%.',
      }),
      'max-time': positiveDuration('60s').optional().meta({
        description:
          'Cap on the search per endpoint, warmups included (both sides with a baseline); the report says when it stopped the search early. Default 60s, 120s with a baseline.',
      }),
      warmup: duration('1s').optional().meta({
        description: 'Unmeasured load before each step, at its rate. Default: a third of step, at most 1s.',
      }),
    },
    { error: expected('a map such as { from: 50, to: 5000, step: 3s }') },
  )
  .meta({
    description:
      'Search for the highest rate each endpoint holds within its p95 and error-rate SLOs, after its normal measurement.',
  });

/** An endpoint's own search, or false to leave it out of the top-level one. */
export const endpointCapacitySchema = z
  .union([capacitySchema, z.literal(false)], {
    error: expected('a capacity map such as { from: 50, to: 5000, step: 3s }, or false'),
  })
  .meta({ description: "This endpoint's capacity search, replacing the top-level one; false: none." });

/** `slo.min-capacity`: a lower bound on the capacity found. */
export const minCapacitySchema = z
  .number({ error: expected('a number of requests per second above zero') })
  .positive()
  .optional()
  .meta({
    description: 'Fail when the capacity found (see `capacity`) is below this many requests per second.',
  });

export type RawCapacity = z.output<typeof capacitySchema>;
