import { join } from 'node:path';
import type { ComponentContext, ComponentDefinition } from '../../core/component.js';
import { resolvePseudonymKey } from '../../core/pseudonym.js';
import { SqlSink } from '../sql/sql-sink.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ChdbSinkConfigSchema, type ChdbSinkConfig } from './config.js';

/** The embedded store: ClickHouse in-process (chDB), in a directory, with the server's SQL model. */
export function createChdbSink(config: ChdbSinkConfig, ctx: ComponentContext, env: NodeJS.ProcessEnv = process.env): SqlSink {
  const bucketKey = config.bucketKey ?? resolvePseudonymKey({ env, storeKeyFile: join(config.path, 'pseudonym.key'), required: false }).key;
  return new SqlSink({
    name: 'chdb',
    openExecutor: () => ChdbExecutor.open(config.path, config.database),
    mapping: { bucketKey, dayOffsetMinutes: config.dayOffsetMinutes, verbatims: config.verbatims },
    views: { k: config.kAnonymity, minVolume: config.emerging.minVolume, baselineWeeks: config.emerging.baselineWeeks, emergingRatio: config.emerging.ratio },
    maxBatchRows: config.maxBatchRows,
    retry: config.retry,
    connectAttempts: config.connectAttempts,
    logger: ctx.logger,
    metrics: ctx.metrics,
  });
}

export const chdbSinkDefinition: ComponentDefinition<'sink', typeof ChdbSinkConfigSchema, SqlSink> = {
  kind: 'sink',
  name: 'chdb',
  summary: 'Embedded ClickHouse (chDB) store in a local directory: facts, aggregates and k-anonymous views, no server.',
  configSchema: ChdbSinkConfigSchema,
  create: (config, ctx) => createChdbSink(config, ctx),
};
