import { z } from 'zod';
import { OffsetSchema } from './time.js';

export const ENCODINGS = ['auto', 'utf8', 'gb18030'] as const;
export type FileEncoding = (typeof ENCODINGS)[number];

/** Settings every file-reading connector shares; spread into each connector's strict schema. */
export const commonConnectorShape = {
  paths: z
    .array(z.string().min(1))
    .default([])
    .describe('Files or directories the connector reads when created as a component (replay passes its own path).'),
  encoding: z
    .enum(ENCODINGS)
    .default('auto')
    .describe('Text encoding of input files: auto detects UTF-8 (with or without BOM) or else GB18030 (a superset of GBK).'),
  timezoneOffset: OffsetSchema,
  maxRecordBytes: z
    .number()
    .int()
    .min(1024)
    .max(64 * 1024 * 1024)
    .default(1_048_576)
    .describe('A single record (JSON value or CSV row) larger than this is dead-lettered without being parsed.'),
  batchSize: z.number().int().min(1).max(100_000).default(500).describe('Outcomes per read() batch of the created connector.'),
};
