-- voc-stream SQL model, migration 2: what operators need: dead letters, run accounting, the code
-- frame as a dimension table.

CREATE TABLE IF NOT EXISTS dead_letters (
    at DateTime('UTC'),
    stage String,
    code String,
    reason String,
    attempt UInt16,
    position String,
    source String,
    channel String,
    event_id String,
    payload_sha256 String,
    payload_bytes UInt32
) ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (at, stage, code);

-- One row per replay / service / bench run; a run recorded twice keeps its last accounting.
CREATE TABLE IF NOT EXISTS pipeline_runs (
    run_id String,
    mode String,
    started_at DateTime('UTC'),
    finished_at DateTime('UTC'),
    read UInt64,
    published UInt64,
    processed UInt64,
    dead_lettered UInt64,
    written UInt64,
    duplicates UInt64,
    mentions UInt64,
    recorded_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(recorded_at)
ORDER BY run_id;

-- The unified code frame (统一码框), one row per leaf and frame version, loaded by the sink from the
-- validated CodeFrame. Views take the labels of the most recently loaded version.
CREATE TABLE IF NOT EXISTS code_frame (
    version String,
    hash String,
    code String,
    label String,
    domain String,
    domain_label String,
    component String,
    component_label String,
    need_layer String,
    department String,
    default_polarity Int8,
    loaded_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY (code, version, hash);

-- The published views (schemas/clickhouse/views/) are generated with k and the emerging-issue
-- parameters written into their text; this records which rendering each view has, so a change of
-- k re-creates them on the next connect.
CREATE TABLE IF NOT EXISTS schema_views (
    name String,
    checksum String,
    params String,
    applied_at DateTime('UTC')
) ENGINE = ReplacingMergeTree(applied_at)
ORDER BY name;
