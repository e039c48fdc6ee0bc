-- 消极怠政 (issue 15, decision 032): configurable categories seeded with the appendix's twelve;
-- reports with the reporter's identity sealed (AES-GCM, like residents' phones) and a keyed
-- lookup code for the public reporter; investigators, evidence, accountability actions; the
-- signals a supervisor reviewed (so a dismissed one stays away) and the signal thresholds.
-- Every write is also a `record_events` row on the log (codes only), in the same transaction.

CREATE TABLE misconduct_categories (
    code TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT NOT NULL,
    active BIGINT NOT NULL DEFAULT 1,
    position BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);
INSERT INTO misconduct_categories (code, name_zh, name_en, active, position, created_at) VALUES
    ('bad_decision', '决策失误', 'Wrong decisions', 1, 1, 0),
    ('poor_execution', '执行不力', 'Poor execution', 1, 2, 0),
    ('lax_oversight', '监管缺位', 'Lax oversight', 1, 3, 0),
    ('buck_passing', '推诿扯皮', 'Passing the buck', 1, 4, 0),
    ('idleness', '庸懒无为', 'Idleness', 1, 5, 0),
    ('misconduct', '行为失范', 'Improper conduct', 1, 6, 0),
    ('inefficiency', '效率低下', 'Inefficiency', 1, 7, 0),
    ('lax_discipline', '纪律松弛', 'Lax discipline', 1, 8, 0),
    ('aloofness', '脱离群众', 'Aloof from the people', 1, 9, 0),
    ('defiance', '顶风违纪', 'Defying the rules', 1, 10, 0),
    ('exaction', '吃拿卡要', 'Exacting favours', 1, 11, 0),
    ('bribery', '权钱交易', 'Trading power for money', 1, 12, 0);

-- `area_prefix`: the concerned area's code prefix, for a scope's LIKE. `unit_kind` is
-- 'department' or 'area'. `filed_by_id`: the account that filed it (a resident's own list).
CREATE TABLE misconduct_reports (
    id BIGSERIAL PRIMARY KEY,
    category_code TEXT NOT NULL REFERENCES misconduct_categories(code),
    area_code TEXT NOT NULL,
    area_prefix TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    official TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    occurred_on TEXT,
    channel TEXT NOT NULL,
    state TEXT NOT NULL,
    conclusion TEXT,
    dismiss_reason TEXT,
    findings TEXT,
    public_text TEXT,
    has_reporter BIGINT NOT NULL DEFAULT 0,
    reporter_name_enc BYTEA,
    reporter_phone_enc BYTEA,
    lookup_hash BYTEA UNIQUE,
    signal_key TEXT,
    filed_by_id BIGINT,
    filed_by_name TEXT NOT NULL,
    received_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    concluded_at BIGINT
);
CREATE INDEX misconduct_reports_area ON misconduct_reports(area_prefix, state);
CREATE INDEX misconduct_reports_filed_by ON misconduct_reports(filed_by_id);
CREATE INDEX misconduct_reports_received ON misconduct_reports(received_at);

CREATE TABLE misconduct_investigators (
    report_id BIGINT NOT NULL REFERENCES misconduct_reports(id),
    account_id BIGINT NOT NULL,
    account_name TEXT NOT NULL,
    assigned_at BIGINT NOT NULL,
    PRIMARY KEY (report_id, account_id)
);
CREATE INDEX misconduct_investigators_account ON misconduct_investigators(account_id);

-- Evidence: a text, optionally a file kept under the data dir by content hash.
CREATE TABLE misconduct_evidence (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES misconduct_reports(id),
    note TEXT NOT NULL,
    file_name TEXT,
    file_path TEXT,
    file_mime TEXT,
    file_size BIGINT,
    file_sha256 TEXT,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX misconduct_evidence_report ON misconduct_evidence(report_id);

-- 问责: one row per official handled.
CREATE TABLE misconduct_actions (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT NOT NULL REFERENCES misconduct_reports(id),
    action TEXT NOT NULL,
    sanction TEXT,
    official_post TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    decided_on TEXT NOT NULL,
    basis TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX misconduct_actions_report ON misconduct_actions(report_id);
CREATE INDEX misconduct_actions_decided ON misconduct_actions(decided_on);

-- A signal reviewed: dismissed with a reason, or opened as a report. `evidence_count` is what
-- it rested on then: it comes back only with more.
CREATE TABLE misconduct_signal_reviews (
    signal_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    evidence_count BIGINT NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT NOT NULL DEFAULT '',
    report_id BIGINT,
    by_id BIGINT,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);

-- The signal thresholds (JSON of the domain's `SignalThresholds`); absent: the defaults.
CREATE TABLE misconduct_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    changed_at BIGINT NOT NULL
);
