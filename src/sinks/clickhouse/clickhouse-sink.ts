import type { ComponentContext, ComponentDefinition } from '../../core/component.js';
import { resolvePseudonymKey } from '../../core/pseudonym.js';
import { SqlSink } from '../sql/sql-sink.js';
import { ClickHouseExecutor } from './clickhouse-executor.js';
import { ClickHouseSinkConfigSchema, type ClickHouseSinkConfig } from './config.js';

/** The ClickHouse server sink: the embedded store's SQL model over HTTP. */
export function createClickHouseSink(config: ClickHouseSinkConfig, ctx: ComponentContext, env: NodeJS.ProcessEnv = process.env): SqlSink {
  const bucketKey = config.bucketKey ?? resolvePseudonymKey({ env, storeKeyFile: config.keyFile, required: false }).key;
  return new SqlSink({
    name: 'clickhouse',
    openExecutor: (signal) =>
      ClickHouseExecutor.open(
        { url: config.url, database: config.database, username: config.username, password: config.password, requestTimeoutMs: config.requestTimeoutMs },
        signal,
      ),
    mapping: { bucketKey, dayOffsetMinutes: config.dayOffsetMinutes, verbatims: config.verbatims },
    views: { k: config.kAnonymity, minVolume: config.emerging.minVolume, baselineWeeks: config.emerging.baselineWeeks, emergingRatio: config.emerging.ratio },
    maxBatchRows: config.maxBatchRows,
    retry: config.retry,
    connectAttempts: config.connectAttempts,
    logger: ctx.logger,
    metrics: ctx.metrics,
  });
}

export const clickhouseSinkDefinition: ComponentDefinition<'sink', typeof ClickHouseSinkConfigSchema, SqlSink> = {
  kind: 'sink',
  name: 'clickhouse',
  summary: 'ClickHouse server over HTTP (18.16 and current): facts, aggregates and k-anonymous views.',
  configSchema: ClickHouseSinkConfigSchema,
  create: (config, ctx) => createClickHouseSink(config, ctx),
};
