import type { Bus, BusRecord } from '../bus/bus.js';
import type { DeadLetter } from '../core/dead-letter.js';
import { ConnectionError, PipelineError } from '../core/errors.js';
import type { Channel } from '../core/feedback-event.js';
import type { Logger } from '../core/logger.js';
import type { PipelineMetrics } from '../core/metrics.js';
import type { ParseOutcome } from '../connectors/connector.js';
import type { FileEncoding } from '../connectors/common/config.js';
import { DEAD_LETTER_CODES, SKIP_REASONS } from '../connectors/common/outcome.js';
import { csvRows } from '../connectors/files/csv-rows.js';
import { decodeChunks } from '../connectors/files/decode.js';
import type { BoundParsers } from '../connectors/registry.js';
import type { RunCounters } from '../runner/accounting.js';
import { HEADER_CHANNEL, HEADER_POSITION, writeDeadLetters } from '../runner/process-batch.js';
import type { Sink } from '../sinks/sink.js';
import type { ServiceMetrics } from './metrics.js';

/** A request the client must fix: answered with `status` and a JSON error, nothing is published. */
export class RequestError extends PipelineError {
  readonly status: number;
  readonly retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, message: string, options: { retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, { code, cause: options.cause, retriable: status === 503 || status === 429 });
    this.name = 'RequestError';
    this.status = status;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export type BodyFormat = 'json' | 'ndjson' | 'csv' | 'tsv';

/**
 * NDJSON for application/x-ndjson, application/jsonl and friends; CSV for text/csv (the export
 * format of DMS and call-centre systems) and TSV for text/tab-separated-values; a single JSON value
 * (or an array of records) otherwise.
 */
export function bodyFormat(contentType: string | undefined): BodyFormat {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (/(^|[/+.-])(x-)?(ndjson|jsonl|jsonlines|json-lines)$/.test(type)) return 'ndjson';
  if (type === 'text/csv' || type === 'application/csv') return 'csv';
  if (type === 'text/tab-separated-values') return 'tsv';
  return 'json';
}

/** The text encoding a CSV body declares (`; charset=gbk`), or undefined for the channel's own setting. */
export function csvEncoding(contentType: string | undefined): FileEncoding | undefined {
  const m = /;\s*charset\s*=\s*"?([A-Za-z0-9_-]+)"?/i.exec(contentType ?? '');
  const charset = m?.[1]?.toLowerCase();
  if (charset === undefined) return undefined;
  if (charset === 'utf-8' || charset === 'utf8') return 'utf8';
  if (charset === 'gbk' || charset === 'gb2312' || charset === 'gb18030' || charset === 'cp936') return 'gb18030';
  throw new RequestError(415, 'CHARSET_UNSUPPORTED', `charset=${charset.slice(0, 32)}: expected utf-8, gbk, gb2312 or gb18030.`);
}

export interface RawRecord {
  /** 1-based record number in the request (the NDJSON or CSV line, or the array index + 1). */
  n: number;
  /** Parsed JSON, or a CSV row (header → value), or the failure to parse it, or a blank CSV row. */
  value?: unknown;
  row?: Record<string, string>;
  blank?: true;
  error?: { code: string; reason: string; text: string };
}

/**
 * Splits a CSV/TSV body into rows with the file replay's CSV reader: the first row is the header,
 * UTF-8 or GBK/GB18030 (declared, or detected as for files), a bad row becomes that row's dead
 * letter. A body with no data row is refused (400).
 */
export async function splitCsvBody(body: Buffer, format: 'csv' | 'tsv', opts: { encoding: FileEncoding; maxRecords: number; maxRecordChars: number }): Promise<RawRecord[]> {
  const text = decodeChunks((async function* () {
    yield body;
  })(), opts.encoding);
  const records: RawRecord[] = [];
  for await (const item of csvRows(text, { maxChars: opts.maxRecordChars, delimiter: format === 'tsv' ? '\t' : ',' })) {
    if (records.length >= opts.maxRecords) throw new RequestError(413, 'TOO_MANY_RECORDS', `The batch has more than ${opts.maxRecords} rows: expected at most ${opts.maxRecords} per request.`);
    if (item.kind === 'row') records.push({ n: item.line, row: item.row });
    else if (item.kind === 'blank') records.push({ n: item.line, blank: true });
    else records.push({ n: item.line, error: { code: item.code === 'CSV_COLUMN_COUNT' ? DEAD_LETTER_CODES.csvColumns : DEAD_LETTER_CODES.csvSyntax, reason: item.reason, text: item.raw } });
  }
  if (records.length === 0) throw new RequestError(400, 'BODY_EMPTY', 'The CSV body has no data row: expected a header line and at least one row.');
  return records;
}

/**
 * Splits a request body into records. A body that is not UTF-8, is empty, or (as one JSON
 * document) is not JSON is refused as a whole (400); in an NDJSON batch a bad line becomes that
 * line's dead letter and the rest goes on, as in a file replay.
 */
export function splitBody(body: Buffer, format: 'json' | 'ndjson', limits: { maxRecords: number; maxRecordChars: number }): RawRecord[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch (err) {
    throw new RequestError(400, 'BODY_NOT_UTF8', 'The body is not valid UTF-8: expected UTF-8 JSON.', { cause: err });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new RequestError(400, 'BODY_EMPTY', 'The body is empty: expected a JSON record or NDJSON lines.');
  const tooMany = (n: number): RequestError =>
    new RequestError(413, 'TOO_MANY_RECORDS', `The batch has ${n} records: expected at most ${limits.maxRecords} per request.`);

  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new RequestError(400, 'BODY_NOT_JSON', 'The body is not valid JSON: expected one JSON record, an array of records, or NDJSON with Content-Type application/x-ndjson.', { cause: err });
    }
    if (Array.isArray(value)) {
      if (value.length === 0) throw new RequestError(400, 'BODY_EMPTY', 'The body is an empty array: expected at least one record.');
      if (value.length > limits.maxRecords) throw tooMany(value.length);
      return value.map((v: unknown, i) => ({ n: i + 1, value: v }));
    }
    return [{ n: 1, value }];
  }

  const lines = text.split('\n');
  const records: RawRecord[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (records.length >= limits.maxRecords) throw tooMany(lines.filter((l) => l.trim() !== '').length);
    const n = i + 1;
    if (line.length > limits.maxRecordChars) {
      records.push({
        n,
        error: {
          code: DEAD_LETTER_CODES.tooLarge,
          reason: `The record is too large: expected at most ${limits.maxRecordChars} characters, got ${line.length}.`,
          text: line,
        },
      });
      continue;
    }
    try {
      records.push({ n, value: JSON.parse(line) });
    } catch (err) {
      const detail = err instanceof Error ? err.message.replace(/".*$/s, '').slice(0, 120) : 'syntax error';
      records.push({ n, error: { code: DEAD_LETTER_CODES.jsonSyntax, reason: `The record is not valid JSON (${detail}).`, text: line } });
    }
  }
  if (records.length === 0) throw new RequestError(400, 'BODY_EMPTY', 'The body has no records: expected NDJSON lines.');
  return records;
}

export interface IngestResult {
  channel: Channel;
  requestId: string;
  records: number;
  accepted: number;
  deadLettered: number;
  skipped: number;
  eventIds: string[];
  deadLetters: { position: string; code: string; reason: string }[];
  skips: { position: string; reason: string }[];
}

export interface IngestDeps {
  bus: Bus;
  sink: Sink;
  rawTopic: (channel: Channel) => string;
  dlqTopic?: string;
  parsers: (channel: Channel) => BoundParsers;
  logger: Logger;
  metrics: PipelineMetrics;
  serviceMetrics: ServiceMetrics;
  counters: RunCounters;
  publishTimeoutMs: number;
  retryAfterSeconds: number;
  maxRecords: number;
  /** Non-durable bus only: refuse (503) while more than this many published records wait for the consumer. */
  backlog?: { limit: number; current: () => Promise<number> };
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ConnectionError(`${what} was not confirmed within ${ms} ms.`, { code: 'TIMEOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * One ingest request: the channel's pure parsing core turns each record into events, dead letters
 * or skips; the events are published to the channel's raw topic and the dead letters written to
 * the store (and the DLQ topic). It resolves only when the bus confirmed every event and the dead
 * letters are durable — that is when the endpoint may answer 202. Any failure on the way is a
 * 503: the sender retries, and the event ids (deterministic) make the retry harmless.
 */
export async function ingest(deps: IngestDeps, channel: Channel, body: Buffer, contentType: string | undefined, requestId: string): Promise<IngestResult> {
  const bound = deps.parsers(channel);
  const format = bodyFormat(contentType);
  const limits = { maxRecords: deps.maxRecords, maxRecordChars: bound.config.maxRecordBytes };
  let raws: RawRecord[];
  if (format === 'csv' || format === 'tsv') {
    if (!bound.csv) throw new RequestError(415, 'FORMAT_UNSUPPORTED', `Channel ${channel} takes JSON records, not ${format.toUpperCase()}: expected application/json or application/x-ndjson.`);
    raws = await splitCsvBody(body, format, { ...limits, encoding: csvEncoding(contentType) ?? bound.config.encoding });
  } else raws = splitBody(body, format, limits);
  const source = `${channel}.http`;
  const outcomes: ParseOutcome[] = [];
  for (const r of raws) {
    const position = `http:${requestId}:${r.n}`;
    if (r.error) outcomes.push(bound.deadLetter({ source, position, code: r.error.code, reason: r.error.reason, raw: r.error.text, stage: 'read' }));
    else if (r.blank) outcomes.push({ kind: 'skipped', reason: SKIP_REASONS.blankRow, position });
    else if (r.row) outcomes.push(...(bound.csv as NonNullable<BoundParsers['csv']>)(r.row, position));
    else outcomes.push(...(bound.json?.(r.value, position) ?? [bound.deadLetter({ source, position, code: DEAD_LETTER_CODES.unknownShape, reason: `Channel ${channel} takes no JSON records.`, raw: r.value })]));
  }

  const records: BusRecord[] = [];
  const letters: DeadLetter[] = [];
  const result: IngestResult = { channel, requestId, records: raws.length, accepted: 0, deadLettered: 0, skipped: 0, eventIds: [], deadLetters: [], skips: [] };
  for (const o of outcomes) {
    if (o.kind === 'event') {
      records.push({ key: o.event.id, value: Buffer.from(JSON.stringify(o.event)), headers: { [HEADER_POSITION]: o.position, [HEADER_CHANNEL]: channel } });
      result.eventIds.push(o.event.id);
    } else if (o.kind === 'dead_letter') {
      letters.push(o.letter);
      result.deadLetters.push({ position: o.letter.position, code: o.letter.code, reason: o.letter.reason });
    } else {
      result.skips.push({ position: o.position, reason: o.reason });
    }
  }
  result.accepted = records.length;
  result.deadLettered = letters.length;
  result.skipped = result.skips.length;

  if (deps.backlog && records.length > 0) {
    const waiting = await deps.backlog.current();
    if (waiting + records.length > deps.backlog.limit) {
      throw new RequestError(503, 'BACKLOG_FULL', `The consumer is ${waiting} records behind (limit ${deps.backlog.limit}): retry later.`, { retryAfterSeconds: deps.retryAfterSeconds });
    }
  }

  const topic = deps.rawTopic(channel);
  try {
    if (records.length > 0) await withTimeout(deps.bus.publish(topic, records), deps.publishTimeoutMs, 'The publish');
  } catch (err) {
    deps.logger.warn({ err, topic, records: records.length }, 'Publish failed; answering 503.');
    deps.metrics.errors.inc({ component: 'ingest', code: err instanceof PipelineError ? err.code : 'PUBLISH_FAILED' });
    throw new RequestError(503, 'BUS_UNAVAILABLE', 'The bus did not confirm the write: retry later.', { retryAfterSeconds: deps.retryAfterSeconds, cause: err });
  }
  try {
    const dlq = deps.dlqTopic ? { bus: deps.bus, topic: deps.dlqTopic } : undefined;
    const retryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1000 };
    if (letters.length > 0) await withTimeout(writeDeadLetters({ sink: deps.sink, dlq, logger: deps.logger, retryPolicy }, letters), deps.publishTimeoutMs, 'The dead-letter write');
  } catch (err) {
    deps.logger.warn({ err, letters: letters.length }, 'Dead-letter write failed; answering 503.');
    deps.metrics.errors.inc({ component: 'ingest', code: err instanceof PipelineError ? err.code : 'DEAD_LETTER_FAILED' });
    throw new RequestError(503, 'STORE_UNAVAILABLE', 'The dead letters could not be stored: retry later.', { retryAfterSeconds: deps.retryAfterSeconds, cause: err });
  }

  // Counted only now that everything is durable: a refused request is retried and counted once.
  const { metrics, serviceMetrics, counters } = deps;
  metrics.received.inc({ component: 'ingest', channel }, raws.length);
  if (records.length > 0) {
    metrics.sent.inc({ component: 'ingest', channel }, records.length);
    metrics.batchSize.observe({ component: 'ingest' }, records.length);
  }
  serviceMetrics.ingestRecords.inc({ channel, outcome: 'accepted' }, result.accepted);
  serviceMetrics.ingestRecords.inc({ channel, outcome: 'dead_lettered' }, result.deadLettered);
  serviceMetrics.ingestRecords.inc({ channel, outcome: 'skipped' }, result.skipped);
  counters.read += outcomes.length;
  counters.published += records.length;
  counters.skipped += result.skipped;
  counters.deadLettered += letters.length;
  for (const l of letters) {
    counters.deadLetterCodes.set(l.code, (counters.deadLetterCodes.get(l.code) ?? 0) + 1);
    metrics.deadLettered.inc({ component: 'ingest', stage: l.stage, code: l.code });
  }
  for (const s of result.skips) counters.skippedReasons.set(s.reason, (counters.skippedReasons.get(s.reason) ?? 0) + 1);
  return result;
}
