import { z } from 'zod';
import { VocConfigSchema } from './config.js';
import { connectorRegistry } from '../connectors/registry.js';
import { CHANNELS, FeedbackEventSchema } from './feedback-event.js';

/**
 * JSON Schema files in schemas/ are generated from the zod schemas (the source of truth) so that
 * other teams can validate without TypeScript; a test fails when a checked-in file drifts.
 */
export const GENERATED_SCHEMAS: { file: string; schema: z.ZodType; title: string; io: 'input' | 'output' }[] = [
  { file: 'schemas/feedback-event.schema.json', schema: FeedbackEventSchema, title: 'FeedbackEvent', io: 'output' },
  { file: 'schemas/voc-config.schema.json', schema: VocConfigSchema, title: 'voc-stream configuration', io: 'input' },
  ...CHANNELS.map((c) => ({
    file: `schemas/connectors/${c}.config.schema.json`,
    schema: connectorRegistry[c].configSchema as z.ZodType,
    title: `connectors.${c} configuration`,
    io: 'input' as const,
  })),
];

export function renderJsonSchema(entry: (typeof GENERATED_SCHEMAS)[number]): string {
  const json = z.toJSONSchema(entry.schema, { io: entry.io, unrepresentable: 'any' }) as Record<string, unknown>;
  return JSON.stringify({ title: entry.title, ...json }, null, 2) + '\n';
}
