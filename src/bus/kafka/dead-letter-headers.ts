import type { DeadLetter, DeadLetterStage } from '../../core/dead-letter.js';

/**
 * Headers of a record on the dead-letter topic (voc.dlq). The value of a dead letter is the
 * original raw bytes, untouched, so that it can be replayed after a fix; why it was refused and
 * where it came from travel in these headers. Plain strings: any Kafka tool can read them.
 */
export const DLQ_HEADERS = {
  reason: 'voc-dlq-reason',
  code: 'voc-dlq-code',
  stage: 'voc-dlq-stage',
  attempt: 'voc-dlq-attempt',
  sourceTopic: 'voc-dlq-source-topic',
  sourcePartition: 'voc-dlq-source-partition',
  sourceOffset: 'voc-dlq-source-offset',
  position: 'voc-dlq-position',
  at: 'voc-dlq-at',
} as const;

export interface DeadLetterSource {
  topic: string;
  partition: number;
  offset: string;
}

export interface DeadLetterHeaderFields {
  reason: string;
  code: string;
  stage: DeadLetterStage;
  attempt: number;
  source: DeadLetterSource | null;
  position: string | null;
  at: string | null;
}

/** Kafka headers are small: the reason is cut to this many characters. */
const MAX_REASON = 1000;

/** Headers for a dead letter of `source` (a consumed record), from the pipeline's DeadLetter. */
export function deadLetterHeaders(letter: Pick<DeadLetter, 'reason' | 'code' | 'stage' | 'attempt'> & Partial<Pick<DeadLetter, 'position' | 'at'>>, source?: DeadLetterSource): Record<string, string> {
  const headers: Record<string, string> = {
    [DLQ_HEADERS.reason]: letter.reason.slice(0, MAX_REASON),
    [DLQ_HEADERS.code]: letter.code,
    [DLQ_HEADERS.stage]: letter.stage,
    [DLQ_HEADERS.attempt]: String(letter.attempt),
  };
  if (source) {
    headers[DLQ_HEADERS.sourceTopic] = source.topic;
    headers[DLQ_HEADERS.sourcePartition] = String(source.partition);
    headers[DLQ_HEADERS.sourceOffset] = source.offset;
  }
  const position = letter.position ?? (source ? `${source.topic}/${source.partition}/${source.offset}` : undefined);
  if (position !== undefined) headers[DLQ_HEADERS.position] = position;
  if (letter.at !== undefined) headers[DLQ_HEADERS.at] = letter.at;
  return headers;
}

const STAGES: ReadonlySet<string> = new Set<DeadLetterStage>(['read', 'parse', 'validate', 'bus', 'nlp', 'sink']);

/** Reads the headers of a dead-letter record back; null when they are not ours (no reason/stage). */
export function parseDeadLetterHeaders(headers: Readonly<Record<string, string>> | undefined): DeadLetterHeaderFields | null {
  if (!headers) return null;
  const reason = headers[DLQ_HEADERS.reason];
  const stage = headers[DLQ_HEADERS.stage];
  if (reason === undefined || stage === undefined || !STAGES.has(stage)) return null;
  const attempt = Number.parseInt(headers[DLQ_HEADERS.attempt] ?? '1', 10);
  const topic = headers[DLQ_HEADERS.sourceTopic];
  const partition = headers[DLQ_HEADERS.sourcePartition];
  const offset = headers[DLQ_HEADERS.sourceOffset];
  const partitionNumber = partition === undefined ? Number.NaN : Number.parseInt(partition, 10);
  const source =
    topic !== undefined && offset !== undefined && /^\d+$/.test(offset) && Number.isInteger(partitionNumber) && partitionNumber >= 0
      ? { topic, partition: partitionNumber, offset }
      : null;
  return {
    reason,
    code: headers[DLQ_HEADERS.code] ?? 'UNKNOWN',
    stage: stage as DeadLetterStage,
    attempt: Number.isInteger(attempt) && attempt > 0 ? attempt : 1,
    source,
    position: headers[DLQ_HEADERS.position] ?? null,
    at: headers[DLQ_HEADERS.at] ?? null,
  };
}
