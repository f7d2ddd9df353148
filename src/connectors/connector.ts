import type { DeadLetter } from '../core/dead-letter.js';
import type { FeedbackEvent } from '../core/feedback-event.js';

/**
 * What a connector's pure parsing core yields for each input record: an event (or several — a
 * transcript may yield one per call, a survey one per open answer), or a dead letter, or a skip
 * (a non-text chat message, a repost already counted) which is counted, never silent.
 */
export type ParseOutcome =
  | { kind: 'event'; event: FeedbackEvent; position: string }
  | { kind: 'dead_letter'; letter: DeadLetter }
  | { kind: 'skipped'; reason: string; position: string };

export interface ReadBatch {
  outcomes: ParseOutcome[];
  /** Acknowledge the batch once the bus accepted its events (or report the failure). */
  ack(err?: unknown): Promise<void>;
}

export const END = Symbol('connector.end');

/** The connector contract: connect → read() → { outcomes, ack(err?) } | END → close. */
export interface Connector {
  readonly name: string;
  connect(signal?: AbortSignal): Promise<void>;
  read(signal?: AbortSignal): Promise<ReadBatch | typeof END>;
  close(): Promise<void>;
}
