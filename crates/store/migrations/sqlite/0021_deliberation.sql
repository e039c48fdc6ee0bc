-- 有事好商量: topics raised in a community and the residents' supports that table them,
-- meetings with their invited parties, agenda, attendance and minutes, motions and the votes
-- on them, resolutions whose items are cases (on the closed loop) or tasks with their progress,
-- and the city's (and a community's) settings. Every create or change is also a
-- `record_events` row on the log, written in the same transaction.

-- The settings (support_threshold, quorum_pct, majority, voting_basis): `scope` is 'city' or a
-- community's code (only its support_threshold applies); a key absent keeps the default.
CREATE TABLE deliberation_settings (
    scope TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (scope, key)
);

-- A topic. `raised_by` is the raiser's account, or none for a resident without one, who holds
-- the lookup code whose digest is `lookup_hash`. `raiser_name` is kept masked.
CREATE TABLE topics (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_code TEXT NOT NULL,
    grid_code TEXT,
    category TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    raiser_kind TEXT NOT NULL,
    raised_by INTEGER REFERENCES accounts(id),
    raiser_name TEXT NOT NULL,
    lookup_hash BLOB UNIQUE,
    status TEXT NOT NULL,
    supports INTEGER NOT NULL DEFAULT 0,
    -- How it was tabled: 'support' (the threshold) or 'staff'; when.
    tabled_by TEXT,
    tabled_at INTEGER,
    decline_reason TEXT,
    meeting_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX topics_community ON topics(community_code);
CREATE INDEX topics_raised_by ON topics(raised_by);

-- One support per resident account or lookup-code holder per topic (`supporter` is
-- 'account/ID' or 'code/<hex digest>').
CREATE TABLE topic_supports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    topic_id INTEGER NOT NULL REFERENCES topics(id),
    supporter TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    UNIQUE (topic_id, supporter)
);

CREATE TABLE deliberation_meetings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    place TEXT NOT NULL,
    -- Party codes and department codes, comma-separated.
    invited TEXT NOT NULL,
    departments TEXT NOT NULL,
    status TEXT NOT NULL,
    minutes TEXT,
    created_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX deliberation_meetings_community ON deliberation_meetings(community_code);

-- Who came, per party invited.
CREATE TABLE meeting_attendance (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES deliberation_meetings(id),
    party TEXT NOT NULL,
    attendees INTEGER NOT NULL,
    note TEXT NOT NULL,
    UNIQUE (meeting_id, party)
);

CREATE TABLE motions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    meeting_id INTEGER NOT NULL REFERENCES deliberation_meetings(id),
    topic_id INTEGER REFERENCES topics(id),
    title TEXT NOT NULL,
    basis TEXT NOT NULL,
    quorum_pct INTEGER NOT NULL,
    majority TEXT NOT NULL,
    -- Households (or residents) of the community when the motion was put.
    eligible INTEGER NOT NULL,
    votes_for INTEGER NOT NULL DEFAULT 0,
    votes_against INTEGER NOT NULL DEFAULT 0,
    votes_abstain INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    quorum_met INTEGER,
    closed_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX motions_meeting ON motions(meeting_id);

-- One vote per household (or resident) per motion: `voter` is 'household/ID' or 'resident/ID'.
CREATE TABLE motion_votes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    motion_id INTEGER NOT NULL REFERENCES motions(id),
    voter TEXT NOT NULL,
    choice TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    UNIQUE (motion_id, voter)
);

CREATE TABLE resolutions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    motion_id INTEGER NOT NULL UNIQUE REFERENCES motions(id),
    meeting_id INTEGER NOT NULL REFERENCES deliberation_meetings(id),
    community_code TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX resolutions_community ON resolutions(community_code);

-- An item: a case filed through intake (`case_id`) or a task with an owner, a due date and
-- its progress (0–100).
CREATE TABLE resolution_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    resolution_id INTEGER NOT NULL REFERENCES resolutions(id),
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    case_id INTEGER REFERENCES cases(id),
    owner TEXT NOT NULL,
    due_on TEXT,
    progress INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX resolution_items_resolution ON resolution_items(resolution_id);

-- A task's progress as it was recorded.
CREATE TABLE resolution_progress (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES resolution_items(id),
    progress INTEGER NOT NULL,
    note TEXT NOT NULL,
    recorded_by INTEGER REFERENCES accounts(id),
    recorded_at INTEGER NOT NULL
);
