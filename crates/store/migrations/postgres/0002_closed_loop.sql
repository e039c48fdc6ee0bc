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
    active BIGINT NOT NULL DEFAULT 1
);

CREATE TABLE dispatch_rules (
    id BIGSERIAL PRIMARY KEY,
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
    last BIGINT NOT NULL
);

CREATE TABLE cases (
    id BIGSERIAL PRIMARY KEY,
    ticket TEXT NOT NULL UNIQUE,
    lookup_hash BYTEA NOT NULL UNIQUE,
    state TEXT NOT NULL,
    version BIGINT NOT NULL,
    category_code TEXT NOT NULL,
    channel TEXT NOT NULL,
    community_code TEXT,
    grid_code TEXT,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    address TEXT NOT NULL,
    description TEXT NOT NULL,
    department_code TEXT,
    level BIGINT NOT NULL,
    emergency BIGINT NOT NULL,
    reported_at BIGINT NOT NULL,
    dispatched_at BIGINT,
    deadline BIGINT,
    warned BIGINT NOT NULL DEFAULT 0,
    overdue BIGINT NOT NULL DEFAULT 0,
    clock_at BIGINT,
    closed_at BIGINT,
    reporter_account BIGINT,
    reporter_phone_enc BYTEA,
    supporters BIGINT NOT NULL DEFAULT 0,
    state_json TEXT NOT NULL
);
CREATE INDEX cases_clock ON cases(clock_at);
CREATE INDEX cases_grid ON cases(grid_code);
CREATE INDEX cases_community ON cases(community_code);
CREATE INDEX cases_department ON cases(department_code, state);
CREATE INDEX cases_category_reported ON cases(category_code, reported_at);

CREATE TABLE case_events (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    actor_id BIGINT,
    actor_name TEXT NOT NULL,
    at BIGINT NOT NULL,
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_at ON case_events(at);

CREATE TABLE case_photos (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL REFERENCES cases(id),
    event_seq BIGINT NOT NULL,
    path TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX case_photos_case ON case_photos(case_id);

CREATE TABLE case_supporters (
    case_id BIGINT NOT NULL REFERENCES cases(id),
    supporter TEXT NOT NULL,
    at BIGINT NOT NULL,
    PRIMARY KEY (case_id, supporter)
);

CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    message TEXT NOT NULL,
    at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notifications_recipient ON notifications(recipient, read_at);

CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    url TEXT NOT NULL,
    format TEXT NOT NULL,
    secret TEXT NOT NULL,
    events TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL
);

CREATE TABLE webhook_deliveries (
    id BIGSERIAL PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks(id),
    event TEXT NOT NULL,
    case_id BIGINT NOT NULL,
    payload TEXT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    last_status BIGINT,
    last_error TEXT,
    next_attempt_at BIGINT NOT NULL,
    delivered_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_at);

CREATE TABLE api_keys (
    key_hash BYTEA PRIMARY KEY,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
