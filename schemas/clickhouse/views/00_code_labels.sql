-- Labels of the most recently loaded code frame, one row per code. A helper, not a published cell
-- view (it holds no counts).
CREATE VIEW code_labels AS
SELECT
    code,
    argMax(label, loaded_at) AS label,
    argMax(domain_label, loaded_at) AS domain_label,
    argMax(component_label, loaded_at) AS component_label
FROM code_frame
GROUP BY code;
