-- The closed loop (issue 3): categories, dispatch rules, the working-day calendar, cases and
-- their events, photos, follow-ups, webhooks, notifications and Open311 API keys.
CREATE TABLE categories (
    code TEXT PRIMARY KEY,
    parent_code TEXT,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    deadline_class TEXT NOT NULL,
    default_department TEXT,
    guidance TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE dispatch_rules (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    category_code TEXT NOT NULL,
    area_code TEXT NOT NULL,
    department_code TEXT NOT NULL,
    UNIQUE (category_code, area_code)
);

CREATE TABLE holidays (
    date TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    name TEXT NOT NULL
);

CREATE TABLE ticket_counters (
    day TEXT PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE cases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket TEXT NOT NULL UNIQUE,
    lookup_hash BLOB NOT NULL UNIQUE,
    state TEXT NOT NULL,
    version INTEGER NOT NULL,
    category_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    community_code TEXT,
    grid_code TEXT,
    lon REAL,
    lat REAL,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    department_code TEXT,
    level INTEGER NOT NULL,
    emergency INTEGER NOT NULL,
    reported_at INTEGER NOT NULL,
    dispatched_at INTEGER,
    deadline INTEGER,
    warned INTEGER NOT NULL DEFAULT 0,
    overdue INTEGER NOT NULL DEFAULT 0,
    clock_at INTEGER,
    closed_at INTEGER,
    reporter_account INTEGER,
    reporter_phone_enc BLOB,
    supporters INTEGER NOT NULL DEFAULT 0,
    state_json TEXT NOT NULL
);
CREATE INDEX cases_clock ON cases(clock_at);
CREATE INDEX cases_grid ON cases(grid_code);
CREATE INDEX cases_community ON cases(community_code);
CREATE INDEX cases_department ON cases(department_code, state);
CREATE INDEX cases_category_reported ON cases(category_code, reported_at);

CREATE TABLE case_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_at ON case_events(at);

CREATE TABLE case_photos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL REFERENCES cases(id),
    event_seq INTEGER NOT NULL,
    path TEXT NOT NULL,
    mime TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX case_photos_case ON case_photos(case_id);

CREATE TABLE case_supporters (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    supporter TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (case_id, supporter)
);

CREATE TABLE notifications (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    case_id INTEGER NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    at INTEGER NOT NULL,
    read_at INTEGER
);
CREATE INDEX notifications_recipient ON notifications(recipient, read_at);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    case_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    last_status INTEGER,
    last_error TEXT,
    next_attempt_at INTEGER NOT NULL,
    delivered_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

CREATE TABLE api_keys (
    key_hash BLOB PRIMARY KEY,
    name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
