import { z } from 'zod';

/** Settings shared by both transports of the one SQL model. */
export const SqlModelConfigShape = {
  kAnonymity: z.number().int().min(1).max(1000).default(5).describe('Minimum distinct authors per published cell (k); the v_* views are generated with it.'),
  verbatims: z.enum(['off', 'redacted']).default('redacted').describe('Store the redacted clause per event × code for R&D (no author), or not.'),
  dayOffsetMinutes: z.number().int().min(-720).max(840).default(480).describe('UTC offset of the business day in minutes; 480 = China Standard Time.'),
  bucketKey: z.string().min(16).optional().describe('Secret for the monthly author buckets; default VOC_PSEUDONYM_KEY, else the store key file.'),
  maxBatchRows: z.number().int().min(1).max(100_000).default(10_000).describe('Events per INSERT: larger batches are split (one INSERT is one atomic block).'),
  emerging: z
    .strictObject({
      minVolume: z.number().int().min(1).default(5).describe('Minimum weekly mentions for a code to be flagged emerging.'),
      baselineWeeks: z.number().int().min(1).max(52).default(4).describe('Trailing weeks averaged as the baseline.'),
      ratio: z.number().positive().default(2).describe('Mentions / baseline at or above which a code is emerging.'),
    })
    .default({ minVolume: 5, baselineWeeks: 4, ratio: 2 })
    .describe('v_emerging_issues parameters.'),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).default(120).describe('Attempts per write while the store is unreachable (back-pressure: the write blocks meanwhile).'),
      initialDelayMs: z.number().int().min(1).default(200).describe('First retry delay.'),
      maxDelayMs: z.number().int().min(1).default(5000).describe('Largest retry delay.'),
    })
    .default({ maxAttempts: 120, initialDelayMs: 200, maxDelayMs: 5000 })
    .describe('Retries with exponential backoff and jitter for transient store errors.'),
  connectAttempts: z.number().int().min(1).default(5).describe('Attempts to reach the store and migrate on connect.'),
} as const;
