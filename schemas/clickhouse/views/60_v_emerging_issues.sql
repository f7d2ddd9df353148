-- Emerging issues: codes whose weekly mentions jump against their own trailing baseline, the mean
-- of the previous {{baseline_weeks}} weeks (weeks without mentions count as 0). ratio = mentions /
-- max(baseline, 1); a row is emerging when it has at least {{min_volume}} mentions and ratio >=
-- {{emerging_ratio}}. No window functions (ClickHouse 18.16 has none): each week's count is spread to the
-- weeks it is a baseline for with ARRAY JOIN, then joined back. The current week needs k authors.
CREATE VIEW v_emerging_issues AS
SELECT week, code, label, mentions, negative, baseline, ratio, is_emerging, authors
FROM
(
    SELECT
        week, code, mentions, negative, authors,
        round(baseline_sum / {{baseline_weeks}}, 2) AS baseline,
        round(mentions / greatest(baseline_sum / {{baseline_weeks}}, 1), 2) AS ratio,
        toUInt8(mentions >= {{min_volume}} AND ratio >= {{emerging_ratio}}) AS is_emerging
    FROM
    (
        SELECT week, code, sum(p_mentions) AS mentions, sum(p_negative) AS negative, max(p_authors) AS authors
        FROM
        (
            SELECT toMonday(day) AS week, toYYYYMM(day) AS period, code,
                countMerge(mentions_state) AS p_mentions,
                sumMerge(negative_state) AS p_negative,
                uniqCombinedMerge(authors_state) AS p_authors
            FROM daily_code_agg
            GROUP BY week, period, code
        )
        GROUP BY week, code
        HAVING authors >= {{k}} AND mentions >= {{min_volume}}
    ) AS l1
    ANY LEFT JOIN
    (
        SELECT w + 7 * n AS week, code, sum(w_mentions) AS baseline_sum
        FROM
        (
            SELECT toMonday(day) AS w, code, countMerge(mentions_state) AS w_mentions
            FROM daily_code_agg
            GROUP BY w, code
        )
        ARRAY JOIN arrayMap(x -> x + 1, range({{baseline_weeks}})) AS n
        GROUP BY week, code
    ) AS r1 USING week, code
) AS l2
ANY LEFT JOIN (SELECT code, label FROM code_labels) AS r2 USING code;
