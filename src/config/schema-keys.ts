/**
 * The keys the schema allows at a path, for "did you mean". zod has no public way to walk a schema, so this
 * reads its internal definitions (`_zod.def`: `shape`, `element`, `innerType`, `in`); it is the one module
 * that does, so a zod upgrade that moves them breaks here and in test/config/schema-keys.test.ts.
 */
import type { z } from 'zod';
import { configSchema } from './schema.js';

/** The keys of the map the schema expects at `at` (`$schema` left out), or none when it is not a map. */
export function knownKeysAt(at: readonly PropertyKey[]): string[] {
  let schema: z.core.$ZodType | undefined = configSchema;
  for (const part of at) {
    schema = schema && unwrap(schema);
    if (!schema) return [];
    const def = schema._zod.def as unknown as Record<string, unknown>;
    if (typeof part === 'number') schema = def.element as z.core.$ZodType | undefined;
    else schema = (def.shape as Record<string, z.core.$ZodType> | undefined)?.[String(part)];
  }
  schema = schema && unwrap(schema);
  const shape = schema?._zod.def as unknown as { shape?: Record<string, unknown> } | undefined;
  return shape?.shape ? Object.keys(shape.shape).filter((k) => k !== '$schema') : [];
}

/** Through optional, default and prefault (innerType) and pipes (in) to the schema of the value written. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let current = schema;
  for (;;) {
    const def = current._zod.def as unknown as Record<string, unknown>;
    const inner = (def.innerType ?? (def.type === 'pipe' ? def.in : undefined)) as
      z.core.$ZodType | undefined;
    if (!inner) return current;
    current = inner;
  }
}
