-- 诊断 (issue 16 item 3, decision 037). A run reads the window's cases, the baseline counts
-- and the department moves, and the domain decides the findings; the run replaces the open
-- findings with its own in one transaction (findings acted on stay, and their key is not
-- raised again for 30 days). `evidence` is the domain's evidence as JSON; `case_ids` the
-- cases behind the finding (a JSON array, at most 500; `case_count` all of them). Acting on a
-- finding (a supervision order, a case assigned from above) marks it in the transaction that
-- opens the order or the case. Every run and every act is also a `record_events` row.

CREATE TABLE diagnosis_runs (
    id BIGSERIAL PRIMARY KEY,
    started_at BIGINT NOT NULL,
    finished_at BIGINT NOT NULL,
    cases_from BIGINT NOT NULL,
    cases_read BIGINT NOT NULL,
    baseline_cells BIGINT NOT NULL,
    moves_read BIGINT NOT NULL,
    findings BIGINT NOT NULL,
    settings TEXT NOT NULL,
    by_name TEXT NOT NULL
);

CREATE TABLE diagnosis_findings (
    id BIGSERIAL PRIMARY KEY,
    run_id BIGINT NOT NULL REFERENCES diagnosis_runs(id),
    kind TEXT NOT NULL,
    finding_key TEXT NOT NULL,
    place_code TEXT,
    grid_code TEXT,
    category_code TEXT,
    department_code TEXT,
    score DOUBLE PRECISION NOT NULL,
    evidence TEXT NOT NULL,
    case_ids TEXT NOT NULL,
    case_count BIGINT NOT NULL,
    found_at BIGINT NOT NULL,
    status TEXT NOT NULL,
    acted_kind TEXT,
    acted_ref BIGINT,
    acted_by_name TEXT,
    acted_at BIGINT,
    version BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX diagnosis_findings_kind ON diagnosis_findings(kind, status);
CREATE INDEX diagnosis_findings_place ON diagnosis_findings(place_code);
CREATE INDEX diagnosis_findings_department ON diagnosis_findings(department_code);
CREATE INDEX diagnosis_findings_key ON diagnosis_findings(finding_key);
