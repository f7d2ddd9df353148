// Regenerates schemas/*.schema.json from the zod schemas: `npm run schemas`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { GENERATED_SCHEMAS, renderJsonSchema } from '../src/core/json-schemas.js';

for (const entry of GENERATED_SCHEMAS) {
  mkdirSync(dirname(entry.file), { recursive: true });
  writeFileSync(entry.file, renderJsonSchema(entry));
  process.stdout.write(`wrote ${entry.file}\n`);
}
