import { z } from 'zod';
import { commonConnectorShape } from '../common/config.js';

export const HotlineConfigSchema = z
  .strictObject({
    ...commonConnectorShape,
    customerRoles: z
      .array(z.string().min(1))
      .default(['customer', 'caller', 'user', 'client', '客户', '用户', '来电人'])
      .describe('Speaker roles whose turns are the customer speaking (case-insensitive); only these become feedback text.'),
    agentRoles: z
      .array(z.string().min(1))
      .default(['agent', 'staff', 'operator', 'ivr', 'bot', '坐席', '客服'])
      .describe('Speaker roles of the call centre; their text is never published, only an intent derived from it.'),
    hotlineRegions: z
      .record(z.string(), z.string().max(32))
      .default({})
      .describe('Hotline number (digits only) → sales region, e.g. {"4008208888": "CN", "0800123456": "TW"}.'),
  })
  .describe('hotline connector: 400 call-centre transcripts (JSON) and work orders (CSV).');

export type HotlineConfig = z.infer<typeof HotlineConfigSchema>;
