import { z } from 'zod';
import { commonConnectorShape } from '../common/config.js';

export const RoomMappingSchema = z
  .strictObject({
    vehicleSeries: z.string().max(64).optional().describe('Vehicle series the group is about (车主群 of one series).'),
    region: z.string().max(32).optional().describe('Sales region or market of the group.'),
    province: z.string().max(32).optional().describe('Province of the group.'),
    city: z.string().max(32).optional().describe('City of the group.'),
    coCreation: z.boolean().default(false).describe('Members joined this group as co-creation (共创) volunteers: their messages carry consent.coCreation.'),
  })
  .describe('What one WeCom group chat is about.');

export const PrivateDomainConfigSchema = z
  .strictObject({
    ...commonConnectorShape,
    rooms: z.record(z.string(), RoomMappingSchema).default({}).describe('WeCom roomid → vehicle series / region. Room ids are never published.'),
    customerSenderPattern: z
      .string()
      .default('^(wo|wm)')
      .describe('Regular expression on the WeCom `from` id marking an external contact (a customer); others are staff and skipped as staff_message.'),
    includeStaffMessages: z.boolean().default(false).describe('Publish staff messages too (they are skipped by default: staff text is not customer feedback).'),
  })
  .superRefine((cfg, ctx) => {
    try {
      new RegExp(cfg.customerSenderPattern);
    } catch {
      ctx.addIssue({ code: 'custom', path: ['customerSenderPattern'], message: 'expected a valid regular expression' });
    }
  })
  .describe('private_domain connector: WeCom archived chat messages and owner-app posts and comments.');

export type PrivateDomainConfig = z.infer<typeof PrivateDomainConfigSchema>;
