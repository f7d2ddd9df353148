import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createClient } from '@clickhouse/client';
import { silentLogger } from '../../src/core/logger.js';
import { PipelineMetrics } from '../../src/core/metrics.js';
import { createClickHouseSink } from '../../src/sinks/clickhouse/clickhouse-sink.js';
import { ClickHouseSinkConfigSchema, type ClickHouseSinkConfig } from '../../src/sinks/clickhouse/config.js';
import type { SqlSink } from '../../src/sinks/sql/sql-sink.js';
import { TEST_BUCKET_KEY } from '../contract/sink-fixtures.js';

/**
 * The real ClickHouse server of the integration tests: VOC_CLICKHOUSE_URL (scripts/services.sh
 * starts one on http://127.0.0.1:8123). Unset: the tests skip with a message, unless
 * VOC_REQUIRE_SERVICES=1 (CI), where they fail.
 */
export const CLICKHOUSE_URL = process.env.VOC_CLICKHOUSE_URL ?? '';
export const REQUIRE_SERVICES = process.env.VOC_REQUIRE_SERVICES === '1';

export function clickhouseAvailable(file: string): boolean {
  if (CLICKHOUSE_URL !== '') return true;
  if (REQUIRE_SERVICES) throw new Error(`${file}: VOC_CLICKHOUSE_URL is not set but VOC_REQUIRE_SERVICES=1: start the server with scripts/services.sh up.`);
  process.stderr.write(`[skip] ${file}: VOC_CLICKHOUSE_URL is not set; run scripts/services.sh up and export VOC_CLICKHOUSE_URL=http://127.0.0.1:8123.\n`);
  return false;
}

/** Every test database starts with this prefix, so a run can drop what it made. */
export const DB_PREFIX = 'voc_it_';
export const randomDatabase = (): string => `${DB_PREFIX}${randomUUID().replaceAll('-', '').slice(0, 12)}`;

/** Databases the tests of this process created (dropped by dropDatabases in afterAll). */
export const createdDatabases = new Set<string>();

export function makeServerSink(o: Partial<ClickHouseSinkConfig> & { kAnonymity?: number; database?: string } = {}, metrics = new PipelineMetrics()): SqlSink {
  const database = o.database ?? randomDatabase();
  createdDatabases.add(database);
  const config = ClickHouseSinkConfigSchema.parse({ url: CLICKHOUSE_URL, bucketKey: TEST_BUCKET_KEY, ...o, database });
  return createClickHouseSink(config, { logger: silentLogger(), metrics, signal: new AbortController().signal });
}

export async function dropDatabases(names: Iterable<string> = createdDatabases): Promise<void> {
  const client = createClient({ url: CLICKHOUSE_URL });
  try {
    for (const name of names) await client.command({ query: `DROP DATABASE IF EXISTS ${name}` });
  } finally {
    await client.close();
  }
}

/** Runs a shell command (stop / start the server), resolving on exit 0. */
export function sh(command: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`\`${command}\` exited with ${code}.`))));
  });
}
