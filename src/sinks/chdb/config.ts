import { z } from 'zod';
import { SqlModelConfigShape } from '../sql/config.js';

export const ChdbSinkConfigSchema = z
  .strictObject({
    path: z.string().min(1).default('.voc').describe('Directory of the embedded store (created if missing).'),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .default('voc')
      .describe('Database inside the store that holds the voc tables.'),
    ...SqlModelConfigShape,
  })
  .describe('Embedded ClickHouse (chDB) store: the same SQL model as the server, in-process.');

export type ChdbSinkConfig = z.infer<typeof ChdbSinkConfigSchema>;
