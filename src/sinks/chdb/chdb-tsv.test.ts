import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { PipelineMetrics } from '../../core/metrics.js';
import { makeEvent, TEST_BUCKET_KEY } from '../../../test/contract/sink-fixtures.js';
import { createChdbSink } from './chdb-sink.js';
import { ChdbSinkConfigSchema } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'voc-chdb-tsv-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The write path sends TabSeparated text (src/sinks/sql/rows.ts): every string must come back from
 * the engine exactly as it went in, whatever it holds — tabs, newlines, backslashes, quotes (also
 * inside arrays), NUL, any Unicode.
 */
describe('TabSeparated write path on chDB', () => {
  it('stores arbitrary strings in plain and array columns unchanged', async () => {
    const sink = createChdbSink(ChdbSinkConfigSchema.parse({ path: dir, database: 'tsv_roundtrip', bucketKey: TEST_BUCKET_KEY }), {
      logger: silentLogger(),
      metrics: new PipelineMetrics(),
      signal: new AbortController().signal,
    });
    await sink.connect();
    try {
      const tricky = ["a'b", 'tab\there', 'line\nbreak', 'cr\rx', 'back\\slash', "\\'", 'nul\u0000x', '[1,2]', "'],['", '汽车 😀', '\\t literal', ''];
      // Verbatims live 180 days (a TTL): a recent day keeps them.
      const recent = new Date(Date.now() - 86_400_000).toISOString();
      const random = fc.sample(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), { numRuns: 200, seed: 8 });
      const texts = [...tricky.filter((t) => t !== ''), ...random];
      const events = texts.map((t, i) =>
        makeEvent({ sourceId: `tsv-${i}`, occurredAt: recent, vehicleSeries: [...t].slice(0, 10).join(''), hits: [{ code: `X.Y.${i}'${[...t].slice(0, 5).join('')}`, clause: t }] }),
      );
      const r = await sink.writeBatch(events);
      expect(r.written).toBe(events.length);
      const rows = (await sink.query('SELECT event_id, vehicle_series, codes FROM events ORDER BY event_id'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event_id: string; vehicle_series: string; codes: string[] });
      const verbatims = (await sink.query('SELECT event_id, text FROM verbatims'))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { event_id: string; text: string });
      const byId = new Map(rows.map((x) => [x.event_id, x]));
      const textById = new Map(verbatims.map((x) => [x.event_id, x.text]));
      for (const [i, e] of events.entries()) {
        const row = byId.get(e.event.id);
        expect(row?.vehicle_series).toBe(e.event.context?.vehicleSeries);
        expect(row?.codes).toEqual([e.nlp.hits[0]?.code]);
        expect(textById.get(e.event.id)).toBe(texts[i]);
      }
    } finally {
      await sink.close();
    }
  });
});
