import { z } from 'zod';
import { commonConnectorShape } from '../common/config.js';

export const SurveyConfigSchema = z
  .strictObject({
    ...commonConnectorShape,
    openAnswerColumnPattern: z
      .string()
      .default('^(?:[QqＱ]\\d+|\\d+[、.．]|open[:：])')
      .describe('Regular expression on CSV headers marking an open-answer column; the header (without the marker) is the question. Other unknown columns are ignored, never published.'),
    platform: z.string().max(32).default('survey').describe('context.platform of survey events, e.g. "wjx" or "qualtrics".'),
  })
  .superRefine((cfg, ctx) => {
    try {
      new RegExp(cfg.openAnswerColumnPattern, 'u');
    } catch {
      ctx.addIssue({ code: 'custom', path: ['openAnswerColumnPattern'], message: 'expected a valid regular expression' });
    }
  })
  .describe('survey connector: CSV exports and JSON webhook payloads (NPS, CSAT, open answers).');

export type SurveyConfig = z.infer<typeof SurveyConfigSchema>;
