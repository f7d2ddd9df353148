import { z } from 'zod';
import { SqlModelConfigShape } from '../sql/config.js';

export const ClickHouseSinkConfigSchema = z
  .strictObject({
    url: z.url().default('http://127.0.0.1:8123').describe('HTTP URL of the ClickHouse server.'),
    database: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
      .default('voc')
      .describe('Database that holds the voc tables (created if missing).'),
    username: z.string().default('default').describe('ClickHouse user.'),
    password: z.string().default('').describe('ClickHouse password (prefer VOC_CLICKHOUSE_PASSWORD).'),
    requestTimeoutMs: z.number().int().min(1000).default(30_000).describe('Per-request timeout; a timed-out write is retried from its ledger check.'),
    keyFile: z
      .string()
      .default('.voc/pseudonym.key')
      .describe('Key file for the author buckets when neither bucketKey nor VOC_PSEUDONYM_KEY is set (local runs only).'),
    ...SqlModelConfigShape,
  })
  .describe('ClickHouse server sink (HTTP, @clickhouse/client): the same SQL model as the embedded store.');

export type ClickHouseSinkConfig = z.infer<typeof ClickHouseSinkConfigSchema>;
