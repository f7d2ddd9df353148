import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/core/logger.js';
import { PipelineMetrics } from '../../src/core/metrics.js';
import { ConnectionError } from '../../src/core/errors.js';
import { createChdbSink } from '../../src/sinks/chdb/chdb-sink.js';
import { ChdbSinkConfigSchema } from '../../src/sinks/chdb/config.js';
import { runSinkContract } from './sink-contract-suite.js';
import { runSqlModelChecks } from './sql-model-suite.js';
import { TEST_BUCKET_KEY } from './sink-fixtures.js';

// chDB binds one data directory per process: every test in this file shares one directory and gets
// its own database in it (sessions on the same path coexist; see src/sinks/chdb/session-pool.ts).
const dir = mkdtempSync(join(tmpdir(), 'voc-chdb-'));
const ctx = () => ({ logger: silentLogger(), metrics: new PipelineMetrics(), signal: new AbortController().signal });
const makeSink = (o: { kAnonymity?: number; database?: string } = {}) =>
  Promise.resolve(
    createChdbSink(
      ChdbSinkConfigSchema.parse({
        path: dir,
        database: o.database ?? `t_${randomUUID().replaceAll('-', '').slice(0, 12)}`,
        bucketKey: TEST_BUCKET_KEY,
        kAnonymity: o.kAnonymity ?? 5,
      }),
      ctx(),
    ),
  );

afterAll(() => rmSync(dir, { recursive: true, force: true }));

runSinkContract('chdb', () => makeSink());
runSqlModelChecks('chdb', makeSink);

describe('chdb store directory', () => {
  it('refuses a second directory while the first is open, with a typed error', async () => {
    const a = await makeSink();
    await a.connect();
    const other = createChdbSink(ChdbSinkConfigSchema.parse({ path: join(dir, 'other'), bucketKey: TEST_BUCKET_KEY, connectAttempts: 1 }), ctx());
    const err = await other.connect().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as ConnectionError).code).toBe('CHDB_PATH_IN_USE');
    await a.close();
  });
});

describe('chdb store merges', () => {
  it('bounds merge memory (migration 0006): the fact tables merge vertically, the code aggregate keeps compact parts', async () => {
    const sink = await makeSink();
    await sink.connect();
    try {
      for (const table of ['events', 'mentions']) {
        const ddl = await sink.query(`SHOW CREATE TABLE ${table}`, 'TSV');
        expect(ddl, table).toMatch(/vertical_merge_algorithm_min_rows_to_activate = 1\b/);
        expect(ddl, table).toMatch(/vertical_merge_algorithm_min_columns_to_activate = 1\b/);
      }
      expect(await sink.query('SHOW CREATE TABLE daily_code_agg', 'TSV')).toMatch(/min_bytes_for_wide_part = 1073741824\b/);
    } finally {
      await sink.close();
    }
  });
});
