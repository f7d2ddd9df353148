-- voc-stream SQL model, migration 6: background merges that keep the store's memory low.
--
-- A horizontal merge reads every column of every part at once, a buffer per column and part:
-- sampled during a 10^6-record embedded replay, merging nine 5,000-row parts of `events` (34
-- columns) took ~260 MB and was the peak of the process. The vertical algorithm merges the sort
-- key first and then gathers one column at a time. ClickHouse picks it only from 131,072 rows
-- and 11 columns, which the parts of a stream of 5,000-event inserts never reach before they are
-- merged, so the fact tables ask for it always: the same merge then took ~10 MB.
--
-- Aggregating tables cannot merge vertically. `daily_code_agg`, whose merges were the next peak
-- (~100-150 MB), keeps its parts compact (all columns in one file, one read buffer per part) up
-- to 1 GB: its merges then peaked at 72-83 MB. (The same for `verbatims` and `daily_event_agg`
-- cost ~10% more CPU in a replay, so they keep the default.) docs/performance.md has the figures.
--
-- ALTER … MODIFY SETTING is not in 18.16: there, the server's own <merge_tree> configuration
-- decides (docs/sql.md).

-- @since 20.3
ALTER TABLE events MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;

-- @since 20.3
ALTER TABLE mentions MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;

-- @since 20.3
ALTER TABLE daily_code_agg MODIFY SETTING min_bytes_for_wide_part = 1073741824;
