-- 红色网格: the roles of each grid (网格长, 网格指导员, 红色网格员), the households each red grid
-- member serves (联户), their visits (走访 / 民情日记) and the conflicts they mediated, and the
-- city's bounds on households per member. Every create or change of a role, link, visit or
-- mediation is also a `record_events` row on the log, written in the same transaction.

-- The city's settings of the red grid (min_households, max_households); a key absent here
-- keeps the shipped default (5–10).
CREATE TABLE red_grid_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A role in a grid. A red grid member's role names its own account (role red_member, scoped
-- to the grid); a leader's or instructor's may name a staff account or only a person. The
-- holder may be a party member on the roll (party_members, migration 15).
CREATE TABLE grid_roles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    grid_code TEXT NOT NULL REFERENCES grids(code),
    role TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    member_id INTEGER REFERENCES party_members(id),
    person_name TEXT NOT NULL,
    started_on TEXT NOT NULL,
    ended_on TEXT,
    -- Touched by every link written under the role: on PostgreSQL the update locks the row,
    -- so two links for one member are counted one after the other.
    links_changed_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX grid_roles_grid ON grid_roles(grid_code);
CREATE INDEX grid_roles_account ON grid_roles(account_id);

-- 联户: a household served by a red grid member, from `linked_on` until `ended_on`. A
-- household has one red grid member at a time.
CREATE TABLE household_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    role_id INTEGER NOT NULL REFERENCES grid_roles(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    grid_code TEXT NOT NULL,
    linked_on TEXT NOT NULL,
    ended_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX household_links_role ON household_links(role_id);
CREATE INDEX household_links_account ON household_links(account_id);
CREATE INDEX household_links_grid ON household_links(grid_code);
CREATE UNIQUE INDEX household_links_current ON household_links(household_id) WHERE ended_on IS NULL;

-- 走访 / 民情日记: a contact with a household, by whom, for what, what was found; a photo kept
-- under the data dir by content hash; the case raised from it, if any.
CREATE TABLE visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households(id),
    grid_code TEXT NOT NULL,
    visitor_id INTEGER NOT NULL REFERENCES accounts(id),
    visitor_name TEXT NOT NULL,
    purpose TEXT NOT NULL,
    visited_on TEXT NOT NULL,
    notes TEXT NOT NULL,
    photo_path TEXT,
    photo_mime TEXT,
    photo_sha256 TEXT,
    case_id INTEGER REFERENCES cases(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX visits_household ON visits(household_id);
CREATE INDEX visits_grid ON visits(grid_code);
CREATE INDEX visits_visitor ON visits(visitor_id);
CREATE INDEX visits_case ON visits(case_id);

-- 矛盾调解: a conflict mediated on a visit. Parties are stored masked only (first character).
CREATE TABLE mediations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    visit_id INTEGER NOT NULL REFERENCES visits(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    grid_code TEXT NOT NULL,
    mediator_id INTEGER NOT NULL REFERENCES accounts(id),
    parties TEXT NOT NULL,
    issue TEXT NOT NULL,
    outcome TEXT NOT NULL,
    mediated_on TEXT NOT NULL,
    follow_up_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX mediations_grid ON mediations(grid_code);
CREATE INDEX mediations_mediator ON mediations(mediator_id);
CREATE INDEX mediations_visit ON mediations(visit_id);
