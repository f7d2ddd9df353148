import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../core/logger.js';
import { PipelineMetrics } from '../../core/metrics.js';
import { createChdbSink } from '../../sinks/chdb/chdb-sink.js';
import { ChdbSinkConfigSchema } from '../../sinks/chdb/config.js';
import type { SqlSink } from '../../sinks/sql/sql-sink.js';
import type { DiscoveredTopic } from './discovery.js';
import {
  discoveredTopicRows,
  readDiscoveredTopics,
  writeDiscoveredTopics,
} from './discovered-topics.js';

const topic = (id: string, size: number, examples = ['车机黑屏', '中控死机']): DiscoveredTopic => ({
  id,
  size,
  topTerms: ['黑屏', '车机'],
  examples,
  firstSeen: '2026-11-01T08:00:00.000Z',
  lastSeen: '2026-11-02T09:30:00.000Z',
  embeddingModel: 'bge-small-zh',
});

describe('discovered_topics rows', () => {
  it('maps topics to rows, dropping examples when verbatims are off', () => {
    const [row] = discoveredTopicRows([topic('t1', 5)]);
    expect(row).toEqual({
      topic_id: 't1',
      embedding_model: 'bge-small-zh',
      size: 5,
      top_terms: ['黑屏', '车机'],
      examples: ['车机黑屏', '中控死机'],
      first_seen: '2026-11-01 08:00:00',
      last_seen: '2026-11-02 09:30:00',
    });
    expect(discoveredTopicRows([topic('t1', 5)], { withExamples: false })[0]?.examples).toEqual([]);
  });
});

describe('discovered_topics in chDB', () => {
  let dir: string;
  let sink: SqlSink;
  let store: ReturnType<SqlSink['tableAccess']>;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'voc-topics-'));
    // The table comes from the store's own migrations (schemas/clickhouse/migrations/0005_*).
    sink = createChdbSink(ChdbSinkConfigSchema.parse({ path: dir, database: `t_${process.pid}`, bucketKey: 'k'.repeat(32) }), {
      logger: silentLogger(),
      metrics: new PipelineMetrics(),
      signal: new AbortController().signal,
    });
    await sink.connect();
    store = sink.tableAccess();
  });
  afterAll(async () => {
    await sink?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, upserts and reads back the latest state per topic', async () => {
    await writeDiscoveredTopics(store, [topic('t1', 20), topic('t2', 7)]);
    await writeDiscoveredTopics(store, [topic('t1', 35, ['车机黑屏'])]);
    const read = await readDiscoveredTopics(store, { minSize: 10 });
    expect(read).toEqual([{ ...topic('t1', 35, ['车机黑屏']) }]);
    expect((await readDiscoveredTopics(store)).map((t) => [t.id, t.size])).toEqual([
      ['t1', 35],
      ['t2', 7],
    ]);
  });
});
