import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The five channel types a carmaker hears its customers on. */
export const CHANNELS = ['hotline', 'survey', 'private_domain', 'social', 'dealer'] as const;
export type Channel = (typeof CHANNELS)[number];
export const ChannelSchema = z.enum(CHANNELS).describe('Channel type the feedback came in on.');

export const FEEDBACK_EVENT_SCHEMA_VERSION = 1 as const;

/** Keys made by `Pseudonymizer`: hex HMAC-SHA256, truncated. Never a raw identifier. */
export const PseudonymSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a 32-hex-digit keyed hash (HMAC)');

const isoDateTime = z.iso.datetime({ offset: true });

export const RatingsSchema = z
  .strictObject({
    nps: z.number().int().min(0).max(10).optional().describe('Net Promoter Score answer, 0–10.'),
    csat: z.number().int().min(1).max(5).optional().describe('Customer satisfaction, 1–5.'),
    stars: z.number().min(0).max(5).optional().describe('Star rating given on a platform or at a dealer, 0–5.'),
  })
  .describe('Ratings given with the feedback.');

export const FeedbackContextSchema = z
  .strictObject({
    vehicleSeries: z.string().max(64).optional().describe('Vehicle series (车系), e.g. "星海S7".'),
    vehicleModel: z.string().max(128).optional().describe('Model / trim (车型).'),
    modelYear: z.number().int().min(1980).max(2100).optional().describe('Model year (年款).'),
    province: z.string().max(32).optional().describe('Province (省), Simplified Chinese.'),
    city: z.string().max(32).optional().describe('City (市).'),
    region: z.string().max(32).optional().describe('Sales region or market, e.g. "华东", "TW", "HK".'),
    dealerCode: z.string().max(32).optional().describe('Dealer (4S store) code: a business, not a person.'),
    agentKey: PseudonymSchema.optional().describe('Pseudonymised call-centre agent or service advisor.'),
    platform: z.string().max(32).optional().describe('Platform for social / private-domain feedback, e.g. weibo, wecom.'),
    ratings: RatingsSchema.optional(),
    npsClass: z.enum(['promoter', 'passive', 'detractor']).optional().describe('NPS class derived from ratings.nps.'),
    question: z.string().max(500).optional().describe('Survey question the text answers.'),
    intent: z.string().max(64).optional().describe('Call or ticket category chosen by an agent.'),
    language: z.string().max(16).optional().describe('Declared language tag, e.g. zh-Hans, zh-Hant.'),
    extra: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe('Other low-risk context fields.'),
  })
  .describe('Business context of the feedback; never a person identifier in clear.');

export const ConsentSchema = z
  .strictObject({
    coCreation: z.boolean().default(false).describe('The customer opted in to co-creation (共创) contact.'),
  })
  .describe('Consent flags carried from the source.');

export const FeedbackEventSchema = z
  .strictObject({
    schemaVersion: z.literal(FEEDBACK_EVENT_SCHEMA_VERSION).describe('Envelope version.'),
    id: z.string().regex(/^[0-9a-f]{32}$/).describe('Deterministic id from channel + source + sourceId (see eventId()).'),
    channel: ChannelSchema,
    source: z.string().min(1).max(64).describe('System or format within the channel, e.g. "hotline.transcript", "social.weibo".'),
    sourceId: z.string().min(1).max(256).describe('Record id in the source; pseudonymised when it identifies a person or vehicle.'),
    occurredAt: isoDateTime.describe('When the customer said it (ISO 8601 with offset).'),
    receivedAt: isoDateTime.describe('When voc-stream received it.'),
    text: z.string().max(20_000).describe('Feedback text, as received (redacted by the NLP stage before storage).'),
    authorKey: PseudonymSchema.nullable().describe('Pseudonymous author key (keyed HMAC), null when unknown.'),
    context: FeedbackContextSchema.default({}),
    consent: ConsentSchema.default({ coCreation: false }),
  })
  .describe('voc-stream canonical feedback envelope.');

export type FeedbackEvent = z.infer<typeof FeedbackEventSchema>;
export type FeedbackEventInput = z.input<typeof FeedbackEventSchema>;
export type FeedbackContext = z.infer<typeof FeedbackContextSchema>;

/**
 * The event id: a replay of the same source record yields the same id, which is what lets the
 * store deduplicate redeliveries.
 */
export function eventId(channel: Channel, source: string, sourceId: string): string {
  return createHash('sha256').update(`${channel}\u0000${source}\u0000${sourceId}`).digest('hex').slice(0, 32);
}
