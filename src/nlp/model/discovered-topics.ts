import type { DiscoveredTopic } from './discovery.js';

// The `discovered_topics` table itself is the store's migration 0005 (schemas/clickhouse/).

/** One row of `discovered_topics`, as JSONEachRow. */
export interface DiscoveredTopicRow {
  topic_id: string;
  embedding_model: string;
  size: number;
  top_terms: string[];
  examples: string[];
  first_seen: string;
  last_seen: string;
}

/** ClickHouse DateTime64(3) text in UTC: "2026-11-23 09:41:34.000". */
function chTime(iso: string): string {
  const d = new Date(iso);
  // Second precision: ClickHouse 18.16 (DateTime) and current (DateTime64) both parse it.
  return Number.isNaN(d.getTime()) ? '1970-01-01 00:00:00' : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, '');
}

/**
 * Rows for the sink. `withExamples: false` (store.verbatims = 'off') drops the example texts.
 */
export function discoveredTopicRows(topics: readonly DiscoveredTopic[], options: { withExamples?: boolean } = {}): DiscoveredTopicRow[] {
  const withExamples = options.withExamples ?? true;
  return topics.map((t) => ({
    topic_id: t.id,
    embedding_model: t.embeddingModel,
    size: t.size,
    top_terms: [...t.topTerms],
    examples: withExamples ? t.examples.slice(0, 3) : [],
    first_seen: chTime(t.firstSeen),
    last_seen: chTime(t.lastSeen),
  }));
}

/** Rows back to topics (for `voc codeframe suggest` reading the table). */
export function topicFromRow(row: DiscoveredTopicRow): DiscoveredTopic {
  // ClickHouse gives 'YYYY-MM-DD hh:mm:ss[.fff]' in UTC; topics carry canonical ISO strings.
  const iso = (s: string): string => {
    const d = new Date(s.includes('T') ? s : `${s.replace(' ', 'T')}Z`);
    return Number.isNaN(d.getTime()) ? s : d.toISOString();
  };
  return {
    id: row.topic_id,
    embeddingModel: row.embedding_model,
    size: Number(row.size),
    topTerms: row.top_terms,
    examples: row.examples,
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
  };
}

/**
 * The part of the store's SqlExecutor (src/sinks/sql/executor.ts) these helpers need; chDB and
 * ClickHouse executors both fit.
 */
export interface TopicStore {
  exec(sql: string, signal?: AbortSignal): Promise<void>;
  rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]>;
  insert(table: string, rows: readonly object[], signal?: AbortSignal): Promise<void>;
}

/** What the sink calls with `stage.drainTopics()`: upserts (ReplacingMergeTree by size). */
export async function writeDiscoveredTopics(
  store: TopicStore,
  topics: readonly DiscoveredTopic[],
  options: { withExamples?: boolean; signal?: AbortSignal } = {},
): Promise<number> {
  if (topics.length === 0) return 0;
  await store.insert('discovered_topics', discoveredTopicRows(topics, options), options.signal);
  return topics.length;
}

/** The query `voc codeframe suggest` runs against the store: latest state per topic, largest first. */
export function selectDiscoveredTopicsSql(minSize: number, limit: number): string {
  const n = (x: number) => String(Math.max(0, Math.floor(Number.isFinite(x) ? x : 0)));
  return `SELECT topic_id, embedding_model, size, top_terms, examples, first_seen, last_seen
FROM discovered_topics FINAL
WHERE size >= ${n(minSize)}
ORDER BY size DESC, topic_id
LIMIT ${n(limit)}`;
}

export async function readDiscoveredTopics(
  store: TopicStore,
  options: { minSize?: number; limit?: number; signal?: AbortSignal } = {},
): Promise<DiscoveredTopic[]> {
  const rows = await store.rows<DiscoveredTopicRow>(selectDiscoveredTopicsSql(options.minSize ?? 1, options.limit ?? 100), options.signal);
  return rows.map(topicFromRow);
}
