// Writes slo-gate.schema.json, the JSON Schema editors use to complete and check slo-gate.yml, from the
// zod schema in src/config. Run through tsx (`npm run schema`), which lets it import the TypeScript source.
// test/config/schema.test.ts fails when the committed file differs from what this would write.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { configJsonSchema } from '../src/config/json-schema.js';

const file = fileURLToPath(new URL('../slo-gate.schema.json', import.meta.url));
// Formatted as `prettier --check .` expects, so lint stays green after a regeneration.
const options = await resolveConfig(file);
await writeFile(file, await format(JSON.stringify(configJsonSchema()), { ...options, parser: 'json' }));
console.log(`wrote ${file}`);
