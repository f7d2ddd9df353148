import { createHmac } from 'node:crypto';
import { ValidationError } from '../../core/errors.js';
import type { CodeHit, EnrichedEvent } from '../../core/enriched-event.js';
import { CHANNELS } from '../../core/feedback-event.js';
import type { DeadLetter } from '../../core/dead-letter.js';
import type { CodeFrame } from '../../nlp/codeframe/types.js';
import type { RunAccounting } from '../sink.js';
import { toClickHouseDateTime } from './migrations.js';

/**
 * EnrichedEvent → rows of the SQL model. This is where anonymisation is enforced for the store:
 * no text (except redacted verbatims), no author key (only a keyed, monthly rotating bucket), no
 * source id. Anything that would not fit the columns is refused here with a ValidationError, so a
 * poison record is rejected alone instead of failing its batch on the server.
 */
export interface RowMappingOptions {
  /** Secret for the author bucket HMAC (at least 16 bytes). */
  bucketKey: string;
  /** The business day is taken in this fixed UTC offset; 480 = China Standard Time (no DST). */
  dayOffsetMinutes: number;
  verbatims: 'off' | 'redacted';
  now?: () => Date;
}

export interface EventRow {
  event_id: string;
  day: string;
  occurred_at: string;
  received_at: string;
  channel: string;
  source: string;
  vehicle_series: string;
  model_year: number;
  province: string;
  city: string;
  region: string;
  dealer_code: string;
  agent_key: string;
  platform: string;
  nps_class: string;
  nps: number;
  stars: number;
  author_bucket: string;
  author_period: number;
  doc_sentiment: number;
  doc_score: number;
  script: string;
  redactions: number;
  code_frame_version: string;
  hit_count: number;
  codes: string[];
  code_domains: string[];
  code_components: string[];
  code_sentiments: number[];
  code_intensities: number[];
  code_hits: number[];
  code_need_layers: string[];
  code_departments: string[];
  inserted_at: string;
}

export interface VerbatimRow {
  event_id: string;
  code: string;
  day: string;
  channel: string;
  vehicle_series: string;
  sentiment: number;
  text: string;
  inserted_at: string;
}

export interface MappedEvent {
  eventId: string;
  event: EventRow;
  verbatims: VerbatimRow[];
}

const ID_RE = /^[0-9a-f]{32}$/;
const MIN_MS = Date.UTC(1970, 0, 2);
const MAX_MS = Date.UTC(2105, 11, 31);
const VERBATIM_MAX_CHARS = 2000;

function parseInstant(value: unknown, field: string): Date {
  const d = typeof value === 'string' ? new Date(value) : new Date(Number.NaN);
  const ms = d.getTime();
  if (Number.isNaN(ms) || ms < MIN_MS || ms > MAX_MS) {
    throw new ValidationError(`${field}: expected an ISO 8601 instant between 1970-01-02 and 2105-12-31, got ${JSON.stringify(value)?.slice(0, 40)}.`, {
      code: 'SINK_ROW_INVALID',
    });
  }
  return d;
}

function str(value: unknown, max: number): string {
  if (value === undefined || value === null) return '';
  return String(value).slice(0, max);
}

/** The author bucket: HMAC(key, period, authorKey), 64 bits in hex; '' when the author is unknown. */
export function authorBucket(key: string, period: number, authorKey: string | null): string {
  if (authorKey === null || authorKey === '') return '';
  return createHmac('sha256', key).update(`author_bucket\u0000${period}\u0000${authorKey}`).digest('hex').slice(0, 16);
}

export function businessDay(occurredAt: Date, offsetMinutes: number): { day: string; period: number } {
  const local = new Date(occurredAt.getTime() + offsetMinutes * 60_000);
  const day = local.toISOString().slice(0, 10);
  return { day, period: local.getUTCFullYear() * 100 + local.getUTCMonth() + 1 };
}

interface CodeAggregate {
  code: string;
  domain: string;
  component: string;
  polaritySum: number;
  intensity: number;
  hits: number;
  needLayer: string;
  department: string;
  clauses: string[];
}

/** Several hits on one code in one event make one mention: sign of the summed polarity, the strongest intensity. */
function aggregateHits(hits: readonly CodeHit[]): CodeAggregate[] {
  const byCode = new Map<string, CodeAggregate>();
  for (const h of hits) {
    if (typeof h.code !== 'string' || h.code === '') continue;
    let a = byCode.get(h.code);
    if (!a) {
      a = {
        code: h.code.slice(0, 128),
        domain: str(h.domain || h.code.split('.')[0], 64),
        component: h.code.split('.').slice(0, 2).join('.').slice(0, 128),
        polaritySum: 0,
        intensity: 0,
        hits: 0,
        needLayer: str(h.needLayer, 16),
        department: str(h.department, 32),
        clauses: [],
      };
      byCode.set(h.code, a);
    }
    a.polaritySum += Number.isFinite(h.sentiment) ? h.sentiment : 0;
    a.intensity = Math.max(a.intensity, Number.isFinite(h.intensity) ? Math.min(1, Math.max(0, h.intensity)) : 0);
    a.hits = Math.min(255, a.hits + 1);
    if (typeof h.clause === 'string' && h.clause !== '' && !a.clauses.includes(h.clause)) a.clauses.push(h.clause);
  }
  return [...byCode.values()];
}

export function mapEvent(enriched: EnrichedEvent, options: RowMappingOptions): MappedEvent {
  const e = enriched?.event;
  const nlp = enriched?.nlp;
  if (!e || typeof e !== 'object' || !nlp || typeof nlp !== 'object') {
    throw new ValidationError('Enriched event: expected { event, nlp }.', { code: 'SINK_ROW_INVALID' });
  }
  if (typeof e.id !== 'string' || !ID_RE.test(e.id)) {
    throw new ValidationError(`event.id: expected 32 hex digits, got ${JSON.stringify(e.id)?.slice(0, 40)}.`, { code: 'SINK_ROW_INVALID' });
  }
  if (!(CHANNELS as readonly string[]).includes(e.channel)) {
    throw new ValidationError(`event.channel: expected one of ${CHANNELS.join(', ')}, got ${JSON.stringify(e.channel)?.slice(0, 40)}.`, { code: 'SINK_ROW_INVALID' });
  }
  const occurred = parseInstant(e.occurredAt, 'event.occurredAt');
  const received = parseInstant(e.receivedAt, 'event.receivedAt');
  const { day, period } = businessDay(occurred, options.dayOffsetMinutes);
  const ctx = e.context ?? {};
  const codes = aggregateHits(Array.isArray(nlp.hits) ? nlp.hits : []);
  const insertedAt = toClickHouseDateTime(options.now?.() ?? new Date());
  const modelYear = typeof ctx.modelYear === 'number' && ctx.modelYear >= 1980 && ctx.modelYear <= 2100 ? ctx.modelYear : 0;
  const nps = ctx.ratings?.nps;
  const stars = ctx.ratings?.stars;
  const redactions = Object.values(nlp.redactions ?? {}).reduce<number>((s, n) => s + (typeof n === 'number' ? n : 0), 0);
  const event: EventRow = {
    event_id: e.id,
    day,
    occurred_at: toClickHouseDateTime(occurred),
    received_at: toClickHouseDateTime(received),
    channel: e.channel,
    source: str(e.source, 64),
    vehicle_series: str(ctx.vehicleSeries, 64),
    model_year: modelYear,
    province: str(ctx.province, 32),
    city: str(ctx.city, 32),
    region: str(ctx.region, 32),
    dealer_code: str(ctx.dealerCode, 32),
    agent_key: typeof ctx.agentKey === 'string' && ID_RE.test(ctx.agentKey) ? ctx.agentKey : '',
    platform: str(ctx.platform, 32),
    nps_class: str(ctx.npsClass, 16),
    nps: typeof nps === 'number' && nps >= 0 && nps <= 10 ? Math.round(nps) : -1,
    stars: typeof stars === 'number' && stars >= 0 && stars <= 5 ? stars : -1,
    author_bucket: authorBucket(options.bucketKey, period, e.authorKey ?? null),
    author_period: period,
    doc_sentiment: Math.sign(Number(nlp.sentiment?.polarity) || 0),
    doc_score: Number.isFinite(nlp.sentiment?.score) ? Number(nlp.sentiment.score) : 0,
    script: str(nlp.script, 8),
    redactions: Math.min(65_535, redactions),
    code_frame_version: str(nlp.codeFrame?.version, 64),
    hit_count: Math.min(65_535, Array.isArray(nlp.hits) ? nlp.hits.length : 0),
    codes: codes.map((c) => c.code),
    code_domains: codes.map((c) => c.domain),
    code_components: codes.map((c) => c.component),
    code_sentiments: codes.map((c) => Math.sign(c.polaritySum)),
    code_intensities: codes.map((c) => c.intensity),
    code_hits: codes.map((c) => c.hits),
    code_need_layers: codes.map((c) => c.needLayer),
    code_departments: codes.map((c) => c.department),
    inserted_at: insertedAt,
  };
  const verbatims: VerbatimRow[] =
    options.verbatims === 'off'
      ? []
      : codes
          .filter((c) => c.clauses.length > 0)
          .map((c) => ({
            event_id: e.id,
            code: c.code,
            day,
            channel: e.channel,
            vehicle_series: event.vehicle_series,
            sentiment: Math.sign(c.polaritySum),
            text: c.clauses.join(' … ').slice(0, VERBATIM_MAX_CHARS),
            inserted_at: insertedAt,
          }));
  return { eventId: e.id, event, verbatims };
}

/**
 * TabSeparated encoding of the two tables the write path fills, in the column order below (the
 * INSERT names its columns, so the table's own order does not matter). Measured against
 * JSONEachRow on chDB, 50,000 events: the payload is a third of the size, the engine parses it in
 * about half the CPU, and building it costs a fraction of JSON.stringify per row (no keys).
 * docs/performance.md has the figures.
 */
export const EVENT_COLUMNS = [
  'event_id', 'day', 'occurred_at', 'received_at', 'channel', 'source', 'vehicle_series', 'model_year', 'province', 'city', 'region',
  'dealer_code', 'agent_key', 'platform', 'nps_class', 'nps', 'stars', 'author_bucket', 'author_period', 'doc_sentiment', 'doc_score',
  'script', 'redactions', 'code_frame_version', 'hit_count', 'codes', 'code_domains', 'code_components', 'code_sentiments',
  'code_intensities', 'code_hits', 'code_need_layers', 'code_departments', 'inserted_at',
] as const satisfies readonly (keyof EventRow)[];

export const VERBATIM_COLUMNS = ['event_id', 'code', 'day', 'channel', 'vehicle_series', 'sentiment', 'text', 'inserted_at'] as const satisfies readonly (keyof VerbatimRow)[];

const TSV_SPECIAL = /[\\\t\n\r\0']/;
const TSV_SPECIAL_ALL = /[\\\t\n\r\0']/g;
const TSV_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '\\0', "'": "\\'" };

/**
 * A string in ClickHouse's escaped text form (TabSeparated fields and the quoted strings inside
 * arrays): backslash, tab, line feed, carriage return, NUL and the single quote get a backslash.
 */
export function tsvEscape(s: string): string {
  return TSV_SPECIAL.test(s) ? s.replace(TSV_SPECIAL_ALL, (c) => TSV_ESCAPES[c] as string) : s;
}

function tsvStrings(a: readonly string[]): string {
  if (a.length === 0) return '[]';
  return `['${a.map(tsvEscape).join("','")}']`;
}

/** Finite numbers only (mapEvent guarantees it): String() gives what ClickHouse reads back. */
function tsvNumbers(a: readonly number[]): string {
  return `[${a.join(',')}]`;
}

/**
 * One `events` row as a TabSeparated line (with its newline), columns as EVENT_COLUMNS. Built with
 * join, not a template literal: join returns a flat string, where a 34-part template leaves a rope
 * of cons-strings that a batch of thousands of retained rows makes the GC walk (measured 3x slower).
 * Ids, channel, dates and buckets are validated or generated by mapEvent (hex, enum, digits): not escaped.
 */
export function eventTsv(r: EventRow): string {
  const e = tsvEscape;
  return `${[
    r.event_id, r.day, r.occurred_at, r.received_at, r.channel, e(r.source), e(r.vehicle_series), r.model_year,
    e(r.province), e(r.city), e(r.region), e(r.dealer_code), r.agent_key, e(r.platform), e(r.nps_class), r.nps, r.stars,
    r.author_bucket, r.author_period, r.doc_sentiment, r.doc_score, e(r.script), r.redactions, e(r.code_frame_version),
    r.hit_count, tsvStrings(r.codes), tsvStrings(r.code_domains), tsvStrings(r.code_components), tsvNumbers(r.code_sentiments),
    tsvNumbers(r.code_intensities), tsvNumbers(r.code_hits), tsvStrings(r.code_need_layers), tsvStrings(r.code_departments), r.inserted_at,
  ].join('\t')}\n`;
}

/** One `verbatims` row as a TabSeparated line (with its newline), columns as VERBATIM_COLUMNS. */
export function verbatimTsv(r: VerbatimRow): string {
  const e = tsvEscape;
  return `${[e(r.event_id), e(r.code), r.day, e(r.channel), e(r.vehicle_series), r.sentiment, e(r.text), r.inserted_at].join('\t')}\n`;
}

/**
 * One event ready for the store, as the write path keeps it between the NLP stage and the INSERT:
 * its `events` line and its `verbatims` lines as UTF-8 bytes. Bytes, not the EnrichedEvent (~4 KB
 * of objects on the V8 heap) nor JS strings (two bytes a character once a line holds Chinese):
 * thousands of these wait for the group-commit write, and off-heap bytes do not make V8 grow its
 * heap (docs/performance.md, *Memory*).
 */
export interface EncodedEvent {
  eventId: string;
  channel: string;
  source: string;
  /** Mention rows (event × code) the line makes. */
  mentions: number;
  row: Buffer;
  /** Empty when the event has no verbatims (or they are off). */
  verbatims: Buffer;
}

const NO_BYTES = Buffer.alloc(0);

/** mapEvent, then the TabSeparated lines as bytes; throws mapEvent's ValidationError. */
export function encodeEvent(enriched: EnrichedEvent, options: RowMappingOptions): EncodedEvent {
  const m = mapEvent(enriched, options);
  let verbatims = '';
  for (const v of m.verbatims) verbatims += verbatimTsv(v);
  return {
    eventId: m.eventId,
    channel: m.event.channel,
    source: m.event.source,
    mentions: m.event.codes.length,
    row: Buffer.from(eventTsv(m.event), 'utf8'),
    verbatims: verbatims === '' ? NO_BYTES : Buffer.from(verbatims, 'utf8'),
  };
}

export function deadLetterRow(d: DeadLetter): Record<string, unknown> {
  const at = new Date(d.at);
  return {
    at: toClickHouseDateTime(Number.isNaN(at.getTime()) ? new Date() : at),
    stage: str(d.stage, 16),
    code: str(d.code, 64),
    reason: str(d.reason, 1000),
    attempt: Math.max(0, Math.min(65_535, Math.trunc(d.attempt) || 0)),
    position: str(d.position, 512),
    source: str(d.source, 64),
    channel: str(d.channel, 16),
    event_id: str(d.eventId, 64),
    payload_sha256: str(d.payloadSha256, 64),
    payload_bytes: Math.max(0, Math.min(4_294_967_295, Math.trunc(d.payloadBytes) || 0)),
  };
}

export function runRow(run: RunAccounting, now: Date = new Date()): Record<string, unknown> {
  const t = (s: string): string => {
    const d = new Date(s);
    return toClickHouseDateTime(Number.isNaN(d.getTime()) ? now : d);
  };
  return {
    run_id: run.runId,
    mode: run.mode,
    started_at: t(run.startedAt),
    finished_at: t(run.finishedAt),
    read: run.read,
    published: run.published,
    processed: run.processed,
    skipped: run.skipped ?? 0,
    dead_lettered: run.deadLettered,
    written: run.written,
    duplicates: run.duplicates,
    mentions: run.mentions,
    recorded_at: toClickHouseDateTime(now),
  };
}

export function codeFrameRows(frame: CodeFrame, now: Date = new Date()): Record<string, unknown>[] {
  const at = toClickHouseDateTime(now);
  return frame.leaves.map((leaf) => ({
    version: frame.version,
    hash: frame.hash,
    code: leaf.id,
    label: leaf.label,
    domain: leaf.domainId,
    domain_label: leaf.domainLabel,
    component: leaf.id.split('.').slice(0, 2).join('.'),
    component_label: leaf.componentLabel,
    need_layer: leaf.needLayer,
    department: leaf.department,
    default_polarity: leaf.defaultPolarity,
    loaded_at: at,
  }));
}
