-- voc-stream SQL model, migration 3: verbatims, the redacted clause per event × code, for R&D to
-- read customers' own words (store.verbatims: redacted). No author, no identifier: the text has
-- been through the PII redactor. Kept 180 days: a TTL where the server has it (19.6+); on older
-- servers (18.16) the sink deletes expired rows on connect instead (see docs/sql.md).

-- @since 19.6
CREATE TABLE IF NOT EXISTS verbatims (
    event_id String,
    code String,
    day Date,
    channel String,
    vehicle_series String,
    sentiment Int8,
    text String,
    inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYear(day)
ORDER BY (code, day, event_id)
TTL day + INTERVAL 180 DAY;

-- @before 19.6
CREATE TABLE IF NOT EXISTS verbatims (
    event_id String,
    code String,
    day Date,
    channel String,
    vehicle_series String,
    sentiment Int8,
    text String,
    inserted_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(inserted_at)
PARTITION BY toYear(day)
ORDER BY (code, day, event_id);
