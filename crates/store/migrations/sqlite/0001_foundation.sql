-- Foundation schema (SQLite). Times are unix milliseconds; booleans are 0/1 integers so that the
-- same queries decode identically on SQLite and PostgreSQL.
CREATE TABLE areas (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL,
    parent_code TEXT,
    geometry TEXT
);
CREATE INDEX areas_parent ON areas(parent_code);

CREATE TABLE grids (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES areas(code),
    geometry TEXT NOT NULL,
    area_m2 REAL NOT NULL
);
CREATE INDEX grids_community ON grids(community_code);

CREATE TABLE departments (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL
);

CREATE TABLE buildings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    grid_code TEXT NOT NULL REFERENCES grids(code),
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    floors INTEGER NOT NULL
);
CREATE INDEX buildings_grid ON buildings(grid_code);

CREATE TABLE households (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    building_id INTEGER NOT NULL REFERENCES buildings(id),
    grid_code TEXT NOT NULL,
    room TEXT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX households_grid ON households(grid_code);
CREATE INDEX households_building ON households(building_id);

CREATE TABLE residents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    household_id INTEGER NOT NULL REFERENCES households(id),
    grid_code TEXT NOT NULL,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_year INTEGER NOT NULL,
    id_number_enc BLOB NOT NULL,
    id_number_bidx BLOB NOT NULL UNIQUE,
    phone_enc BLOB,
    phone_bidx BLOB,
    relation TEXT NOT NULL,
    political_status TEXT NOT NULL
);
CREATE INDEX residents_household ON residents(household_id);
CREATE INDEX residents_grid ON residents(grid_code);
CREATE INDEX residents_phone ON residents(phone_bidx);

CREATE TABLE accounts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    scope TEXT NOT NULL,
    can_unmask INTEGER NOT NULL DEFAULT 0,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0,
    is_demo INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);

CREATE TABLE api_tokens (
    token_hash BLOB PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TABLE pii_access_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    account_id INTEGER NOT NULL,
    account_name TEXT NOT NULL,
    resident_id INTEGER NOT NULL,
    fields TEXT NOT NULL,
    reason TEXT NOT NULL
);
CREATE INDEX pii_access_resident ON pii_access_log(resident_id);
