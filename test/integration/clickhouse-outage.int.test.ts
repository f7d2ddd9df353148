import { afterAll, describe, expect, it } from 'vitest';
import { setTimeout as delay } from 'node:timers/promises';
import { PipelineMetrics } from '../../src/core/metrics.js';
import type { WriteResult } from '../../src/sinks/sink.js';
import { totals } from '../contract/sink-contract-suite.js';
import { makeMixedEvents } from '../contract/sink-fixtures.js';
import { clickhouseAvailable, dropDatabases, makeServerSink, sh } from './clickhouse-support.js';

/**
 * Must show: the server stopped for 30 s in the middle of a stream, then started again — nothing
 * lost, nothing doubled. The server is stopped and started with scripts/services.sh (override with
 * VOC_CLICKHOUSE_STOP_CMD / VOC_CLICKHOUSE_START_CMD for a server started some other way).
 */
const available = clickhouseAvailable('clickhouse-outage.int.test.ts');
const STOP = process.env.VOC_CLICKHOUSE_STOP_CMD ?? 'scripts/services.sh down clickhouse';
const START = process.env.VOC_CLICKHOUSE_START_CMD ?? 'scripts/services.sh up clickhouse';
const OUTAGE_MS = Number(process.env.VOC_CLICKHOUSE_OUTAGE_MS ?? 30_000);

if (available) {
  afterAll(() => dropDatabases());

  describe('clickhouse server outage', () => {
    it('stopped 30 s mid-stream, then started: nothing lost, nothing doubled', { timeout: 600_000 }, async () => {
      const batches = Array.from({ length: 24 }, (_, b) => makeMixedEvents(250, `outage-${b}`));
      const all = batches.flat();
      const expectedMentions = all.reduce((s, e) => s + new Set(e.nlp.hits.map((h) => h.code)).size, 0);
      const metrics = new PipelineMetrics();
      const sink = makeServerSink({ retry: { maxAttempts: 500, initialDelayMs: 100, maxDelayMs: 2000 } }, metrics);
      await sink.connect();
      let restarted = false;
      let outage: Promise<void> | undefined;
      const results: WriteResult[] = [];
      try {
        for (let b = 0; b < batches.length; b++) {
          if (b === 8) {
            // Stop the server before this batch (waiting for the stop, so that the outage cannot
            // miss a fast stream), and start it again 30 s later while the writes retry.
            await sh(STOP);
            outage = (async () => {
              await delay(OUTAGE_MS);
              await sh(START);
              restarted = true;
            })();
          }
          // The runner's view: writeBatch blocks (retrying) while the server is down; it resolves
          // only once the batch is durable, and then the consumer acks.
          results.push(await sink.writeBatch(batches[b]!));
          if (b === 12) {
            // A redelivery after the restart: batches the consumer had not acked yet come again.
            results.push(await sink.writeBatch([...batches[7]!, ...batches[8]!]));
          }
        }
        await outage;
        expect(restarted).toBe(true);
        // The outage was felt: writes failed and were retried (not merely waited out).
        const retried = (await metrics.errors.get()).values.filter((v) => v.labels.component === 'clickhouse').reduce((s, v) => s + v.value, 0);
        expect(retried).toBeGreaterThan(0);
        const written = results.reduce((s, r) => s + r.written, 0);
        const duplicates = results.reduce((s, r) => s + r.duplicates, 0);
        expect(results.every((r) => r.rejected.length === 0)).toBe(true);
        expect(written).toBe(all.length);
        expect(duplicates).toBe(500);
        const t = await totals(sink);
        expect(t).toEqual({
          events: all.length,
          eventRows: all.length,
          mentions: expectedMentions,
          codeAgg: expectedMentions,
          eventAgg: all.length,
          negative: t.negative,
        });
        expect(t.negative).toBeGreaterThan(0);
      } finally {
        await outage?.catch(() => undefined);
        await sink.close();
      }
    });
  });
} else {
  describe.skip('clickhouse server outage (VOC_CLICKHOUSE_URL not set)', () => {
    it('skipped', () => undefined);
  });
}
