-- 权力清单. An item belongs to a department (`owner_kind` 'department', `owner_code` its code)
-- or a street/district (`owner_kind` 'area', `owner_prefix` the area's code prefix so that an
-- area's staff list the items inside it). `version` counts published texts (0 for a draft never
-- published); `risk_score`/`risk_level` follow `power_risk_settings` and are recomputed when the
-- settings change. `measures` one per line; `flowchart` in its text form (domain `Flowchart`).
CREATE TABLE power_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    owner_kind TEXT NOT NULL,
    owner_code TEXT NOT NULL,
    owner_prefix TEXT NOT NULL,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    power_type TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    discretion TEXT NOT NULL,
    post TEXT NOT NULL,
    importance INTEGER NOT NULL,
    discretion_level INTEGER NOT NULL,
    likelihood INTEGER NOT NULL,
    harm INTEGER NOT NULL,
    risk_score INTEGER NOT NULL,
    risk_level TEXT NOT NULL,
    measures TEXT NOT NULL,
    flowchart TEXT NOT NULL,
    state TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0,
    published_at INTEGER,
    changed_at INTEGER,
    retired_at INTEGER,
    retire_reason TEXT,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX power_items_number ON power_items(owner_kind, owner_code, number);
CREATE INDEX power_items_state ON power_items(state, owner_prefix);

-- Every published text of an item (the whole draft as JSON), the current one included.
CREATE TABLE power_item_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES power_items(id),
    version INTEGER NOT NULL,
    content TEXT NOT NULL,
    risk_score INTEGER NOT NULL,
    risk_level TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE UNIQUE INDEX power_item_versions_version ON power_item_versions(item_id, version);

-- The city's risk weights and thresholds: one row.
CREATE TABLE power_risk_settings (
    id INTEGER PRIMARY KEY,
    w_importance INTEGER NOT NULL,
    w_discretion INTEGER NOT NULL,
    w_likelihood INTEGER NOT NULL,
    w_harm INTEGER NOT NULL,
    high_from INTEGER NOT NULL,
    medium_from INTEGER NOT NULL,
    changed_by_name TEXT,
    changed_at INTEGER
);
INSERT INTO power_risk_settings (id, w_importance, w_discretion, w_likelihood, w_harm, high_from, medium_from)
VALUES (1, 1, 1, 1, 1, 60, 35);
