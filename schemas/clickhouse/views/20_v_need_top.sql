-- Top 痛点 / 痒点 / 悦点 per vehicle series and month: need layer basic → 痛点 (pain points),
-- performance → 痒点 (itch points), delight → 悦点 (delight points). 痛点 and 痒点 rank by
-- negative mentions (complaints), 悦点 by positive mentions (praise); the top 10 of each.
CREATE VIEW v_need_top AS
SELECT month, vehicle_series, need_layer, need_label, code, label, mentions, negative, positive, negative_share, rank_score, authors
FROM
(
    SELECT
        toStartOfMonth(day) AS month, vehicle_series, need_layer,
        multiIf(need_layer = 'basic', '痛点', need_layer = 'performance', '痒点', '悦点') AS need_label,
        code,
        countMerge(mentions_state) AS mentions,
        sumMerge(negative_state) AS negative,
        sumMerge(positive_state) AS positive,
        round(negative / mentions, 3) AS negative_share,
        if(need_layer = 'delight', positive, negative) AS rank_score,
        uniqCombinedMerge(authors_state) AS authors
    FROM daily_code_agg
    WHERE vehicle_series != ''
    GROUP BY month, vehicle_series, need_layer, code
    HAVING authors >= {{k}} AND rank_score > 0
    ORDER BY month, vehicle_series, need_layer, rank_score DESC, code
    LIMIT 10 BY month, vehicle_series, need_layer
) AS l1
ANY LEFT JOIN (SELECT code, label FROM code_labels) AS r1 USING code;
