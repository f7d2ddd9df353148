import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SqlSink } from '../../src/sinks/sql/sql-sink.js';
import { count, totals } from './sink-contract-suite.js';
import { hex32, makeEvent, makeMixedEvents, TEST_CODE_FRAME } from './sink-fixtures.js';

/** Every published view (v_*): each returns an `authors` column that must never be below k. */
export const PUBLISHED_VIEWS = [
  'v_code_trend_daily',
  'v_code_trend_weekly',
  'v_need_top',
  'v_dealer_scorecard',
  'v_agent_rollup',
  'v_channel_mix',
  'v_emerging_issues',
  'v_department_inbox',
] as const;

/** The ```sql blocks of docs/sql.md, each an example that must run on both stores. */
export function docExamples(path = new URL('../../docs/sql.md', import.meta.url)): { title: string; sql: string }[] {
  const text = readFileSync(path, 'utf8');
  const out: { title: string; sql: string }[] = [];
  const re = /^#+\s+(.+)$|^```sql\n([\s\S]*?)^```/gm;
  let title = '';
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1] !== undefined) title = m[1].trim();
    else if (m[2] !== undefined) out.push({ title, sql: m[2].trim().replace(/;\s*$/, '') });
  }
  return out;
}

export type SqlSinkFactory = (o?: { kAnonymity?: number; database?: string }) => Promise<SqlSink>;

/**
 * Checks of the SQL model beyond the Sink contract, run on both stores: k-anonymity of every view,
 * the docs/sql.md examples, and a replay of 10,000 events twice.
 */
export function runSqlModelChecks(name: string, makeSink: SqlSinkFactory): void {
  describe(`SQL model: ${name}`, () => {
    const open: SqlSink[] = [];
    const fresh = async (o?: { kAnonymity?: number; database?: string }): Promise<SqlSink> => {
      const sink = await makeSink(o);
      open.push(sink);
      await sink.connect();
      return sink;
    };
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });

    it('10,000 events written twice leave the aggregates equal to a once-only count', async () => {
      const events = makeMixedEvents(10_000, randomUUID().slice(0, 8));
      const once = await fresh();
      for (let i = 0; i < events.length; i += 2500) await once.writeBatch(events.slice(i, i + 2500));
      const expected = await totals(once);
      const viewOnce = await count(once, 'SELECT sum(mentions) FROM v_code_trend_daily');

      const twice = await fresh();
      let written = 0;
      let duplicates = 0;
      for (const round of [1, 2]) {
        // The second replay arrives in other batch boundaries, as a redelivery would.
        const size = round === 1 ? 2500 : 1700;
        for (let i = 0; i < events.length; i += size) {
          const r = await twice.writeBatch(events.slice(i, i + size));
          written += r.written;
          duplicates += r.duplicates;
        }
      }
      expect(written).toBe(10_000);
      expect(duplicates).toBe(10_000);
      expect(expected.events).toBe(10_000);
      expect(await totals(twice)).toEqual(expected);
      expect(await count(twice, 'SELECT sum(mentions) FROM v_code_trend_daily')).toBe(viewOnce);
      // Not a tautology: the mixed data set has coded and uncoded events and several codes per event.
      expect(expected.mentions).toBeGreaterThan(10_000 * 0.8);
    });

    it('no view returns a cell below k; a crafted small group is suppressed and a group of k is not', async () => {
      const k = 5;
      const sink = await fresh({ kAnonymity: k });
      const day = '2026-03-11T09:00:00+08:00';
      const events = [
        // 4 distinct authors: below k everywhere.
        ...Array.from({ length: 4 }, (_, i) =>
          makeEvent({ sourceId: `small-${i}`, occurredAt: day, author: `small-author-${i}`, hits: [{ code: 'K.SMALL.X' }], vehicleSeries: 'SMALL', dealerCode: 'DLRSMALL', channel: 'dealer' }),
        ),
        // One author, 12 complaints: many mentions, still one person.
        ...Array.from({ length: 12 }, (_, i) =>
          makeEvent({ sourceId: `one-${i}`, occurredAt: day, author: 'the-one', hits: [{ code: 'K.ONE.X' }], vehicleSeries: 'ONE', channel: 'hotline', agentKey: hex32('lonely-agent') }),
        ),
        // Unknown authors never count towards k.
        ...Array.from({ length: 8 }, (_, i) => makeEvent({ sourceId: `anon-${i}`, occurredAt: day, author: null, hits: [{ code: 'K.ANON.X' }], channel: 'social' })),
        // Exactly k authors: published.
        ...Array.from({ length: k }, (_, i) =>
          makeEvent({ sourceId: `big-${i}`, occurredAt: day, author: `big-author-${i}`, hits: [{ code: 'K.BIG.X' }], vehicleSeries: 'BIG', dealerCode: 'DLRBIG', channel: 'dealer' }),
        ),
      ];
      await sink.writeBatch(events);
      await sink.syncCodeFrame(TEST_CODE_FRAME);
      for (const view of PUBLISHED_VIEWS) {
        const rows = (await sink.query(`SELECT * FROM ${view}`, 'JSONEachRow'))
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>);
        for (const row of rows) {
          expect(Number(row.authors), `${view}: ${JSON.stringify(row)}`).toBeGreaterThanOrEqual(k);
          const text = JSON.stringify(row);
          expect(text, view).not.toMatch(/K\.SMALL|K\.ONE|K\.ANON|DLRSMALL|"SMALL"|"ONE"/);
        }
      }
      // The group of k is visible: the views are not simply empty.
      expect(await count(sink, "SELECT count() FROM v_code_trend_daily WHERE code = 'K.BIG.X'")).toBe(1);
      expect(await count(sink, "SELECT authors FROM v_code_trend_daily WHERE code = 'K.BIG.X'")).toBe(k);
      expect(await count(sink, "SELECT count() FROM v_dealer_scorecard WHERE dealer_code = 'DLRBIG'")).toBe(1);
      expect(await count(sink, "SELECT count() FROM v_need_top WHERE vehicle_series = 'BIG'")).toBe(1);
      // The raw facts do hold the small groups: it is the views that suppress them.
      expect(await count(sink, "SELECT count() FROM mentions WHERE code = 'K.ONE.X'")).toBe(12);
    });

    it('re-creates the views when k changes', async () => {
      const database = `k_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      const strict = await fresh({ kAnonymity: 5, database });
      await strict.writeBatch(
        Array.from({ length: 4 }, (_, i) => makeEvent({ sourceId: `four-${i}`, author: `four-${i}`, hits: [{ code: 'K.FOUR.X' }] })),
      );
      expect(await count(strict, "SELECT count() FROM v_code_trend_daily WHERE code = 'K.FOUR.X'")).toBe(0);
      await strict.close();
      const lax = await fresh({ kAnonymity: 4, database });
      expect(await count(lax, "SELECT count() FROM v_code_trend_daily WHERE code = 'K.FOUR.X'")).toBe(1);
    });

    it('runs every docs/sql.md example, each returning rows on a realistic data set', async () => {
      const sink = await fresh();
      await sink.syncCodeFrame(TEST_CODE_FRAME);
      const events = makeMixedEvents(4000, randomUUID().slice(0, 8));
      await sink.writeBatch(events);
      // Verbatims expire 180 days after the feedback day (a TTL on current ClickHouse): recent ones.
      const yesterday = new Date(Date.now() - 86_400_000).toISOString();
      await sink.writeBatch(Array.from({ length: 3 }, (_, i) => makeEvent({ sourceId: `recent-${randomUUID()}`, occurredAt: yesterday, author: `r${i}`, hits: [{ code: 'PWR.TRANS.JERK' }] })));
      await sink.writeDeadLetters([
        { stage: 'parse', code: 'RECORD_INVALID', reason: 'bad JSON', attempt: 1, position: 'x.jsonl:3', source: 'replay', channel: null, eventId: null, payloadSha256: 'a'.repeat(64), payloadBytes: 3, at: '2026-03-10T00:00:00.000Z' },
      ]);
      await sink.recordRun({ runId: 'doc-run', mode: 'replay', startedAt: '2026-03-10T00:00:00Z', finishedAt: '2026-03-10T00:01:00Z', read: 1, published: 1, processed: 1, skipped: 0, deadLettered: 0, written: 1, duplicates: 0, mentions: 1 });
      const examples = docExamples();
      expect(examples.length).toBeGreaterThanOrEqual(8);
      for (const ex of examples) {
        const out = await sink.query(ex.sql, 'JSONEachRow').catch((e: unknown) => {
          throw new Error(`docs/sql.md example "${ex.title}" failed: ${(e as Error).message}`);
        });
        expect(out.trim().length, `docs/sql.md example "${ex.title}" returned no rows`).toBeGreaterThan(0);
      }
    });
  });
}
