-- voc-stream SQL model, migration 5: topics the optional model stage discovered in feedback that no
-- code covers yet (docs/model-stage.md); `voc codeframe suggest` prints them as candidate codes.
-- One row per upsert of a cluster; ReplacingMergeTree keeps the latest state per
-- (embedding_model, topic_id) by `size` (a cluster only grows): read with FINAL. Examples are
-- redacted texts (no author, no identifier), written only when store.verbatims = redacted.
-- 18.16 has no DateTime64: second precision there.

-- @since 20.1
CREATE TABLE IF NOT EXISTS discovered_topics (
    topic_id String,
    embedding_model LowCardinality(String),
    size UInt32,
    top_terms Array(String),
    examples Array(String),
    first_seen DateTime64(3, 'UTC'),
    last_seen DateTime64(3, 'UTC'),
    updated_at DateTime64(3, 'UTC') DEFAULT now64(3)
) ENGINE = ReplacingMergeTree(size)
ORDER BY (embedding_model, topic_id);

-- @before 20.1
CREATE TABLE IF NOT EXISTS discovered_topics (
    topic_id String,
    embedding_model String,
    size UInt32,
    top_terms Array(String),
    examples Array(String),
    first_seen DateTime('UTC'),
    last_seen DateTime('UTC'),
    updated_at DateTime('UTC') DEFAULT now()
) ENGINE = ReplacingMergeTree(size)
ORDER BY (embedding_model, topic_id);
