-- 权力清单. An item belongs to a department (`owner_kind` 'department', `owner_code` its code)
-- or a street/district (`owner_kind` 'area', `owner_prefix` the area's code prefix so that an
-- area's staff list the items inside it). `version` counts published texts (0 for a draft never
-- published); `risk_score`/`risk_level` follow `power_risk_settings` and are recomputed when the
-- settings change. `measures` one per line; `flowchart` in its text form (domain `Flowchart`).
CREATE TABLE power_items (
    id BIGSERIAL PRIMARY KEY,
    owner_kind TEXT NOT NULL,
    owner_code TEXT NOT NULL,
    owner_prefix TEXT NOT NULL,
    number BIGINT NOT NULL,
    name TEXT NOT NULL,
    power_type TEXT NOT NULL,
    legal_basis TEXT NOT NULL,
    discretion TEXT NOT NULL,
    post TEXT NOT NULL,
    importance BIGINT NOT NULL,
    discretion_level BIGINT NOT NULL,
    likelihood BIGINT NOT NULL,
    harm BIGINT NOT NULL,
    risk_score BIGINT NOT NULL,
    risk_level TEXT NOT NULL,
    measures TEXT NOT NULL,
    flowchart TEXT NOT NULL,
    state TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT,
    changed_at BIGINT,
    retired_at BIGINT,
    retire_reason TEXT,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX power_items_number ON power_items(owner_kind, owner_code, number);
CREATE INDEX power_items_state ON power_items(state, owner_prefix);

-- Every published text of an item (the whole draft as JSON), the current one included.
CREATE TABLE power_item_versions (
    id BIGSERIAL PRIMARY KEY,
    item_id BIGINT NOT NULL REFERENCES power_items(id),
    version BIGINT NOT NULL,
    content TEXT NOT NULL,
    risk_score BIGINT NOT NULL,
    risk_level TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE UNIQUE INDEX power_item_versions_version ON power_item_versions(item_id, version);

-- The city's risk weights and thresholds: one row.
CREATE TABLE power_risk_settings (
    id BIGINT PRIMARY KEY,
    w_importance BIGINT NOT NULL,
    w_discretion BIGINT NOT NULL,
    w_likelihood BIGINT NOT NULL,
    w_harm BIGINT NOT NULL,
    high_from BIGINT NOT NULL,
    medium_from BIGINT NOT NULL,
    changed_by_name TEXT,
    changed_at BIGINT
);
INSERT INTO power_risk_settings (id, w_importance, w_discretion, w_likelihood, w_harm, high_from, medium_from)
VALUES (1, 1, 1, 1, 1, 60, 35);
