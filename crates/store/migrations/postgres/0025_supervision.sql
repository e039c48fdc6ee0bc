-- 七天督办 and "1234" 民生监督 (issue 15, decision 033). A supervision order is on a case, a
-- resolution's task, a co-build commitment or a livelihood project; its answering unit (a
-- department, or an area's office) and place are derived from the item when it is issued, and
-- its clock points (warn, due, notice, suggestion) are computed then from the city's settings
-- and the official calendar. `stage` is the last stage the job recorded; `next_at` when the job
-- should look again (NULL once the clock stops). Every write is also a `record_events` row on
-- the log in the same transaction.

CREATE TABLE supervision_orders (
    id BIGSERIAL PRIMARY KEY,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT NOT NULL,
    subject_label TEXT NOT NULL,
    place_code TEXT NOT NULL,
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    demand TEXT NOT NULL,
    working BIGINT NOT NULL,
    days BIGINT NOT NULL,
    issued_at BIGINT NOT NULL,
    warn_at BIGINT NOT NULL,
    due_at BIGINT NOT NULL,
    notice_at BIGINT NOT NULL,
    suggest_at BIGINT NOT NULL,
    stage TEXT NOT NULL,
    status TEXT NOT NULL,
    next_at BIGINT,
    acknowledged_at BIGINT,
    answered_at BIGINT,
    closed_at BIGINT,
    issued_by_id BIGINT,
    issued_by_name TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX supervision_orders_place ON supervision_orders(place_code);
CREATE INDEX supervision_orders_unit ON supervision_orders(unit_kind, unit_code);
CREATE INDEX supervision_orders_next ON supervision_orders(next_at);
CREATE INDEX supervision_orders_subject ON supervision_orders(subject_kind, subject_id);

-- The order's history: issued, the clock's transitions, replies, the issuer's acceptance or
-- return. `note` is what was typed (empty for the clock's own entries).
CREATE TABLE supervision_history (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL REFERENCES supervision_orders(id),
    kind TEXT NOT NULL,
    note TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX supervision_history_order ON supervision_history(order_id);

-- 建议问责: flagged for the supervisor when an order's clock reaches the suggestion. Open until
-- a misconduct report is made of it (`report_id`) or it is dismissed.
CREATE TABLE accountability_suggestions (
    id BIGSERIAL PRIMARY KEY,
    order_id BIGINT NOT NULL UNIQUE REFERENCES supervision_orders(id),
    unit_kind TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    place_code TEXT NOT NULL,
    evidence TEXT NOT NULL,
    since BIGINT NOT NULL,
    report_id BIGINT,
    closed_at BIGINT
);

CREATE TABLE livelihood_responsibilities (
    id BIGSERIAL PRIMARY KEY,
    area_code TEXT NOT NULL,
    department_code TEXT,
    post TEXT NOT NULL,
    policy_area TEXT NOT NULL,
    duties TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX livelihood_responsibilities_area ON livelihood_responsibilities(area_code);

-- Amounts in fen.
CREATE TABLE livelihood_projects (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    area_code TEXT NOT NULL,
    department_code TEXT,
    budget_fen BIGINT NOT NULL,
    allocated_fen BIGINT NOT NULL,
    disbursed_fen BIGINT NOT NULL,
    beneficiaries BIGINT NOT NULL,
    progress BIGINT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX livelihood_projects_area ON livelihood_projects(area_code);

CREATE TABLE livelihood_progress (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES livelihood_projects(id),
    on_date TEXT NOT NULL,
    progress BIGINT NOT NULL,
    disbursed_fen BIGINT NOT NULL,
    note TEXT NOT NULL,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX livelihood_progress_project ON livelihood_progress(project_id);

CREATE TABLE livelihood_inspections (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES livelihood_projects(id),
    on_date TEXT NOT NULL,
    by_post TEXT NOT NULL,
    findings TEXT NOT NULL,
    rectification TEXT NOT NULL,
    order_id BIGINT REFERENCES supervision_orders(id),
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX livelihood_inspections_project ON livelihood_inspections(project_id);

CREATE TABLE livelihood_investigations (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES livelihood_projects(id),
    matter TEXT NOT NULL,
    handling TEXT NOT NULL,
    result TEXT NOT NULL,
    report_ref BIGINT,
    by_name TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX livelihood_investigations_project ON livelihood_investigations(project_id);

-- A project's disclosure: the notice it was published as.
CREATE TABLE livelihood_disclosures (
    id BIGSERIAL PRIMARY KEY,
    project_id BIGINT NOT NULL REFERENCES livelihood_projects(id),
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX livelihood_disclosures_project ON livelihood_disclosures(project_id);
