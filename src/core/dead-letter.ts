import { createHash } from 'node:crypto';
import { errorCode, errorMessage, PipelineError } from './errors.js';
import type { Channel } from './feedback-event.js';

export type DeadLetterStage = 'read' | 'parse' | 'validate' | 'bus' | 'nlp' | 'sink';

/**
 * A record that could not be processed, with enough to find and replay it: where it came from
 * (source position), which stage refused it and why. The raw payload is not kept here (it may
 * hold identifiers); only its hash and size, so operators can match it in the source.
 */
export interface DeadLetter {
  stage: DeadLetterStage;
  code: string;
  reason: string;
  attempt: number;
  /** e.g. "examples/x.jsonl:12" or "voc.raw.hotline/3/1042". */
  position: string;
  source: string;
  channel: Channel | null;
  eventId: string | null;
  payloadSha256: string;
  payloadBytes: number;
  at: string;
}

export function deadLetterFrom(input: {
  stage: DeadLetterStage;
  error: unknown;
  position: string;
  source: string;
  channel?: Channel | null;
  eventId?: string | null;
  payload: string | Buffer;
  attempt?: number;
  now?: Date;
}): DeadLetter {
  const payload = typeof input.payload === 'string' ? Buffer.from(input.payload, 'utf8') : input.payload;
  return {
    stage: input.stage,
    code: input.error instanceof PipelineError ? input.error.code : errorCode(input.error),
    reason: errorMessage(input.error).slice(0, 1000),
    attempt: input.attempt ?? 1,
    position: input.position,
    source: input.source,
    channel: input.channel ?? null,
    eventId: input.eventId ?? null,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
    payloadBytes: payload.length,
    at: (input.now ?? new Date()).toISOString(),
  };
}
