-- The city's choices in the closed loop that an administrator sets on the dispatch-rules page
-- (e.g. verification_by_grid: whether grid workers verify, 核查). A key absent here keeps the
-- shipped default.
CREATE TABLE loop_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
