-- Issue 13 items 8 and 9: party member assessment (五星量化考核, 十二分制) and the community
-- cadre roster (社区干部名册). Decision 024.

-- Assessment rule sets, one row per saved version; the newest row of a kind is in force and
-- every rating or deduction names the version it was decided under. The shipped defaults are
-- version 1 of each kind (`StarRules::shipped`, `PointsRules::shipped`).
CREATE TABLE assessment_rules (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL,
    rules TEXT NOT NULL,
    created_by BIGINT,
    created_by_name TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX assessment_rules_kind ON assessment_rules(kind, id);
INSERT INTO assessment_rules (kind, rules, created_by, created_by_name, created_at) VALUES ('stars', '{"dimensions":[{"code":"study","zh":"政治学习","en":"Political study","weight":20,"max":10},{"code":"org_life","zh":"组织生活","en":"Organisational life","weight":20,"max":10},{"code":"service","zh":"联系服务群众","en":"Serving residents","weight":25,"max":10},{"code":"vanguard","zh":"岗位履职","en":"Vanguard role","weight":20,"max":10},{"code":"discipline","zh":"遵规守纪","en":"Discipline","weight":15,"max":10}],"thresholds":[60,70,80,90],"alert_at_or_below":2}', NULL, '系统默认', 0);
INSERT INTO assessment_rules (kind, rules, created_by, created_by_name, created_at) VALUES ('points', '{"budget":12,"alert_at_or_below":6,"items":[{"code":"missed_meeting","zh":"无故不参加组织生活","en":"Missed party meetings without reason","points":2},{"code":"late_dues","zh":"未按时足额交纳党费","en":"Dues not paid in full on time","points":2},{"code":"missed_study","zh":"未完成学习教育任务","en":"Study tasks not done","points":1},{"code":"link_duty","zh":"未履行联户走访职责","en":"Linked households not visited","points":2},{"code":"no_service","zh":"未到社区报到或参加志愿服务","en":"No community check-in or volunteering","points":1},{"code":"public_morality","zh":"违反社会公德、家庭美德","en":"Breach of public or family ethics","points":3},{"code":"gambling","zh":"参与赌博、封建迷信活动","en":"Gambling or superstition","points":6},{"code":"discipline_warning","zh":"受到党内警告处分","en":"Party warning","points":6},{"code":"serious_violation","zh":"受到严重警告以上处分或违法犯罪","en":"Serious party sanction or crime","points":12}]}', NULL, '系统默认', 0);

-- 五星量化考核: one rating per member and year (a re-rating replaces it; both are on the log).
-- `scores` is a JSON object dimension code → score; `total` in hundredths of a point.
CREATE TABLE star_ratings (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES party_members(id),
    year BIGINT NOT NULL,
    rules_id BIGINT NOT NULL REFERENCES assessment_rules(id),
    scores TEXT NOT NULL,
    total BIGINT NOT NULL,
    stars BIGINT NOT NULL,
    note TEXT NOT NULL,
    assessed_by BIGINT,
    assessed_by_name TEXT NOT NULL,
    assessed_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX star_ratings_member_year ON star_ratings(member_id, year);

-- 十二分制: the points deducted from each member's year so far. A deduction moves `deducted`
-- from the value it read to the new one (optimistic: two deductions at once cannot both spend
-- the last points).
CREATE TABLE points_years (
    member_id BIGINT NOT NULL REFERENCES party_members(id),
    year BIGINT NOT NULL,
    deducted BIGINT NOT NULL,
    PRIMARY KEY (member_id, year)
);

-- Each deduction with its catalogue item (code and name as decided), reason and evidence; a
-- revoked deduction stays, marked, and gives its points back.
CREATE TABLE points_deductions (
    id BIGSERIAL PRIMARY KEY,
    member_id BIGINT NOT NULL REFERENCES party_members(id),
    year BIGINT NOT NULL,
    rules_id BIGINT NOT NULL REFERENCES assessment_rules(id),
    item_code TEXT NOT NULL,
    item_name TEXT NOT NULL,
    points BIGINT NOT NULL,
    reason TEXT NOT NULL,
    note TEXT NOT NULL,
    occurred_on TEXT NOT NULL,
    recorded_by BIGINT,
    recorded_by_name TEXT NOT NULL,
    recorded_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by BIGINT,
    revoked_by_name TEXT,
    revoke_reason TEXT
);
CREATE INDEX points_deductions_member_year ON points_deductions(member_id, year);

-- Photos backing a deduction, stored under the data dir like a case's.
CREATE TABLE points_evidence (
    id BIGSERIAL PRIMARY KEY,
    deduction_id BIGINT NOT NULL REFERENCES points_deductions(id),
    path TEXT NOT NULL,
    mime TEXT NOT NULL,
    size BIGINT NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE INDEX points_evidence_deduction ON points_evidence(deduction_id);

-- 社区干部名册: a community's cadres. One person per community is one row (name and birth
-- date); a re-import updates it. `left_on` is the first day no longer in post.
CREATE TABLE cadre_roster (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    gender TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    education TEXT NOT NULL,
    post TEXT NOT NULL,
    community_code TEXT NOT NULL REFERENCES areas(code),
    start_date TEXT NOT NULL,
    left_on TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX cadre_roster_person ON cadre_roster(community_code, name, birth_date);
