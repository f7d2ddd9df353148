-- Department inbox: per owning department (from the code frame) and week, the codes with their
-- volume and negative share, most complaints first.
CREATE VIEW v_department_inbox AS
SELECT week, department, code, label, domain, mentions, negative, negative_share, authors
FROM
(
    SELECT
        week, department, code,
        any(p_domain) AS domain,
        sum(p_mentions) AS mentions,
        sum(p_negative) AS negative,
        round(negative / mentions, 3) AS negative_share,
        max(p_authors) AS authors
    FROM
    (
        SELECT toMonday(day) AS week, toYYYYMM(day) AS period, department, code,
            any(domain) AS p_domain,
            countMerge(mentions_state) AS p_mentions,
            sumMerge(negative_state) AS p_negative,
            uniqCombinedMerge(authors_state) AS p_authors
        FROM daily_code_agg
        GROUP BY week, period, department, code
    )
    GROUP BY week, department, code
    HAVING authors >= {{k}}
) AS l1
ANY LEFT JOIN (SELECT code, label FROM code_labels) AS r1 USING code;
