import { z } from 'zod';
import { deadLetterFrom } from '../../core/dead-letter.js';
import { ValidationError } from '../../core/errors.js';
import { formatZodIssues } from '../../core/config.js';
import { eventId, FEEDBACK_EVENT_SCHEMA_VERSION, FeedbackEventSchema, type Channel } from '../../core/feedback-event.js';
import type { ParseOutcome } from '../connector.js';

export const SOURCE = 'feedback_events';

/**
 * The input form of a FeedbackEvent line: `id`, `receivedAt` and `schemaVersion` may be left out
 * (they are derived), everything else is the canonical envelope.
 */
const FeedbackEventLineSchema = FeedbackEventSchema.extend({
  schemaVersion: z.literal(FEEDBACK_EVENT_SCHEMA_VERSION).optional(),
  id: FeedbackEventSchema.shape.id.optional(),
  receivedAt: FeedbackEventSchema.shape.receivedAt.optional(),
  authorKey: FeedbackEventSchema.shape.authorKey.optional(),
});

/** Parses one JSONL line of canonical FeedbackEvents: pure, never throws. */
export function parseFeedbackEventLine(line: string, position: string, now: () => Date = () => new Date()): ParseOutcome {
  const fail = (error: ValidationError, channel: Channel | null = null): ParseOutcome => ({
    kind: 'dead_letter',
    letter: deadLetterFrom({ stage: 'parse', error, position, source: SOURCE, channel, payload: line }),
  });
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (err) {
    return fail(new ValidationError(`Line is not valid JSON: ${(err as Error).message}.`, { code: 'BAD_JSON' }));
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return fail(new ValidationError(`Expected a JSON object, got ${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw}.`, { code: 'BAD_SHAPE' }));
  }
  const parsed = FeedbackEventLineSchema.safeParse(raw);
  if (!parsed.success) {
    const channel = (raw as { channel?: unknown }).channel;
    const known = typeof channel === 'string' && ['hotline', 'survey', 'private_domain', 'social', 'dealer'].includes(channel);
    return fail(new ValidationError(`Not a FeedbackEvent: ${formatZodIssues(parsed.error)}.`, { code: 'SCHEMA_INVALID' }), known ? (channel as Channel) : null);
  }
  const e = parsed.data;
  const id = eventId(e.channel, e.source, e.sourceId);
  if (e.id !== undefined && e.id !== id) {
    return fail(new ValidationError(`id ${e.id} does not match channel + source + sourceId (expected ${id}).`, { code: 'ID_MISMATCH' }), e.channel);
  }
  if (e.text.trim() === '') {
    return fail(new ValidationError('text is empty.', { code: 'TEXT_EMPTY' }), e.channel);
  }
  return {
    kind: 'event',
    position,
    event: {
      ...e,
      schemaVersion: FEEDBACK_EVENT_SCHEMA_VERSION,
      id,
      receivedAt: e.receivedAt ?? now().toISOString(),
      authorKey: e.authorKey ?? null,
    },
  };
}
