import type { DeadLetter } from '../core/dead-letter.js';
import type { EnrichedEvent } from '../core/enriched-event.js';
import type { CodeFrame } from '../nlp/codeframe/types.js';

export interface WriteResult {
  /** Events newly written. */
  written: number;
  /** Events already in the store (a redelivery or a second replay): skipped, not counted twice. */
  duplicates: number;
  /** Mention rows (event × code) written. */
  mentions: number;
  /** Records the store refused permanently; the caller dead-letters them. */
  rejected: RejectedEvent[];
}

export interface RejectedEvent {
  eventId: string;
  error: unknown;
  /** Where the event came from, for its dead letter, when the sink still knows (prepared events). */
  channel?: string;
  source?: string;
}

/**
 * Events a sink has encoded ahead of the write (Sink.prepare), opaque to everyone else. The write
 * path holds these instead of EnrichedEvents while they wait for a group-commit insert.
 */
export interface PreparedEvents {
  /** Ids of the events accepted for writing (those in `rejected` are not). */
  readonly eventIds: readonly string[];
  /** Events the encoding refused: never written, and handed back with the write's result. */
  readonly rejected: readonly RejectedEvent[];
}

export interface RunAccounting {
  runId: string;
  mode: 'replay' | 'service' | 'bench';
  startedAt: string;
  finishedAt: string;
  read: number;
  published: number;
  processed: number;
  /** Items counted on purpose and not stored (non-text messages, reposts). */
  skipped: number;
  deadLettered: number;
  written: number;
  duplicates: number;
  mentions: number;
}

export type QueryFormat = 'JSONEachRow' | 'CSVWithNames' | 'TSV' | 'TSVWithNames' | 'PrettyCompact' | 'JSON';

export interface SinkHealth {
  ok: boolean;
  detail?: string;
  /** The store's engine version, e.g. "18.16.1" or "26.7.2.1". */
  version?: string;
}

/**
 * The Sink contract: connect (runs migrations) → writeBatch → healthcheck → close. Implemented by
 * the embedded chDB store and the ClickHouse server sink, over one SQL model in schemas/clickhouse/.
 */
export interface Sink {
  readonly name: string;
  connect(signal?: AbortSignal): Promise<void>;
  /** Durable when it resolves. Idempotent by event id: writing the same event twice counts it once. */
  writeBatch(events: EnrichedEvent[], signal?: AbortSignal): Promise<WriteResult>;
  /**
   * Optional, with writePrepared: encodes events for the store now, so that the caller can let go of
   * the EnrichedEvents before the write (the SQL sinks make compact TabSeparated bytes). Pure, no I/O.
   */
  prepare?(events: EnrichedEvent[]): PreparedEvents;
  /**
   * Writes what prepare() made, several pieces in one write; as writeBatch otherwise (durable when it
   * resolves, idempotent by event id). The result's `rejected` holds the pieces' own refusals too.
   */
  writePrepared?(pieces: readonly PreparedEvents[], signal?: AbortSignal): Promise<WriteResult>;
  writeDeadLetters(letters: DeadLetter[], signal?: AbortSignal): Promise<void>;
  recordRun(run: RunAccounting): Promise<void>;
  /** Runs SQL and returns the formatted output (for `voc sql` and tests). */
  query(sql: string, format?: QueryFormat): Promise<string>;
  healthcheck(): Promise<SinkHealth>;
  /**
   * Loads the code frame as the store's dimension table (labels, domain, need layer, department),
   * once per frame version and hash; resolves true when it loaded rows. Optional: stores without a
   * dimension table omit it. Call it after connect, before writing with that frame.
   */
  syncCodeFrame?(frame: CodeFrame, signal?: AbortSignal): Promise<boolean>;
  close(): Promise<void>;
}
