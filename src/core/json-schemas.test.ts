import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERATED_SCHEMAS, renderJsonSchema } from './json-schemas.js';

describe('checked-in JSON Schemas', () => {
  for (const entry of GENERATED_SCHEMAS) {
    it(`${entry.file} matches its zod schema (run \`npm run schemas\` after changing it)`, () => {
      expect(readFileSync(entry.file, 'utf8')).toBe(renderJsonSchema(entry));
    });
  }

  it('the FeedbackEvent schema requires the envelope fields', () => {
    const schema = JSON.parse(renderJsonSchema(GENERATED_SCHEMAS[0]!)) as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required).toEqual(expect.arrayContaining(['id', 'channel', 'source', 'sourceId', 'occurredAt', 'receivedAt', 'text', 'authorKey', 'schemaVersion']));
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['context', 'consent']));
  });
});
