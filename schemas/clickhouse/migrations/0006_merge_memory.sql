-- voc-stream SQL model, migration 6: background merges that keep the store's memory low.
--
-- A horizontal merge reads every column of every part at once, a buffer per column and part:
-- sampled during a 10^6-record embedded replay, merging nine 5,000-row parts of `events` (34
-- columns) took ~260 MB and was the peak of the process. The vertical algorithm merges the sort
-- key first and then gathers one column at a time. ClickHouse picks it only from 131,072 rows
-- and 11 columns, which the parts of a stream of 5,000-event inserts never reach before they are
-- merged, so the fact tables ask for it always: the same merge then took ~10 MB. (Aggregating
-- tables cannot merge vertically; `daily_code_agg` merges still take ~100-140 MB, and a smaller
-- merge block did not measurably change that.) docs/performance.md has the figures.
--
-- ALTER … MODIFY SETTING is not in 18.16: there, the server's own <merge_tree> configuration
-- decides (docs/sql.md).

-- @since 20.3
ALTER TABLE events MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;

-- @since 20.3
ALTER TABLE mentions MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;

-- @since 20.3
ALTER TABLE verbatims MODIFY SETTING vertical_merge_algorithm_min_rows_to_activate = 1, vertical_merge_algorithm_min_columns_to_activate = 1;
