-- Dealer scorecard per dealer code and month: volume, negative share, and the three most
-- mentioned codes — only codes that themselves reach k distinct authors at that dealer.
CREATE VIEW v_dealer_scorecard AS
SELECT month, dealer_code, events, negative_events, negative_share, coded_share, authors, top_codes
FROM
(
    SELECT
        toStartOfMonth(day) AS month, dealer_code,
        countMerge(events_state) AS events,
        sumMerge(negative_state) AS negative_events,
        round(negative_events / events, 3) AS negative_share,
        round(sumMerge(coded_state) / events, 3) AS coded_share,
        uniqCombinedMerge(authors_state) AS authors
    FROM daily_event_agg
    WHERE dealer_code != ''
    GROUP BY month, dealer_code
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN
(
    SELECT month, dealer_code, arraySlice(arrayMap(t -> t.2, arraySort(t -> (-t.1, t.2), groupArray((c_mentions, code)))), 1, 3) AS top_codes
    FROM
    (
        SELECT toStartOfMonth(day) AS month, dealer_code, code,
            toInt64(countMerge(mentions_state)) AS c_mentions,
            uniqCombinedMerge(authors_state) AS c_authors
        FROM daily_code_agg
        WHERE dealer_code != ''
        GROUP BY month, dealer_code, code
        HAVING c_authors >= {{k}}
    )
    GROUP BY month, dealer_code
) AS r1 USING month, dealer_code;
