import { afterAll, describe, expect, it } from 'vitest';
import { SinkRejectedError } from '../../src/core/errors.js';
import { runSinkContract } from '../contract/sink-contract-suite.js';
import { runSqlModelChecks } from '../contract/sql-model-suite.js';
import { clickhouseAvailable, dropDatabases, makeServerSink } from './clickhouse-support.js';

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
