-- The dynamic map (issue 16 item 5): each case's satisfaction (满意/基本满意/不满意, NULL while
-- unrated) as a column beside the others the lists filter on, so that one grouped query over a
-- range of report times gives every grid's 满意率 without reading the rule state's JSON.
-- Rewritten with the other state columns after every change; filled here for existing cases.
ALTER TABLE cases ADD COLUMN satisfaction TEXT;
UPDATE cases SET satisfaction = (state_json::jsonb -> 'rating' ->> 'satisfaction');
