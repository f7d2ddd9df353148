-- voc-stream SQL model, migration 4: RunAccounting gained `skipped` (items counted on purpose and
-- not stored: non-text messages, reposts). 18.16 has no ADD COLUMN IF NOT EXISTS; the statement
-- is the migration's only one, so it is recorded right after it succeeds.

-- @since 20.1
ALTER TABLE pipeline_runs ADD COLUMN IF NOT EXISTS skipped UInt64 DEFAULT 0 AFTER processed;

-- @before 20.1
ALTER TABLE pipeline_runs ADD COLUMN skipped UInt64 DEFAULT 0 AFTER processed;
