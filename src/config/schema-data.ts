/** The `data` key: named data sets that request templates take their rows from (issue #10). */
import { z } from 'zod';
import { expected } from './schema-values.js';

/** How rows are taken: in file order (wrapping around), at random, or each once only (load stops at the end). */
export const dataOrders = ['sequential', 'random', 'unique'] as const;

const dataSetSchema = z.strictObject(
  {
    file: z
      .string({ error: expected('a file such as "data/users.csv"') })
      .refine((file) => /\.(csv|jsonl|json)$/i.test(file), {
        error: expected('a .csv (with a header row), .jsonl or .json (a list of objects) file'),
      })
      .meta({
        description:
          'Relative to the config file: .csv with a header row, .jsonl (one object a line), or .json (a list of objects).',
      }),
    order: z
      .enum(dataOrders, { error: expected(`one of ${dataOrders.join(', ')}`) })
      .default('sequential')
      .meta({
        description:
          'sequential (default: file order, wrapping around), random, or unique (each row once; the endpoint stops when they run out).',
      }),
  },
  { error: expected('a data set such as { file: data/users.csv }') },
);

export const dataSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_-]*$/, {
      error: expected('a data set name of letters, digits, _ and - (starting with a letter or _)'),
    }),
    dataSetSchema,
    { error: expected('a map of data set names to { file, order }') },
  )
  .meta({
    description:
      'Named data sets for request templates: `{{ set.field }}` in a path, header or body takes that field of one row per request.',
  });
