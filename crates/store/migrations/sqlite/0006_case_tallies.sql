-- Scorecard tallies (issue 6): each case's counters and follow-up adds to the row of its
-- community and report day, in the transaction that changes the case, so a street × month
-- scorecard sums a few thousand rows instead of reading every case. '' is the community of
-- unlocated cases. Filled for existing cases by the store when it opens.
CREATE TABLE case_tallies (
    community_code TEXT NOT NULL,
    day TEXT NOT NULL,
    reported INTEGER NOT NULL DEFAULT 0,
    registered INTEGER NOT NULL DEFAULT 0,
    dispatched INTEGER NOT NULL DEFAULT 0,
    dispatched_accurately INTEGER NOT NULL DEFAULT 0,
    due_handling INTEGER NOT NULL DEFAULT 0,
    handled_on_time INTEGER NOT NULL DEFAULT 0,
    handled_late INTEGER NOT NULL DEFAULT 0,
    due_closing INTEGER NOT NULL DEFAULT 0,
    closed INTEGER NOT NULL DEFAULT 0,
    closed_on_time INTEGER NOT NULL DEFAULT 0,
    reworked INTEGER NOT NULL DEFAULT 0,
    extended INTEGER NOT NULL DEFAULT 0,
    deferred INTEGER NOT NULL DEFAULT 0,
    valid INTEGER NOT NULL DEFAULT 0,
    contacted INTEGER NOT NULL DEFAULT 0,
    resolved INTEGER NOT NULL DEFAULT 0,
    satisfied INTEGER NOT NULL DEFAULT 0,
    basically_satisfied INTEGER NOT NULL DEFAULT 0,
    unsatisfied INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (community_code, day)
);
CREATE INDEX case_tallies_day ON case_tallies(day);
