-- The party organisation tree's working records (issue 13 items 1–3): transfers between
-- organisations, units in the area (驻区单位, 两新组织) with their organisation or its absence,
-- 双找 registrations (找组织), and the in-service check-ins joined to the member records.

-- 组织关系转接: a member's moves between organisations, oldest first by id.
CREATE TABLE party_transfers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member_id INTEGER NOT NULL REFERENCES party_members(id),
    from_org_id INTEGER REFERENCES party_orgs(id),
    to_org_id INTEGER NOT NULL REFERENCES party_orgs(id),
    on_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX party_transfers_member ON party_transfers(member_id);

-- 驻区单位 / 两新组织: enterprises, social organisations and other units in a community, with
-- their party organisation (org_id) or none; coverage = units with one / all units.
CREATE TABLE party_units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES areas(code),
    grid_code TEXT REFERENCES grids(code),
    address TEXT NOT NULL,
    employees INTEGER NOT NULL DEFAULT 0,
    org_id INTEGER REFERENCES party_orgs(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX party_units_community ON party_units(community_code);
CREATE INDEX party_units_org ON party_units(org_id);

-- 找组织: a member registers with their residential community; the community matches the
-- registration to a resident and confirms it (creating or linking the member) or declines it.
CREATE TABLE party_registrations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT,
    phone_enc BLOB,
    community_code TEXT NOT NULL REFERENCES areas(code),
    address TEXT NOT NULL,
    member_status TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    prior_org TEXT NOT NULL,
    workplace TEXT,
    state TEXT NOT NULL,
    resident_id INTEGER REFERENCES residents(id),
    member_id INTEGER REFERENCES party_members(id),
    account_id INTEGER,
    decided_by INTEGER,
    decided_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX party_registrations_community ON party_registrations(community_code, state);

-- 在职党员到社区报到, joined to the member's record when known.
ALTER TABLE community_checkins ADD COLUMN member_id INTEGER REFERENCES party_members(id);
CREATE INDEX community_checkins_member ON community_checkins(member_id);
