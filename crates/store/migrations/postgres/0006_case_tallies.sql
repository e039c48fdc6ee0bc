-- Scorecard tallies (issue 6): each case's counters and follow-up adds to the row of its
-- community and report day, in the transaction that changes the case, so a street × month
-- scorecard sums a few thousand rows instead of reading every case. '' is the community of
-- unlocated cases. Filled for existing cases by the store when it opens.
CREATE TABLE case_tallies (
    community_code TEXT NOT NULL,
    day TEXT NOT NULL,
    reported BIGINT NOT NULL DEFAULT 0,
    registered BIGINT NOT NULL DEFAULT 0,
    dispatched BIGINT NOT NULL DEFAULT 0,
    dispatched_accurately BIGINT NOT NULL DEFAULT 0,
    due_handling BIGINT NOT NULL DEFAULT 0,
    handled_on_time BIGINT NOT NULL DEFAULT 0,
    handled_late BIGINT NOT NULL DEFAULT 0,
    due_closing BIGINT NOT NULL DEFAULT 0,
    closed BIGINT NOT NULL DEFAULT 0,
    closed_on_time BIGINT NOT NULL DEFAULT 0,
    reworked BIGINT NOT NULL DEFAULT 0,
    extended BIGINT NOT NULL DEFAULT 0,
    deferred BIGINT NOT NULL DEFAULT 0,
    valid BIGINT NOT NULL DEFAULT 0,
    contacted BIGINT NOT NULL DEFAULT 0,
    resolved BIGINT NOT NULL DEFAULT 0,
    satisfied BIGINT NOT NULL DEFAULT 0,
    basically_satisfied BIGINT NOT NULL DEFAULT 0,
    unsatisfied BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (community_code, day)
);
CREATE INDEX case_tallies_day ON case_tallies(day);
