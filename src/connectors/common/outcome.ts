import type { ParseOutcome } from '../connector.js';
import { deadLetterFrom } from '../../core/dead-letter.js';
import { ValidationError } from '../../core/errors.js';
import { FeedbackEventSchema, eventId, type FeedbackEvent, type FeedbackEventInput } from '../../core/feedback-event.js';
import { formatZodIssues } from '../../core/config.js';
import type { ParseContext } from './parse-context.js';

/** Stable skip reasons: counted in the run's accounting and documented in docs/connectors.md. */
export const SKIP_REASONS = {
  emptyText: 'empty_text',
  emojiOnly: 'emoji_only',
  duplicate: 'duplicate',
  nonText: 'non_text_message',
  staff: 'staff_message',
  recalled: 'recalled_message',
  noOpenAnswer: 'no_open_answer',
  blankRow: 'blank_row',
} as const;
export type SkipReason = (typeof SKIP_REASONS)[keyof typeof SKIP_REASONS] | `${(typeof SKIP_REASONS)['nonText']}:${string}`;

/** Dead-letter codes a connector can give; the reason text says expected vs got. */
export const DEAD_LETTER_CODES = {
  invalid: 'RECORD_INVALID',
  unknownShape: 'RECORD_SHAPE_UNKNOWN',
  timestamp: 'TIMESTAMP_INVALID',
  textTooLong: 'TEXT_TOO_LONG',
  eventInvalid: 'EVENT_INVALID',
  tooLarge: 'RECORD_TOO_LARGE',
  jsonSyntax: 'JSON_SYNTAX',
  csvSyntax: 'CSV_SYNTAX',
  csvColumns: 'CSV_COLUMN_COUNT',
  bug: 'PARSER_BUG',
} as const;

/** JSON.stringify that never throws (BigInt, cycles): the dead letter keeps only a hash and size anyway. */
export function safeStringify(raw: unknown): string {
  try {
    const s = JSON.stringify(raw, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    return s ?? String(raw);
  } catch {
    try {
      return String(raw);
    } catch {
      return '[unprintable]';
    }
  }
}

export function deadLetter(
  ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>,
  input: { source: string; position: string; code: string; reason: string; raw: unknown; eventId?: string | null; stage?: 'read' | 'parse' | 'validate' },
): ParseOutcome {
  const payload = typeof input.raw === 'string' ? input.raw : safeStringify(input.raw);
  return {
    kind: 'dead_letter',
    letter: deadLetterFrom({
      stage: input.stage ?? 'parse',
      error: new ValidationError(input.reason, { code: input.code }),
      position: input.position,
      source: input.source,
      channel: ctx.channel,
      eventId: input.eventId ?? null,
      payload,
      now: ctx.now(),
    }),
  };
}

export function skipped(reason: SkipReason, position: string): ParseOutcome {
  return { kind: 'skipped', reason, position };
}

/**
 * Builds the event, fills id and receivedAt, and validates it against the envelope: an event the
 * schema refuses (a vehicle series of 300 chars, a bad pseudonym) is dead-lettered, never published.
 */
export function buildEvent(
  ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>,
  input: Omit<FeedbackEventInput, 'id' | 'schemaVersion' | 'channel' | 'receivedAt'>,
  position: string,
  raw: unknown,
): ParseOutcome {
  const id = eventId(ctx.channel, input.source, input.sourceId);
  const candidate = {
    schemaVersion: 1,
    id,
    channel: ctx.channel,
    receivedAt: ctx.now().toISOString(),
    ...input,
    context: pruneUndefined(input.context ?? {}),
  };
  const parsed = FeedbackEventSchema.safeParse(candidate);
  if (!parsed.success) {
    const tooLong = parsed.error.issues.some((i) => i.path[0] === 'text' && i.code === 'too_big');
    return deadLetter(ctx, {
      source: input.source,
      position,
      code: tooLong ? DEAD_LETTER_CODES.textTooLong : DEAD_LETTER_CODES.eventInvalid,
      reason: tooLong
        ? `Feedback text is too long: expected at most 20000 characters, got ${input.text.length}.`
        : `The record does not make a valid FeedbackEvent: ${formatZodIssues(parsed.error)}.`,
      raw,
      eventId: id,
      stage: 'validate',
    });
  }
  return { kind: 'event', event: parsed.data satisfies FeedbackEvent, position };
}

/** Drops undefined values (and empty nested objects) so that the strict envelope sees only set keys. */
export function pruneUndefined<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === null || v === '') continue;
    if (typeof v === 'object' && !Array.isArray(v)) {
      const inner = pruneUndefined(v as Record<string, unknown>);
      if (Object.keys(inner).length === 0) continue;
      out[k] = inner;
    } else out[k] = v;
  }
  return out as T;
}

/**
 * Runs a parser so that it can never throw: whatever escapes (a bug, a pathological input) becomes
 * a dead letter for that record, and the rest of the file goes on.
 */
export function guard(
  ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>,
  source: string,
  position: string,
  raw: unknown,
  fn: () => ParseOutcome[],
): ParseOutcome[] {
  try {
    const out = fn();
    if (out.length > 0) return out;
    return [deadLetter(ctx, { source, position, code: DEAD_LETTER_CODES.bug, reason: 'The parser produced no outcome for this record.', raw })];
  } catch (err) {
    const name = err instanceof Error ? err.name : typeof err;
    return [deadLetter(ctx, { source, position, code: DEAD_LETTER_CODES.bug, reason: `The parser failed on this record (${name}).`, raw })];
  }
}

/** What a non-object record is, for "expected … got …" messages. */
function kindOf(raw: unknown): string {
  return Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw;
}

interface RecordAt {
  source: string;
  position: string;
  raw: unknown;
}

/** Dead letter for a record that is not an object at all: `Expected a post object, got an array.` */
export function notAnObject(ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>, at: RecordAt, expected: string): ParseOutcome {
  return deadLetter(ctx, { ...at, code: DEAD_LETTER_CODES.invalid, reason: `Expected ${expected}, got ${kindOf(at.raw)}.` });
}

/** Dead letter for a record its zod schema refuses: `Invalid social post: text: Required.` */
export function invalidRecord(ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>, at: RecordAt, what: string, issues: string): ParseOutcome {
  return deadLetter(ctx, { ...at, code: DEAD_LETTER_CODES.invalid, reason: `Invalid ${what}: ${issues}.` });
}

const TIMESTAMP_FORMATS = 'expected ISO 8601, "YYYY-MM-DD HH:mm:ss" or epoch';

/** Dead letter for a record whose time field does not parse: `Invalid work order: createdAt is not a timestamp (…).` */
export function badTimestamp(
  ctx: Pick<ParseContext<unknown>, 'channel' | 'now'>,
  at: RecordAt,
  what: string,
  field: string,
  expected: string = TIMESTAMP_FORMATS,
): ParseOutcome {
  return deadLetter(ctx, { ...at, code: DEAD_LETTER_CODES.timestamp, reason: `Invalid ${what}: ${field} is not a timestamp (${expected}).` });
}
