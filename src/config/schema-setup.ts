/** The `capture` map of a setup step (issue #10 part 2): where each captured value is read from. */
import { z } from 'zod';
import { expected } from './schema-values.js';

const CAPTURE_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const captureSource = z.union(
  [
    z.strictObject({
      json: z
        .string({ error: expected('a dot path such as data.token or items.0.id') })
        .min(1)
        .meta({ description: 'A dot path into the JSON body: access_token, data.token, items.0.id.' }),
    }),
    z.strictObject({
      header: z
        .string({ error: expected('a header name such as set-cookie') })
        .min(1)
        .meta({ description: 'A response header, in any case.' }),
    }),
  ],
  { error: expected('{ json: dot.path } or { header: name }') },
);

/** Names to where each is read from; a name is then a `{{ name }}` template in later requests. */
export const captureSchema = z
  .record(
    z.string().regex(CAPTURE_NAME, {
      error: expected('a name of letters, digits, _ and -, starting with a letter or _'),
    }),
    captureSource,
    { error: expected('a map of names to { json: dot.path } or { header: name }') },
  )
  .meta({
    description:
      'Values to capture from the response, by name, for `{{ name }}` in later setup steps and endpoints; masked as secrets in logs and reports.',
  });
