-- Weekly (Monday) code trend per channel. Author buckets rotate monthly, so a week that spans two
-- months is checked against the larger of its two monthly distinct-author counts: a lower bound
-- of the true number, which can only suppress more, never less.
CREATE VIEW v_code_trend_weekly AS
SELECT week, channel, code, label, domain, mentions, negative, neutral, positive, avg_sentiment, authors
FROM
(
    SELECT
        week, channel, code,
        any(p_domain) AS domain,
        sum(p_mentions) AS mentions,
        sum(p_negative) AS negative,
        sum(p_neutral) AS neutral,
        sum(p_positive) AS positive,
        round(sum(p_sentiment_sum) / mentions, 3) AS avg_sentiment,
        max(p_authors) AS authors
    FROM
    (
        SELECT
            toMonday(day) AS week, toYYYYMM(day) AS period, channel, code,
            any(domain) AS p_domain,
            countMerge(mentions_state) AS p_mentions,
            sumMerge(negative_state) AS p_negative,
            sumMerge(neutral_state) AS p_neutral,
            sumMerge(positive_state) AS p_positive,
            sumMerge(sentiment_sum_state) AS p_sentiment_sum,
            uniqCombinedMerge(authors_state) AS p_authors
        FROM daily_code_agg
        GROUP BY week, period, channel, code
    )
    GROUP BY week, channel, code
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN (SELECT code, label FROM code_labels) AS r1 USING code;
