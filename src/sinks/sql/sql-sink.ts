import { ConnectionError, errorCode, type SinkRejectedError } from '../../core/errors.js';
import type { DeadLetter } from '../../core/dead-letter.js';
import type { EnrichedEvent } from '../../core/enriched-event.js';
import type { Logger } from '../../core/logger.js';
import type { PipelineMetrics } from '../../core/metrics.js';
import { retry, type RetryPolicy } from '../../core/retry.js';
import type { CodeFrame } from '../../nlp/codeframe/types.js';
import type { PreparedEvents, QueryFormat, RejectedEvent, RunAccounting, Sink, SinkHealth, WriteResult } from '../sink.js';
import { isDataRejection, toSinkError } from './errors.js';
import type { InsertSettings, SqlExecutor } from './executor.js';
import { migrate, type AppliedMigration } from './migrations.js';
import { codeFrameRows, deadLetterRow, encodeEvent, EVENT_COLUMNS, runRow, VERBATIM_COLUMNS, type EncodedEvent, type RowMappingOptions } from './rows.js';
import { hasFeature, parseVersion, type Version } from './version.js';
import { syncViews, type ViewParams } from './views.js';

export interface SqlSinkOptions {
  name: string;
  /** Opens the transport; called on connect (and again after close). */
  openExecutor: (signal?: AbortSignal) => Promise<SqlExecutor>;
  mapping: RowMappingOptions;
  views: ViewParams;
  maxBatchRows: number;
  retry: Partial<RetryPolicy>;
  connectAttempts: number;
  logger: Logger;
  metrics?: PipelineMetrics;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What SqlSink.prepare makes: the encoded events, kept until the write. */
interface SqlPreparedEvents extends PreparedEvents {
  readonly items: readonly EncodedEvent[];
}

function isSqlPrepared(p: PreparedEvents): p is SqlPreparedEvents {
  return Array.isArray((p as Partial<SqlPreparedEvents>).items);
}

/**
 * The fact INSERTs turn off `optimize_on_insert` where the store has it (20.x and later; 18.16 has
 * not). It merges each inserted block as a background merge would: dedup for the Replacing tables,
 * where no INSERT of this sink holds two rows with one key (the write dedups by event id, one
 * mention and one verbatim per event and code), and pre-aggregation for the Aggregating ones,
 * whose rows the materialized views' GROUP BY has already made one per key and which are read
 * through -Merge functions anyway. Measured on chDB, 10^5 events in 5,000-event inserts: the
 * store's CPU 12.0 → 9.9 s (docs/performance.md §2).
 */
async function insertSettingsFor(ex: SqlExecutor, signal?: AbortSignal): Promise<InsertSettings | undefined> {
  const known = await ex.rows<{ name: string }>("SELECT name FROM system.settings WHERE name = 'optimize_on_insert'", signal);
  return known.length > 0 ? { optimize_on_insert: 0 } : undefined;
}

/** Verbatims are kept this many days from the feedback day: the TTL in migration 0003, or the purge on 18.16. */
export const VERBATIM_RETENTION_DAYS = 180;

/**
 * Event ids per ledger lookup: 5,000 × 35 bytes keeps the SELECT under max_query_size (256 KiB) on
 * any server. Random ids touch most granules of the event_id column whatever the list's length, so
 * fewer, longer lookups read less: on a 10^6-row `events` in chDB, 36.8 µs of CPU per event with
 * 1,000 ids per lookup, 16.3 µs with 5,000 (docs/performance.md §2).
 */
const LEDGER_CHUNK = 5000;

/**
 * The Sink over the one SQL model, shared by the chDB store and the ClickHouse server sink.
 *
 * At-least-once, counted once: for every chunk the sink first asks the event ledger (the `events`
 * table) which ids it already holds, then inserts only the new events in ONE INSERT into `events`;
 * the materialized views derive mentions and the daily aggregates from that same INSERT. A chunk
 * that failed (or timed out after the server had committed it) is retried from the ledger check, so
 * the second attempt skips what the first one wrote. Redelivery after a crash is the same case.
 * The residual window (two writers racing on the same id, or a commit landing after the retry's
 * ledger check) is covered for the facts by ReplacingMergeTree on event id; see docs/sql.md.
 */
export class SqlSink implements Sink {
  readonly name: string;
  readonly #o: SqlSinkOptions;
  #executor: SqlExecutor | undefined;
  #version: Version | undefined;
  #versionText = '';
  #migrations: AppliedMigration[] = [];
  /** Sent with every fact INSERT; decided on connect from what the store knows. */
  #insertSettings: InsertSettings | undefined;

  constructor(options: SqlSinkOptions) {
    this.name = options.name;
    this.#o = options;
  }

  /** The migrations of the last connect (applied: true for those run now). */
  get migrations(): readonly AppliedMigration[] {
    return this.#migrations;
  }

  /** Plain statement access for tables other stages own (the model stage's discovered_topics). */
  tableAccess(): Pick<SqlExecutor, 'exec' | 'rows' | 'insert'> {
    return this.#requireExecutor();
  }

  get serverVersion(): string {
    return this.#versionText;
  }

  #retry<T>(what: string, fn: (ex: SqlExecutor) => Promise<T>, signal?: AbortSignal, maxAttempts?: number): Promise<T> {
    return retry(
      async () => {
        const ex = this.#requireExecutor();
        try {
          return await fn(ex);
        } catch (err) {
          throw toSinkError(err, what);
        }
      },
      {
        policy: { ...this.#o.retry, ...(maxAttempts === undefined ? {} : { maxAttempts }) },
        ...(signal ? { signal } : {}),
        ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
        onRetry: (err, attempt, delayMs) => {
          this.#o.metrics?.errors.inc({ component: this.name, code: errorCode(err) });
          this.#o.logger.warn({ err, attempt, delayMs }, `${what} failed; retrying.`);
        },
      },
    );
  }

  #requireExecutor(): SqlExecutor {
    if (!this.#executor) throw new ConnectionError(`Sink ${this.name} is not connected: call connect() first.`, { code: 'SINK_NOT_CONNECTED', retriable: false });
    return this.#executor;
  }

  async connect(signal?: AbortSignal): Promise<void> {
    if (this.#executor) return;
    await retry(
      async () => {
        let ex: SqlExecutor | undefined;
        try {
          ex = await this.#o.openExecutor(signal);
          const [row] = await ex.rows<{ v: string }>('SELECT version() AS v', signal);
          this.#versionText = row?.v ?? '0.0.0';
          this.#version = parseVersion(this.#versionText);
          this.#migrations = await migrate(ex, this.#version, { logger: this.#o.logger, ...(signal ? { signal } : {}) });
          await syncViews(ex, this.#o.views, { logger: this.#o.logger, ...(signal ? { signal } : {}) });
          if (!hasFeature(this.#version, 'ttl')) await this.#purgeExpiredVerbatims(ex, signal);
          this.#insertSettings = await insertSettingsFor(ex, signal);
          this.#executor = ex;
        } catch (err) {
          await ex?.close().catch(() => undefined);
          throw toSinkError(err, 'Connecting to the store');
        }
      },
      {
        policy: { ...this.#o.retry, maxAttempts: this.#o.connectAttempts },
        ...(signal ? { signal } : {}),
        ...(this.#o.sleep ? { sleep: this.#o.sleep } : {}),
        onRetry: (err, attempt, delayMs) => this.#o.logger.warn({ err, attempt, delayMs }, 'Store not reachable on connect; retrying.'),
      },
    );
    this.#o.logger.info({ target: this.#requireExecutor().target, version: this.#versionText }, 'Store connected.');
  }

  /** 18.16 has no TTL: expired verbatims are deleted here (an async mutation), only when there are some. */
  async #purgeExpiredVerbatims(ex: SqlExecutor, signal?: AbortSignal): Promise<void> {
    const days = VERBATIM_RETENTION_DAYS;
    const [row] = await ex.rows<{ n: string | number }>(`SELECT count() AS n FROM verbatims WHERE day < today() - ${days}`, signal);
    if (Number(row?.n ?? 0) > 0) {
      await ex.exec(`ALTER TABLE verbatims DELETE WHERE day < today() - ${days}`, signal);
      this.#o.logger.info({ rows: Number(row?.n), days }, 'Deleted expired verbatims (no TTL on this server).');
    }
  }

  /** Maps and encodes events (rows.ts encodeEvent); one that does not fit the columns is refused here. */
  prepare(events: EnrichedEvent[]): SqlPreparedEvents {
    const items: EncodedEvent[] = [];
    const eventIds: string[] = [];
    const rejected: RejectedEvent[] = [];
    for (const ev of events) {
      try {
        const encoded = encodeEvent(ev, this.#o.mapping);
        items.push(encoded);
        eventIds.push(encoded.eventId);
      } catch (error) {
        const e = ev?.event;
        rejected.push({
          eventId: typeof e?.id === 'string' ? e.id : '',
          error,
          ...(typeof e?.channel === 'string' ? { channel: e.channel } : {}),
          ...(typeof e?.source === 'string' ? { source: e.source } : {}),
        });
      }
    }
    return { eventIds, rejected, items };
  }

  async writeBatch(events: EnrichedEvent[], signal?: AbortSignal): Promise<WriteResult> {
    return this.writePrepared([this.prepare(events)], signal);
  }

  async writePrepared(pieces: readonly PreparedEvents[], signal?: AbortSignal): Promise<WriteResult> {
    this.#requireExecutor();
    const started = process.hrtime.bigint();
    const result: WriteResult = { written: 0, duplicates: 0, mentions: 0, rejected: [] };
    const fresh: EncodedEvent[] = [];
    const seen = new Set<string>();
    let events = 0;
    for (const piece of pieces) {
      if (!isSqlPrepared(piece)) throw new TypeError(`SqlSink ${this.name}: writePrepared takes what this sink's prepare() made.`);
      events += piece.items.length + piece.rejected.length;
      result.rejected.push(...piece.rejected);
      for (const item of piece.items) {
        if (seen.has(item.eventId)) {
          result.duplicates++;
          continue;
        }
        seen.add(item.eventId);
        fresh.push(item);
      }
    }
    for (let i = 0; i < fresh.length; i += this.#o.maxBatchRows) {
      await this.#writeChunk(fresh.slice(i, i + this.#o.maxBatchRows), result, signal);
    }
    this.#o.metrics?.batchSize.observe({ component: this.name }, events);
    this.#o.metrics?.sinkLatency.observe({ sink: this.name }, Number(process.hrtime.bigint() - started) / 1e9);
    this.#o.metrics?.sent.inc({ component: this.name, channel: 'all' }, result.written);
    this.#o.logger.debug({ written: result.written, duplicates: result.duplicates, rejected: result.rejected.length }, 'Wrote batch.');
    return result;
  }

  /** One chunk, retried as a whole from its ledger check; a data error is narrowed down by bisection. */
  async #writeChunk(chunk: EncodedEvent[], result: WriteResult, signal?: AbortSignal): Promise<void> {
    if (chunk.length === 0) return;
    try {
      const outcome = await this.#retry(
        'Writing a batch',
        async (ex) => {
          const existing = await this.#existingIds(
            ex,
            chunk.map((m) => m.eventId),
            signal,
          );
          const fresh = existing.size === 0 ? chunk : chunk.filter((m) => !existing.has(m.eventId));
          const rows: Buffer[] = [];
          const verbatims: Buffer[] = [];
          for (const m of fresh) {
            rows.push(m.row);
            if (m.verbatims.length > 0) verbatims.push(m.verbatims);
          }
          // Verbatims first: they are deduplicated by (code, day, event_id) on merge, and writing them
          // before the ledger row means a crash in between loses none of them on the redelivery.
          const settings = this.#insertSettings;
          if (verbatims.length > 0) await ex.insertTsv('verbatims', VERBATIM_COLUMNS, Buffer.concat(verbatims), signal, settings);
          if (rows.length > 0) await ex.insertTsv('events', EVENT_COLUMNS, Buffer.concat(rows), signal, settings);
          return { fresh, duplicates: chunk.length - fresh.length };
        },
        signal,
      );
      result.written += outcome.fresh.length;
      result.duplicates += outcome.duplicates;
      result.mentions += outcome.fresh.reduce((s, m) => s + m.mentions, 0);
    } catch (err) {
      if (!isDataRejection(err)) throw err;
      if (chunk.length === 1) {
        const m = chunk[0] as EncodedEvent;
        result.rejected.push({ eventId: m.eventId, error: err, channel: m.channel, source: m.source });
        this.#o.metrics?.errors.inc({ component: this.name, code: (err as SinkRejectedError).code });
        return;
      }
      const mid = Math.ceil(chunk.length / 2);
      await this.#writeChunk(chunk.slice(0, mid), result, signal);
      await this.#writeChunk(chunk.slice(mid), result, signal);
    }
  }

  async #existingIds(ex: SqlExecutor, ids: string[], signal?: AbortSignal): Promise<Set<string>> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += LEDGER_CHUNK) {
      // Ids are validated as 32 hex digits by mapEvent: safe to inline.
      const list = ids
        .slice(i, i + LEDGER_CHUNK)
        .map((id) => `'${id}'`)
        .join(',');
      for (const row of await ex.rows<{ event_id: string }>(`SELECT DISTINCT event_id FROM events WHERE event_id IN (${list})`, signal)) {
        found.add(row.event_id);
      }
    }
    return found;
  }

  async writeDeadLetters(letters: DeadLetter[], signal?: AbortSignal): Promise<void> {
    if (letters.length === 0) return;
    const rows = letters.map(deadLetterRow);
    await this.#retry('Writing dead letters', (ex) => ex.insert('dead_letters', rows, signal), signal);
  }

  async recordRun(run: RunAccounting): Promise<void> {
    const row = runRow(run);
    await this.#retry('Recording the run', (ex) => ex.insert('pipeline_runs', [row]));
  }

  /** Loads the code frame as the dimension table, once per frame version and hash. */
  async syncCodeFrame(frame: CodeFrame, signal?: AbortSignal): Promise<boolean> {
    const esc = (s: string): string => s.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
    return this.#retry(
      'Loading the code frame',
      async (ex) => {
        const [row] = await ex.rows<{ n: string | number }>(
          `SELECT count() AS n FROM code_frame WHERE version = '${esc(frame.version)}' AND hash = '${esc(frame.hash)}'`,
          signal,
        );
        if (Number(row?.n ?? 0) > 0) return false;
        await ex.insert('code_frame', codeFrameRows(frame), signal);
        return true;
      },
      signal,
    );
  }

  async query(sql: string, format: QueryFormat = 'JSONEachRow'): Promise<string> {
    const ex = this.#requireExecutor();
    try {
      return await ex.text(sql, format);
    } catch (err) {
      throw toSinkError(err, 'The query');
    }
  }

  async healthcheck(): Promise<SinkHealth> {
    const ex = this.#executor;
    if (!ex) return { ok: false, detail: 'not connected' };
    try {
      const [row] = await ex.rows<{ v: string }>('SELECT version() AS v');
      return { ok: true, version: row?.v ?? this.#versionText, detail: ex.target };
    } catch (err) {
      return { ok: false, detail: toSinkError(err, 'Health check').message, version: this.#versionText };
    }
  }

  async close(): Promise<void> {
    const ex = this.#executor;
    this.#executor = undefined;
    if (ex) {
      await ex.close();
      this.#o.logger.info({ target: ex.target }, 'Store closed.');
    }
  }
}
