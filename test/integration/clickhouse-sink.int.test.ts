import { createClient } from '@clickhouse/client';
import { afterAll, describe, expect, it } from 'vitest';
import { SinkRejectedError } from '../../src/core/errors.js';
import { runSinkContract } from '../contract/sink-contract-suite.js';
import { runSqlModelChecks } from '../contract/sql-model-suite.js';
import { CLICKHOUSE_URL, clickhouseAvailable, dropDatabases, makeServerSink, randomDatabase } from './clickhouse-support.js';

const available = clickhouseAvailable('clickhouse-sink.int.test.ts');

if (available) {
  afterAll(() => dropDatabases());

  runSinkContract('clickhouse server', () => Promise.resolve(makeServerSink()));
  runSqlModelChecks('clickhouse server', (o = {}) => Promise.resolve(makeServerSink(o)));

  describe('clickhouse server specifics', () => {
    it('reports the server version and gates the DDL on it (TTL only where the server has it)', async () => {
      const sink = makeServerSink();
      await sink.connect();
      try {
        const health = await sink.healthcheck();
        expect(health.ok).toBe(true);
        const [major] = (health.version ?? '').split('.').map(Number);
        const ddl = await sink.query("SELECT create_table_query FROM system.tables WHERE database = currentDatabase() AND name = 'verbatims'", 'TSV');
        if ((major ?? 0) < 19) expect(ddl).not.toContain('TTL');
        else expect(ddl).toContain('TTL');
      } finally {
        await sink.close();
      }
    });

    it('deletes expired verbatims on connect where the server has no TTL (18.16)', async (t) => {
      const database = randomDatabase();
      const sink = makeServerSink({ database });
      await sink.connect();
      const [major] = sink.serverVersion.split('.').map(Number);
      if ((major ?? 0) >= 19) {
        await sink.close();
        t.skip();
        return;
      }
      const client = createClient({ url: CLICKHOUSE_URL, database });
      try {
        const row = { event_id: 'e'.repeat(32), code: 'A.B.C', channel: 'survey', vehicle_series: '', sentiment: -1, text: 'x', inserted_at: '2025-01-01 00:00:00' };
        await client.insert({ table: 'verbatims', format: 'JSONEachRow', values: [{ ...row, day: '2025-01-01' }, { ...row, event_id: 'f'.repeat(32), day: new Date().toISOString().slice(0, 10) }] });
        await sink.close();
        await sink.connect();
        // ALTER … DELETE is a mutation: it runs in the background. Wait for it (bounded).
        let left = 2;
        for (let i = 0; i < 100 && left !== 1; i++) {
          const rs = await client.query({ query: 'SELECT count() AS n FROM verbatims', format: 'JSONEachRow' });
          left = Number((await rs.json<{ n: string }>())[0]?.n);
          if (left !== 1) await new Promise((r) => setTimeout(r, 200));
        }
        expect(left).toBe(1);
      } finally {
        await client.close();
        await sink.close();
      }
    });

    it('refuses an unknown user with a typed, non-retriable error, not endless retries', async () => {
      const sink = makeServerSink({ username: 'no_such_user_voc', connectAttempts: 1 });
      const err = await sink.connect().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SinkRejectedError);
      expect((err as SinkRejectedError).retriable).toBe(false);
    });
  });
} else {
  describe.skip('clickhouse server sink (VOC_CLICKHOUSE_URL not set)', () => {
    it('skipped', () => undefined);
  });
}
