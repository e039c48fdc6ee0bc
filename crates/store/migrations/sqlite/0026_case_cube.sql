-- The rollup cube (issue 16, decision 035). The scorecard tallies become the cube's day rows:
-- per community × report day × department × category × channel the 19 tally columns; beside
-- them the month rows with the same key at month grain. Each case write adds its difference
-- to both in its own transaction; a dashboard sums month rows for the whole months of its
-- range and day rows only for the (at most two) months the range cuts. '' is the community of
-- an unlocated case and the department of a case not (yet) dispatched. Both tables are filled
-- from the cases by the store when they are empty, and by `gongzhi cube rebuild`.
DROP TABLE case_tallies;
CREATE TABLE case_tallies (
    day TEXT NOT NULL,
    community_code TEXT NOT NULL,
    department TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
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
    PRIMARY KEY (community_code, day, department, category, channel)
);
CREATE TABLE case_cube (
    month TEXT NOT NULL,
    community_code TEXT NOT NULL,
    department TEXT NOT NULL,
    category TEXT NOT NULL,
    channel TEXT NOT NULL,
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
    PRIMARY KEY (community_code, month, department, category, channel)
);
-- Slices: the same sums at district level along one or two keys (street, community, department,
-- category, channel; department with category, street or channel), by month (grain 'm') and
-- by day ('d'), so that a city- or district-wide dashboard reads a few thousand rows instead
-- of every community's. 'a' and 'b' hold the slice's key values ('' for b when it has one).
CREATE TABLE case_slices (
    dim TEXT NOT NULL,
    grain TEXT NOT NULL,
    period TEXT NOT NULL,
    district TEXT NOT NULL,
    a TEXT NOT NULL,
    b TEXT NOT NULL,
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
    PRIMARY KEY (dim, grain, period, district, a, b)
);
