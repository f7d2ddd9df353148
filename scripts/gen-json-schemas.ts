// Regenerates schemas/*.schema.json from the zod schemas: `npm run schemas`.
import { writeFileSync } from 'node:fs';
import { GENERATED_SCHEMAS, renderJsonSchema } from '../src/core/json-schemas.js';

for (const entry of GENERATED_SCHEMAS) {
  writeFileSync(entry.file, renderJsonSchema(entry));
  process.stdout.write(`wrote ${entry.file}\n`);
}
