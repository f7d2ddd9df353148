-- Proposed migration (the store owns schemas/clickhouse/): discovered topics from the model stage.
-- One row per upsert of a cluster; ReplacingMergeTree keeps the latest state per (embedding_model, topic_id)
-- by `size` (a cluster only grows). Read with FINAL or argMax. Examples are redacted texts (no
-- author, no identifiers): the sink writes them only when store.verbatims = 'redacted'.
CREATE TABLE IF NOT EXISTS discovered_topics
(
    topic_id        String,
    embedding_model LowCardinality(String),
    size            UInt32,
    top_terms       Array(String),
    examples        Array(String),
    first_seen      DateTime64(3, 'UTC'),
    last_seen       DateTime64(3, 'UTC'),
    updated_at      DateTime64(3, 'UTC') DEFAULT now64(3)
)
ENGINE = ReplacingMergeTree(size)
ORDER BY (embedding_model, topic_id);
