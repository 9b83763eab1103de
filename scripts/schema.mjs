// Writes slo-gate.schema.json, the JSON Schema editors use to complete and check slo-gate.yml, and the
// README's config reference, from the zod schema in src/config. Run through tsx (`npm run schema`), which
// lets it import the TypeScript source. test/config/schema.test.ts fails when either differs from what this
// would write.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { configJsonSchema } from '../src/config/json-schema.js';
import { regeneratedReadme } from '../src/config/reference.js';

const file = fileURLToPath(new URL('../slo-gate.schema.json', import.meta.url));
// Formatted as `prettier --check .` expects, so lint stays green after a regeneration.
const options = await resolveConfig(file);
await writeFile(file, await format(JSON.stringify(configJsonSchema()), { ...options, parser: 'json' }));
console.log(`wrote ${file}`);

// The README's config reference, between its markers.
const readmeFile = fileURLToPath(new URL('../README.md', import.meta.url));
const readme = await regeneratedReadme(await readFile(readmeFile, 'utf8'), configJsonSchema(), readmeFile);
if (readme === undefined) throw new Error('README.md has no config-reference markers');
await writeFile(readmeFile, readme);
console.log(`updated the config reference in ${readmeFile}`);
