-- 契约化共建 and 公示栏 (issue 14, decisions 028 and 029). A contract binds a department and a
-- community for a period; its commitments have due dates, delivery records (with an optional
-- photo kept under the data dir by content hash) and the community's rating. Overdue is computed
-- from these dates on every read. A notice is a draft, published (each change a new version,
-- the earlier texts kept) or withdrawn with a reason; attachments are kept like photos. Every
-- create or change is also a `record_events` row on the log, written in the same transaction.

CREATE TABLE cobuild_contracts (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    department_code TEXT NOT NULL REFERENCES departments(code),
    community_code TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    signed_on TEXT NOT NULL,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_contracts_department ON cobuild_contracts(department_code);
CREATE INDEX cobuild_contracts_community ON cobuild_contracts(community_code);

-- 承诺事项. `delivered_on` is the day of the delivery record that completed it.
CREATE TABLE cobuild_commitments (
    id BIGSERIAL PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES cobuild_contracts(id),
    title TEXT NOT NULL,
    deliverable TEXT NOT NULL,
    due_on TEXT NOT NULL,
    delivered_on TEXT,
    rating TEXT,
    rating_note TEXT NOT NULL DEFAULT '',
    rated_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_commitments_contract ON cobuild_commitments(contract_id);
CREATE INDEX cobuild_commitments_due ON cobuild_commitments(due_on);

-- 履约记录: what the department delivered, with its evidence.
CREATE TABLE cobuild_deliveries (
    id BIGSERIAL PRIMARY KEY,
    commitment_id BIGINT NOT NULL REFERENCES cobuild_commitments(id),
    delivered_on TEXT NOT NULL,
    notes TEXT NOT NULL,
    completes BIGINT NOT NULL,
    photo_path TEXT,
    photo_mime TEXT,
    photo_sha256 TEXT,
    entered_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX cobuild_deliveries_commitment ON cobuild_deliveries(commitment_id);

-- 公示. `audience_prefix` is the audience area's code prefix: a community is in the audience
-- when its code starts with it. `version` counts published texts (0 for a draft never published).
CREATE TABLE notices (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    audience_code TEXT NOT NULL,
    audience_prefix TEXT NOT NULL,
    department_code TEXT,
    subject_text TEXT NOT NULL DEFAULT '',
    subject_url TEXT NOT NULL DEFAULT '',
    state TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 0,
    published_at BIGINT,
    changed_at BIGINT,
    withdrawn_at BIGINT,
    withdraw_reason TEXT,
    created_by_id BIGINT,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notices_audience ON notices(audience_prefix);
CREATE INDEX notices_state ON notices(state, ends_on);

-- Every published text of a notice, the current one included.
CREATE TABLE notice_versions (
    id BIGSERIAL PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    version BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE UNIQUE INDEX notice_versions_version ON notice_versions(notice_id, version);

CREATE TABLE notice_attachments (
    id BIGSERIAL PRIMARY KEY,
    notice_id BIGINT NOT NULL REFERENCES notices(id),
    name TEXT NOT NULL,
    path TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX notice_attachments_notice ON notice_attachments(notice_id);
