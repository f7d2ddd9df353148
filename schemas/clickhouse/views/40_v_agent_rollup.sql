-- Hotline agent roll-up per pseudonymous agent key and month: calls, negative share and top codes,
-- only for agents who heard at least k distinct customers that month (and top codes with k each).
-- Read from the facts (FINAL: the ReplacingMergeTree backstop applied at read time).
CREATE VIEW v_agent_rollup AS
SELECT month, agent_key, calls, negative_calls, negative_share, coded_share, authors, top_codes
FROM
(
    SELECT
        toStartOfMonth(day) AS month, agent_key,
        count() AS calls,
        countIf(doc_sentiment < 0) AS negative_calls,
        round(negative_calls / calls, 3) AS negative_share,
        round(countIf(hit_count > 0) / calls, 3) AS coded_share,
        uniqExactIf(author_bucket, author_bucket != '') AS authors
    FROM events FINAL
    WHERE channel = 'hotline' AND agent_key != ''
    GROUP BY month, agent_key
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN
(
    SELECT month, agent_key, arraySlice(arrayMap(t -> t.2, arraySort(t -> (-t.1, t.2), groupArray((c_mentions, code)))), 1, 3) AS top_codes
    FROM
    (
        SELECT toStartOfMonth(day) AS month, agent_key, code,
            toInt64(count()) AS c_mentions,
            uniqExactIf(author_bucket, author_bucket != '') AS c_authors
        FROM mentions FINAL
        WHERE channel = 'hotline' AND agent_key != ''
        GROUP BY month, agent_key, code
        HAVING c_authors >= {{k}}
    )
    GROUP BY month, agent_key
) AS r1 USING month, agent_key;
