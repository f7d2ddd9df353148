import { chdbSinkDefinition } from './chdb/chdb-sink.js';
import { clickhouseSinkDefinition } from './clickhouse/clickhouse-sink.js';

/** Every sink, by the name used in config (store.kind). Explicit: no side-effect registration. */
export const sinkRegistry = {
  chdb: chdbSinkDefinition,
  clickhouse: clickhouseSinkDefinition,
} as const;

export type SinkName = keyof typeof sinkRegistry;
