-- Daily code trend per channel. A day lies in one author-bucket period (a month), so `authors`
-- is the distinct-author sketch of the cell itself; cells below k are not returned.
CREATE VIEW v_code_trend_daily AS
SELECT day, channel, code, label, domain, mentions, negative, neutral, positive, avg_sentiment, avg_intensity, authors
FROM
(
    SELECT
        day, channel, code,
        any(domain) AS domain,
        countMerge(mentions_state) AS mentions,
        sumMerge(negative_state) AS negative,
        sumMerge(neutral_state) AS neutral,
        sumMerge(positive_state) AS positive,
        round(sumMerge(sentiment_sum_state) / mentions, 3) AS avg_sentiment,
        round(sumMerge(intensity_sum_state) / mentions, 3) AS avg_intensity,
        uniqCombinedMerge(authors_state) AS authors
    FROM daily_code_agg
    GROUP BY day, channel, code
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN (SELECT code, label FROM code_labels) AS r1 USING code;
