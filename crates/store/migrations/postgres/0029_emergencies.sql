-- 应急 (issue 16 item 4, decision 038). An emergency is an emergency case (`case_id`) or a
-- drill (演练, `drill` = 1, no case: drills stay out of the case tables, dashboards and rates).
-- Its place and department are copied at the start; `stage` is the level responsible now,
-- since `stage_at`; `next_at` when the job escalates it unless that level acknowledges (NULL
-- once escalation stops). Alerts, acknowledgements and check-ins are kept per level with their
-- instants for the live board and the drill's summary.

CREATE TABLE emergencies (
    id BIGSERIAL PRIMARY KEY,
    case_id BIGINT UNIQUE,
    drill BIGINT NOT NULL,
    title TEXT NOT NULL,
    community_code TEXT,
    grid_code TEXT,
    department_code TEXT,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    reported_at BIGINT NOT NULL,
    stage TEXT NOT NULL,
    stage_at BIGINT NOT NULL,
    next_at BIGINT,
    closed_at BIGINT,
    started_by TEXT NOT NULL
);
CREATE INDEX emergencies_next ON emergencies(next_at);
CREATE INDEX emergencies_community ON emergencies(community_code);

-- Every alert: the first one to every level at once (`alert`), then each escalation.
CREATE TABLE emergency_alerts (
    id BIGSERIAL PRIMARY KEY,
    emergency_id BIGINT NOT NULL REFERENCES emergencies(id),
    tier TEXT NOT NULL,
    recipient TEXT NOT NULL,
    kind TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX emergency_alerts_emergency ON emergency_alerts(emergency_id);

-- 签收 (`ack`, one per level) and 到场报到 (`check_in`, with the phone's position).
CREATE TABLE emergency_responses (
    id BIGSERIAL PRIMARY KEY,
    emergency_id BIGINT NOT NULL REFERENCES emergencies(id),
    kind TEXT NOT NULL,
    tier TEXT,
    account_id BIGINT,
    name TEXT NOT NULL,
    lon DOUBLE PRECISION,
    lat DOUBLE PRECISION,
    at BIGINT NOT NULL
);
CREATE INDEX emergency_responses_emergency ON emergency_responses(emergency_id);

-- The city's escalation minutes per level (one row; absent: the defaults).
CREATE TABLE emergency_settings (
    id BIGINT PRIMARY KEY,
    minutes TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- One acknowledgement per level.
CREATE UNIQUE INDEX emergency_acks_once ON emergency_responses(emergency_id, tier) WHERE kind = 'ack';
