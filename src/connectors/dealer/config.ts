import { z } from 'zod';
import { commonConnectorShape } from '../common/config.js';

export const DealerConfigSchema = z
  .strictObject({
    ...commonConnectorShape,
    ratingScale: z
      .union([z.literal(5), z.literal(10), z.literal(100)])
      .default(5)
      .describe('Scale of the DMS rating column; it is converted to 0–5 stars (10 → /2, 100 → /20).'),
    dealerRegions: z.record(z.string(), z.string().max(32)).default({}).describe('Dealer code → sales region, e.g. {"SH021": "华东"}.'),
  })
  .describe('dealer connector: DMS service-order / service-feedback CSV exports (店端).');

export type DealerConfig = z.infer<typeof DealerConfigSchema>;
