-- Channel mix per week: volume, coded and uncoded shares, negative share, and the channel's share
-- of the week among the published cells (computing it over all events would let a reader derive a
-- suppressed cell by subtraction).
CREATE VIEW v_channel_mix AS
SELECT week, channel, events, coded, uncoded_share, negative_share, authors, round(events / week_events, 3) AS share
FROM
(
    SELECT
        week, channel,
        sum(p_events) AS events,
        sum(p_coded) AS coded,
        round(1 - coded / events, 3) AS uncoded_share,
        round(sum(p_negative) / events, 3) AS negative_share,
        max(p_authors) AS authors
    FROM
    (
        SELECT toMonday(day) AS week, toYYYYMM(day) AS period, channel,
            countMerge(events_state) AS p_events,
            sumMerge(coded_state) AS p_coded,
            sumMerge(negative_state) AS p_negative,
            uniqCombinedMerge(authors_state) AS p_authors
        FROM daily_event_agg
        GROUP BY week, period, channel
    )
    GROUP BY week, channel
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN
(
    SELECT week, sum(c_events) AS week_events
    FROM
    (
        SELECT week, channel, sum(p_events) AS c_events, max(p_authors) AS c_authors
        FROM
        (
            SELECT toMonday(day) AS week, toYYYYMM(day) AS period, channel,
                countMerge(events_state) AS p_events,
                uniqCombinedMerge(authors_state) AS p_authors
            FROM daily_event_agg
            GROUP BY week, period, channel
        )
        GROUP BY week, channel
        HAVING c_authors >= {{k}}
    )
    GROUP BY week
) AS r1 USING week;
