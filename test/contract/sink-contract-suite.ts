import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { deadLetterFrom } from '../../src/core/dead-letter.js';
import { SinkRejectedError, ValidationError } from '../../src/core/errors.js';
import type { RunAccounting, Sink } from '../../src/sinks/sink.js';
import { makeEvent, makeMixedEvents } from './sink-fixtures.js';

/**
 * One conformance suite for every Sink over the voc SQL model (../shared/STYLE.md): the chDB store
 * runs it as a unit test, the ClickHouse server sink against the real server. `makeSink` returns a
 * fresh, unconnected sink on an empty database.
 */
export async function count(sink: Sink, sql: string): Promise<number> {
  const out = (await sink.query(sql, 'JSONEachRow')).trim();
  const row = JSON.parse(out.split('\n')[0] ?? '{}') as Record<string, unknown>;
  return Number(Object.values(row)[0]);
}

/** The totals a once-only write must leave: facts and every aggregate agree. */
export async function totals(sink: Sink): Promise<Record<string, number>> {
  return {
    events: await count(sink, 'SELECT count() FROM events FINAL'),
    eventRows: await count(sink, 'SELECT count() FROM events'),
    mentions: await count(sink, 'SELECT count() FROM mentions'),
    codeAgg: await count(sink, 'SELECT countMerge(mentions_state) FROM daily_code_agg'),
    eventAgg: await count(sink, 'SELECT countMerge(events_state) FROM daily_event_agg'),
    negative: await count(sink, 'SELECT sumMerge(negative_state) FROM daily_code_agg'),
  };
}

export function runSinkContract(name: string, makeSink: () => Promise<Sink>): void {
  describe(`Sink contract: ${name}`, () => {
    const open: Sink[] = [];
    const fresh = async (): Promise<Sink> => {
      const sink = await makeSink();
      open.push(sink);
      await sink.connect();
      return sink;
    };
    const prefix = (): string => randomUUID().slice(0, 8);

    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    it('connects (running its migrations), reports healthy with a version, and closes', async () => {
      const sink = await fresh();
      const health = await sink.healthcheck();
      expect(health.ok).toBe(true);
      expect(health.version).toMatch(/^\d+\.\d+/);
      expect(await count(sink, 'SELECT count() FROM schema_migrations')).toBeGreaterThanOrEqual(4);
      await sink.close();
      expect((await sink.healthcheck()).ok).toBe(false);
    });

    it('migrations are idempotent: a second connect applies nothing and keeps the data', async () => {
      const first = await fresh();
      const migrations = await count(first, 'SELECT count() FROM schema_migrations');
      await first.writeBatch([makeEvent({ sourceId: `${prefix()}-m`, hits: [{ code: 'A.B.C' }] })]);
      await first.close();
      await first.connect();
      expect(await count(first, 'SELECT count() FROM schema_migrations')).toBe(migrations);
      expect(await count(first, 'SELECT count() FROM events')).toBe(1);
    });

    it('writes a batch: events, one mention per event × code, and the aggregates', async () => {
      const sink = await fresh();
      const p = prefix();
      const events = [
        makeEvent({ sourceId: `${p}-1`, hits: [{ code: 'PWR.TRANS.JERK' }, { code: 'NVH.WIND.NOISE', sentiment: 0 }] }),
        makeEvent({ sourceId: `${p}-2`, hits: [{ code: 'PWR.TRANS.JERK' }, { code: 'PWR.TRANS.JERK', clause: '又顿了' }] }),
        makeEvent({ sourceId: `${p}-3`, channel: 'hotline', hits: [] }),
      ];
      const result = await sink.writeBatch(events);
      expect(result).toMatchObject({ written: 3, duplicates: 0, mentions: 3, rejected: [] });
      expect(await totals(sink)).toMatchObject({ events: 3, mentions: 3, codeAgg: 3, eventAgg: 3, negative: 2 });
      expect(await count(sink, "SELECT hits FROM mentions WHERE code = 'PWR.TRANS.JERK' ORDER BY hits DESC LIMIT 1")).toBe(2);
      expect(await count(sink, 'SELECT sumMerge(coded_state) FROM daily_event_agg')).toBe(2);
    });

    it('never stores the author key, the source id or the raw text in the facts', async () => {
      const sink = await fresh();
      const e = makeEvent({ sourceId: `${prefix()}-secret-source-id`, hits: [{ code: 'A.B.C' }] });
      await sink.writeBatch([e]);
      const dump = await sink.query('SELECT * FROM events', 'JSONEachRow');
      expect(dump).not.toContain(e.event.authorKey as string);
      expect(dump).not.toContain(e.event.sourceId);
      expect(JSON.parse(dump.trim()) as { author_bucket: string }).toMatchObject({ author_bucket: expect.stringMatching(/^[0-9a-f]{16}$/) });
    });

    it('is idempotent: the same events written twice (and twice in one batch) count once', async () => {
      const sink = await fresh();
      const events = makeMixedEvents(120, prefix());
      const first = await sink.writeBatch([...events, events[0]!, events[1]!]);
      expect(first.written).toBe(120);
      expect(first.duplicates).toBe(2);
      const once = await totals(sink);
      const second = await sink.writeBatch(events);
      expect(second).toMatchObject({ written: 0, duplicates: 120, mentions: 0 });
      expect(await totals(sink)).toEqual(once);
      expect(once.events).toBe(120);
      expect(once.eventRows).toBe(120);
    });

    it('stores dead letters with their reason and source position', async () => {
      const sink = await fresh();
      const letter = deadLetterFrom({
        stage: 'parse',
        error: new ValidationError('line 12: expected a JSON object, got "oops".'),
        position: 'examples/x.jsonl:12',
        source: 'replay.jsonl',
        channel: 'survey',
        payload: `oops-${prefix()}`,
      });
      await sink.writeDeadLetters([letter]);
      const rows = (await sink.query(`SELECT stage, code, reason, position, payload_bytes FROM dead_letters WHERE payload_sha256 = '${letter.payloadSha256}'`, 'JSONEachRow'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ stage: 'parse', code: 'RECORD_INVALID', reason: letter.reason, position: 'examples/x.jsonl:12' });
      expect(Number(rows[0]?.payload_bytes)).toBe(letter.payloadBytes);
    });

    it('stores the run accounting, the last record of a run winning', async () => {
      const sink = await fresh();
      const run: RunAccounting = {
        runId: `run-${prefix()}`,
        mode: 'replay',
        startedAt: '2026-03-10T01:00:00.000Z',
        finishedAt: '2026-03-10T01:05:00.000Z',
        read: 10,
        published: 9,
        processed: 9,
        skipped: 0,
        deadLettered: 1,
        written: 8,
        duplicates: 1,
        mentions: 12,
      };
      await sink.recordRun({ ...run, written: 7 });
      await sink.recordRun(run);
      const rows = (await sink.query(`SELECT read, dead_lettered, written, mentions FROM pipeline_runs FINAL WHERE run_id = '${run.runId}'`, 'JSONEachRow'))
        .trim()
        .split('\n');
      expect(rows).toHaveLength(1);
      // 64-bit integers come back quoted from some servers and bare from others: compare as numbers.
      const row = Object.fromEntries(Object.entries(JSON.parse(rows[0]!) as Record<string, unknown>).map(([k, v]) => [k, Number(v)]));
      expect(row).toEqual({ read: 10, dead_lettered: 1, written: 8, mentions: 12 });
    });

    it('reconnects without loss: what was written before close is there after, and not doubled', async () => {
      const sink = await fresh();
      const p = prefix();
      const a = makeMixedEvents(40, `${p}-a`);
      const b = makeMixedEvents(30, `${p}-b`);
      await sink.writeBatch(a);
      await sink.close();
      await sink.connect();
      const r = await sink.writeBatch([...a.slice(0, 10), ...b]);
      expect(r).toMatchObject({ written: 30, duplicates: 10 });
      expect((await totals(sink)).events).toBe(70);
    });

    it('hands a poison record back as rejected, writes the rest, and does not throw', async () => {
      const sink = await fresh();
      const p = prefix();
      const good = makeMixedEvents(5, p);
      const poison = makeEvent({ sourceId: `${p}-poison`, occurredAt: 'not a date', hits: [{ code: 'A.B.C' }] });
      const result = await sink.writeBatch([good[0]!, poison, ...good.slice(1)]);
      expect(result.written).toBe(5);
      expect(result.rejected).toHaveLength(1);
      expect(result.rejected[0]?.eventId).toBe(poison.event.id);
      expect(result.rejected[0]?.error).toBeInstanceOf(ValidationError);
      expect((await totals(sink)).events).toBe(5);
    });

    it('reports a bad query as a typed, non-retriable SinkRejectedError', async () => {
      const sink = await fresh();
      const err = await sink.query('SELECT no_such_column FROM events').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SinkRejectedError);
      expect((err as SinkRejectedError).retriable).toBe(false);
      expect((err as SinkRejectedError).serverCode).toBeGreaterThan(0);
    });
  });
}
