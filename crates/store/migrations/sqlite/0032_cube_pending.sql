-- Cube sums waiting to be folded (decision 043). On PostgreSQL each case write is its own
-- transaction, and adding its sums to the cube rows directly made every concurrent intake wait
-- for the others' locks on the same day, month and slice rows until they committed (70 cases/s
-- from 64 clients). A case write appends its sums here instead, in its own transaction, and one
-- short transaction at a time folds them into the cube: before every cube read (so dashboards
-- stay exact) and every second. SQLite's writer sums a batch's requests itself and never
-- writes here.
CREATE TABLE cube_pending (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,
    community_code TEXT NOT NULL,
    department TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
    reported BIGINT NOT NULL,
    registered BIGINT NOT NULL,
    dispatched BIGINT NOT NULL,
    dispatched_accurately BIGINT NOT NULL,
    due_handling BIGINT NOT NULL,
    handled_on_time BIGINT NOT NULL,
    handled_late BIGINT NOT NULL,
    due_closing BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    closed_on_time BIGINT NOT NULL,
    reworked BIGINT NOT NULL,
    extended BIGINT NOT NULL,
    deferred BIGINT NOT NULL,
    valid BIGINT NOT NULL,
    contacted BIGINT NOT NULL,
    resolved BIGINT NOT NULL,
    satisfied BIGINT NOT NULL,
    basically_satisfied BIGINT NOT NULL,
    unsatisfied BIGINT NOT NULL
);
