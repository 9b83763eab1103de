/**
 * The JSON Schema of slo-gate.yml, for editors' completion and checks as the user types (yaml-language-server
 * reads the `# yaml-language-server: $schema=...` line). Made from `configSchema`, so the two cannot drift;
 * `npm run schema` writes it to slo-gate.schema.json and a test fails when that file is stale.
 */
import { z } from 'zod';
import { configSchema } from './schema.js';

/**
 * The input side of the schema: what users write ("250ms", "1%"), not what the loader returns. It accepts
 * a little more than the loader (it cannot parse units or see `${VAR}`), never less.
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input' }) as Record<string, unknown>;
}
