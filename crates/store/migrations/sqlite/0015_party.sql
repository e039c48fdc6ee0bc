-- The party organisation in the system (红色网格, 五步工作法): residential compounds (小区) in
-- the population base, the party organisation tree and its members. The modules built on them
-- (双找, grid roles and household links, visits, 三会一课, five steps, assessment) add their
-- own tables in later migrations.

-- Non-case records on the verifiable log: each row is one create/modify event of a party
-- organisation, member, link, visit or assessment. Its ledger entry is a `ledger_entries` row
-- with case_id 0 and case_seq = this id (case ids start at 1), and `subject` stands where a
-- case entry has its ticket. Personal data in `payload` is hashed on the log like a case's.
CREATE TABLE record_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject TEXT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX record_events_subject ON record_events(subject);

-- 小区: a residential compound, the unit of the five-step method, with its buildings.
CREATE TABLE compounds (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES areas(code),
    address TEXT NOT NULL,
    lon REAL,
    lat REAL,
    property_company TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX compounds_community ON compounds(community_code);
ALTER TABLE buildings ADD COLUMN compound_id INTEGER REFERENCES compounds(id);
CREATE INDEX buildings_compound ON buildings(compound_id);

-- 党组织: committee / general branch / branch / group, tied to an area (the community or
-- street it serves) and, by kind, to a grid, a compound or a unit in the area.
CREATE TABLE party_orgs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES party_orgs(id),
    area_code TEXT NOT NULL REFERENCES areas(code),
    grid_code TEXT REFERENCES grids(code),
    compound_id INTEGER REFERENCES compounds(id),
    has_committee INTEGER NOT NULL DEFAULT 0,
    founded_on TEXT NOT NULL,
    dissolved_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX party_orgs_parent ON party_orgs(parent_id);
CREATE INDEX party_orgs_area ON party_orgs(area_code);
CREATE INDEX party_orgs_compound ON party_orgs(compound_id);

-- 党员: full or probationary, the organisation they belong to (none while only found by the
-- community and not yet confirmed), their residence and, when in service, their workplace.
CREATE TABLE party_members (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT,
    status TEXT NOT NULL,
    joined_on TEXT NOT NULL,
    full_on TEXT,
    org_id INTEGER REFERENCES party_orgs(id),
    resident_id INTEGER REFERENCES residents(id),
    household_id INTEGER REFERENCES households(id),
    community_code TEXT NOT NULL REFERENCES areas(code),
    workplace TEXT,
    phone_enc BLOB,
    left_on TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX party_members_org ON party_members(org_id);
CREATE INDEX party_members_community ON party_members(community_code);
CREATE INDEX party_members_household ON party_members(household_id);
CREATE UNIQUE INDEX party_members_resident ON party_members(resident_id);
