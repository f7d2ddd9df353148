import { z } from 'zod';
import { commonConnectorShape } from '../common/config.js';

export const SOCIAL_PLATFORMS = ['weibo', 'douyin', 'autohome', 'dongchedi', 'xiaohongshu', 'bilibili', 'zhihu', 'yiche', 'mobile01', 'ptt', 'facebook', 'other'] as const;

export const SocialConfigSchema = z
  .strictObject({
    ...commonConnectorShape,
    dedupWindow: z
      .number()
      .int()
      .min(1)
      .max(10_000_000)
      .default(100_000)
      .describe('How many recent content fingerprints are remembered to count reposts and copy-paste duplicates once (bounded memory).'),
    platformDefaults: z
      .record(z.string(), z.strictObject({ language: z.string().max(16).optional(), region: z.string().max(32).optional() }))
      .default({ mobile01: { language: 'zh-Hant', region: 'TW' }, ptt: { language: 'zh-Hant', region: 'TW' } })
      .describe('Language and region assumed per platform when a post does not say (Taiwanese forums write Traditional Chinese).'),
  })
  .describe('social connector: a social-listening vendor feed (JSON Lines), one post or comment per line.');

export type SocialConfig = z.infer<typeof SocialConfigSchema>;
