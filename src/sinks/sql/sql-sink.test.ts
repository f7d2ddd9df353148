import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { PipelineMetrics } from '../../core/metrics.js';
import { ConnectionError, RetriesExhaustedError, SinkRejectedError, ValidationError } from '../../core/errors.js';
import { makeMixedEvents } from '../../../test/contract/sink-fixtures.js';
import type { QueryFormat } from '../sink.js';
import type { InsertSettings, SqlExecutor } from './executor.js';
import { SqlSink } from './sql-sink.js';
import { DEFAULT_VIEW_PARAMS } from './views.js';

/**
 * An in-memory stand-in for the store that keeps the `events` ledger and can misbehave: refuse rows
 * (a data error), go down, or commit an INSERT and then lose the response (a timeout).
 */
class FakeExecutor implements SqlExecutor {
  readonly target = 'fake';
  readonly events = new Map<string, number>();
  insertCalls = 0;
  failNext = 0;
  commitThenFail = 0;
  poisonIds = new Set<string>();
  /** The store has the optimize_on_insert setting (20.x and later). */
  knowsOptimizeOnInsert = false;
  /** Settings sent with each insertTsv. */
  readonly insertSettings: (InsertSettings | undefined)[] = [];

  exec(): Promise<void> {
    return Promise.resolve();
  }

  /** The ledger lookups' SQL, in order. */
  readonly ledgerQueries: string[] = [];

  rows<T>(sql: string): Promise<T[]> {
    if (sql.includes('version()')) return Promise.resolve([{ v: '26.7.2.1' }] as T[]);
    if (sql.includes('system.settings')) return Promise.resolve((this.knowsOptimizeOnInsert ? [{ name: 'optimize_on_insert' }] : []) as T[]);
    const ids = /event_id IN \(([^)]*)\)/.exec(sql);
    if (ids) {
      this.ledgerQueries.push(sql);
      const list = (ids[1] ?? '').split(',').map((s) => s.replaceAll("'", ''));
      return Promise.resolve(list.filter((id) => this.events.has(id)).map((event_id) => ({ event_id })) as T[]);
    }
    if (sql.includes('AS n')) return Promise.resolve([{ n: 0 }] as T[]);
    return Promise.resolve([]);
  }

  text(_sql: string, _format: QueryFormat): Promise<string> {
    return Promise.resolve('');
  }

  insert(table: string, rows: readonly object[]): Promise<void> {
    if (table !== 'events') return Promise.resolve();
    this.insertCalls++;
    if (this.failNext > 0) {
      this.failNext--;
      return Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' }));
    }
    const ids = rows.map((r) => (r as { event_id: string }).event_id);
    if (ids.some((id) => this.poisonIds.has(id))) {
      return Promise.reject(new Error('Code: 27, e.displayText() = DB::Exception: Cannot parse input: expected ]'));
    }
    for (const id of ids) this.events.set(id, (this.events.get(id) ?? 0) + 1);
    if (this.commitThenFail > 0) {
      this.commitThenFail--;
      return Promise.reject(new Error('Timeout error.'));
    }
    return Promise.resolve();
  }

  insertTsv(table: string, _columns: readonly string[], payload: Buffer, _signal?: AbortSignal, settings?: InsertSettings): Promise<void> {
    this.insertSettings.push(settings);
    // The first field of each line is the event id.
    const rows = payload
      .toString()
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => ({ event_id: l.slice(0, l.indexOf('\t')) }));
    return this.insert(table, rows);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function sinkOver(ex: FakeExecutor, maxAttempts = 5, maxBatchRows = 16): SqlSink {
  return new SqlSink({
    name: 'fake',
    openExecutor: () => Promise.resolve(ex),
    mapping: { bucketKey: 'k'.repeat(32), dayOffsetMinutes: 480, verbatims: 'off' },
    views: DEFAULT_VIEW_PARAMS,
    maxBatchRows,
    retry: { maxAttempts, initialDelayMs: 1, maxDelayMs: 1 },
    connectAttempts: 1,
    logger: silentLogger(),
    metrics: new PipelineMetrics(),
    sleep: () => Promise.resolve(),
  });
}

describe('SqlSink write path', () => {
  it('isolates a record the server refuses by bisection, and writes all the others once', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex);
    await sink.connect();
    const events = makeMixedEvents(40, 'bisect');
    ex.poisonIds.add(events[17]!.event.id);
    const r = await sink.writeBatch(events);
    expect(r.written).toBe(39);
    expect(r.rejected.map((x) => x.eventId)).toEqual([events[17]!.event.id]);
    expect(r.rejected[0]?.error).toBeInstanceOf(SinkRejectedError);
    expect([...ex.events.values()].every((n) => n === 1)).toBe(true);
  });

  it('retries while the store is down and then writes (back-pressure, not loss)', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex);
    await sink.connect();
    ex.failNext = 3;
    const r = await sink.writeBatch(makeMixedEvents(10, 'down'));
    expect(r.written).toBe(10);
    expect(ex.events.size).toBe(10);
  });

  it('does not double an INSERT that committed but whose response was lost: the retry checks the ledger', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex);
    await sink.connect();
    ex.commitThenFail = 1;
    const r = await sink.writeBatch(makeMixedEvents(10, 'lost'));
    expect([...ex.events.values()].every((n) => n === 1)).toBe(true);
    expect(ex.events.size).toBe(10);
    // Reported as duplicates (already stored) rather than written: the total is still 10.
    expect(r.written + r.duplicates).toBe(10);
  });

  it('gives up with a typed error after its attempts, and the batch is not acknowledged', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex, 3);
    await sink.connect();
    ex.failNext = 10;
    const err = await sink.writeBatch(makeMixedEvents(3, 'gone')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RetriesExhaustedError);
    expect((err as RetriesExhaustedError).cause).toBeInstanceOf(ConnectionError);
  });

  it('prepares events ahead of the write: refuses the ones that do not fit there, dedups across pieces', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex);
    await sink.connect();
    const events = makeMixedEvents(30, 'prep');
    const bad = structuredClone(events[4]!);
    bad.event.id = 'not-an-id';
    const first = sink.prepare([...events.slice(0, 20), bad]);
    expect(first.eventIds).toHaveLength(20);
    expect(first.rejected).toEqual([expect.objectContaining({ eventId: 'not-an-id', channel: bad.event.channel, source: bad.event.source })]);
    expect(first.rejected[0]?.error).toBeInstanceOf(ValidationError);
    // Nothing reaches the store before the write.
    expect(ex.insertCalls).toBe(0);
    // The second piece repeats five events of the first: one write stores each once.
    const r = await sink.writePrepared([first, sink.prepare(events.slice(15))]);
    expect(r.written).toBe(30);
    expect(r.duplicates).toBe(5);
    expect(r.rejected.map((x) => x.eventId)).toEqual(['not-an-id']);
    expect(r.mentions).toBe(events.reduce((n, e) => n + new Set(e.nlp.hits.map((h) => h.code)).size, 0));
    expect([...ex.events.values()].every((n) => n === 1)).toBe(true);
  });

  it('names the origin of a record the server refuses, for its dead letter', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex);
    await sink.connect();
    const events = makeMixedEvents(8, 'origin');
    ex.poisonIds.add(events[5]!.event.id);
    const r = await sink.writePrepared([sink.prepare(events)]);
    expect(r.rejected).toEqual([expect.objectContaining({ eventId: events[5]!.event.id, channel: events[5]!.event.channel, source: events[5]!.event.source })]);
  });

  it('turns off the insert-time merge where the store has the setting, and sends none where it has not (18.16)', async () => {
    for (const knows of [true, false]) {
      const ex = new FakeExecutor();
      ex.knowsOptimizeOnInsert = knows;
      const sink = sinkOver(ex);
      await sink.connect();
      await sink.writeBatch(makeMixedEvents(5, `settings-${knows}`));
      expect(ex.insertSettings.length).toBeGreaterThan(0);
      for (const s of ex.insertSettings) expect(s).toEqual(knows ? { optimize_on_insert: 0 } : undefined);
    }
  });

  it('looks up the ledger in a few long queries, each under max_query_size (256 KiB)', async () => {
    const ex = new FakeExecutor();
    const sink = sinkOver(ex, 5, 12_000);
    await sink.connect();
    const r = await sink.writeBatch(makeMixedEvents(12_000, 'ledger'));
    expect(r.written).toBe(12_000);
    expect(ex.ledgerQueries.map((q) => q.split(',').length)).toEqual([5000, 5000, 2000]);
    for (const q of ex.ledgerQueries) expect(Buffer.byteLength(q)).toBeLessThan(256 * 1024);
  });

  it('refuses to write before connect', async () => {
    const err = await sinkOver(new FakeExecutor()).writeBatch([]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
  });
});
