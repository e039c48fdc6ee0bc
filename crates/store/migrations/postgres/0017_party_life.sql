-- 三会一课 and 五步工作法: the meetings each party organisation holds, the activities and
-- evidence of each compound's five steps, and the rules both are judged by.

CREATE TABLE party_meetings (
    id BIGSERIAL PRIMARY KEY,
    org_id BIGINT NOT NULL REFERENCES party_orgs(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    minutes TEXT NOT NULL,
    -- Members of the organisation when the meeting was recorded, and how many attended.
    expected BIGINT NOT NULL,
    attended BIGINT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX party_meetings_org ON party_meetings(org_id, held_on);

-- Who attended, when the attendance was taken by name.
CREATE TABLE party_meeting_attendees (
    meeting_id BIGINT NOT NULL REFERENCES party_meetings(id),
    member_id BIGINT NOT NULL REFERENCES party_members(id),
    PRIMARY KEY (meeting_id, member_id)
);

-- Joint meetings, services and cultural activities of a compound (steps 3–5).
CREATE TABLE compound_activities (
    id BIGSERIAL PRIMARY KEY,
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    kind TEXT NOT NULL,
    held_on TEXT NOT NULL,
    title TEXT NOT NULL,
    participants BIGINT NOT NULL,
    notes TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX compound_activities_compound ON compound_activities(compound_id, held_on);

-- Evidence uploaded for a step: a note and, optionally, a photo kept under the data directory.
CREATE TABLE five_step_evidence (
    id BIGSERIAL PRIMARY KEY,
    compound_id BIGINT NOT NULL REFERENCES compounds(id),
    step TEXT NOT NULL,
    note TEXT NOT NULL,
    photo TEXT,
    created_by BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX five_step_evidence_compound ON five_step_evidence(compound_id);

-- Rules kept by the city as JSON (cadence_rules, five_steps_rules); an absent key keeps the
-- shipped default.
CREATE TABLE party_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
