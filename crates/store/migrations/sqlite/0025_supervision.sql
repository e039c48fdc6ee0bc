-- 七天督办 and "1234" 民生监督 (issue 15, decision 033). A supervision order is on a case, a
-- resolution's task, a co-build commitment or a livelihood project; its answering unit (a
-- department, or an area's office) and place are derived from the item when it is issued, and
-- its clock points (warn, due, notice, suggestion) are computed then from the city's settings
-- and the official calendar. `stage` is the last stage the job recorded; `next_at` when the job
-- should look again (NULL once the clock stops). Every write is also a `record_events` row on
-- the log in the same transaction.

CREATE TABLE supervision_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    subject_kind TEXT NOT NULL,
    subject_id INTEGER NOT NULL,
    subject_label TEXT NOT NULL,
    place_code TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    demand TEXT NOT NULL,
    working INTEGER NOT NULL,
    days INTEGER NOT NULL,
    issued_at INTEGER NOT NULL,
    warn_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    notice_at INTEGER NOT NULL,
    suggest_at INTEGER NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    next_at INTEGER,
    acknowledged_at INTEGER,
    answered_at INTEGER,
    closed_at INTEGER,
    issued_by_id INTEGER,
    issued_by_name TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_orders_place ON supervision_orders(place_code);
CREATE INDEX supervision_orders_unit ON supervision_orders(unit_kind, unit_code);
CREATE INDEX supervision_orders_next ON supervision_orders(next_at);
CREATE INDEX supervision_orders_subject ON supervision_orders(subject_kind, subject_id);

-- The order's history: issued, the clock's transitions, replies, the issuer's acceptance or
-- return. `note` is what was typed (empty for the clock's own entries).
CREATE TABLE supervision_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL REFERENCES supervision_orders(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX supervision_history_order ON supervision_history(order_id);

-- 建议问责: flagged for the supervisor when an order's clock reaches the suggestion. Open until
-- a misconduct report is made of it (`report_id`) or it is dismissed.
CREATE TABLE accountability_suggestions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id INTEGER NOT NULL UNIQUE REFERENCES supervision_orders(id),
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    place_code TEXT NOT NULL,
    evidence TEXT NOT NULL,
    since INTEGER NOT NULL,
    report_id INTEGER,
    closed_at INTEGER
);

CREATE TABLE livelihood_responsibilities (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    area_code TEXT NOT NULL,
    department_code TEXT,
    post TEXT NOT NULL,
    policy_area TEXT NOT NULL,
    duties TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX livelihood_responsibilities_area ON livelihood_responsibilities(area_code);

-- Amounts in fen.
CREATE TABLE livelihood_projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    area_code TEXT NOT NULL,
    department_code TEXT,
    budget_fen INTEGER NOT NULL,
    allocated_fen INTEGER NOT NULL,
    disbursed_fen INTEGER NOT NULL,
    beneficiaries INTEGER NOT NULL,
    progress INTEGER NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX livelihood_projects_area ON livelihood_projects(area_code);

CREATE TABLE livelihood_progress (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES livelihood_projects(id),
    on_date TEXT NOT NULL,
    progress INTEGER NOT NULL,
    disbursed_fen INTEGER NOT NULL,
    note TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX livelihood_progress_project ON livelihood_progress(project_id);

CREATE TABLE livelihood_inspections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES livelihood_projects(id),
    on_date TEXT NOT NULL,
    by_post TEXT NOT NULL,
    findings TEXT NOT NULL,
    rectification TEXT NOT NULL,
    order_id INTEGER REFERENCES supervision_orders(id),
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX livelihood_inspections_project ON livelihood_inspections(project_id);

CREATE TABLE livelihood_investigations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES livelihood_projects(id),
    matter TEXT NOT NULL,
    handling TEXT NOT NULL,
    result TEXT NOT NULL,
    report_ref INTEGER,
    by_name TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX livelihood_investigations_project ON livelihood_investigations(project_id);

-- A project's disclosure: the notice it was published as.
CREATE TABLE livelihood_disclosures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id INTEGER NOT NULL REFERENCES livelihood_projects(id),
    notice_id INTEGER NOT NULL REFERENCES notices(id),
    kind TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX livelihood_disclosures_project ON livelihood_disclosures(project_id);
