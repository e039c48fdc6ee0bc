-- 吹哨报到 (issue 4). A whistle's facts are case events and its state lives in the case's
-- state_json; these tables project it for the boards, the check-in clock and the scorecards,
-- rewritten in the same transaction as every case change that touches a whistle.
CREATE TABLE whistles (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    whistle_no INTEGER NOT NULL,
    street_code TEXT,
    community_code TEXT,
    urgent INTEGER NOT NULL,
    blown_at INTEGER NOT NULL,
    is_open INTEGER NOT NULL,
    PRIMARY KEY (case_id, whistle_no)
);
CREATE INDEX whistles_street ON whistles(street_code, is_open);
CREATE INDEX whistles_community ON whistles(community_code);
CREATE INDEX whistles_blown ON whistles(blown_at);

CREATE TABLE whistle_parts (
    case_id INTEGER NOT NULL REFERENCES cases(id),
    whistle_no INTEGER NOT NULL,
    department_code TEXT NOT NULL,
    state TEXT NOT NULL,
    is_open INTEGER NOT NULL,
    late INTEGER NOT NULL,
    summoned_at INTEGER NOT NULL,
    deadline INTEGER NOT NULL,
    clock_at INTEGER,
    PRIMARY KEY (case_id, whistle_no, department_code)
);
CREATE INDEX whistle_parts_department ON whistle_parts(department_code, is_open);
CREATE INDEX whistle_parts_clock ON whistle_parts(clock_at);
CREATE INDEX whistle_parts_summoned ON whistle_parts(summoned_at);

-- Communities (or whole streets) whose staff the street lets blow the whistle.
CREATE TABLE whistle_grants (
    area_code TEXT PRIMARY KEY,
    granted_by INTEGER,
    granted_at INTEGER NOT NULL
);

-- 干部下沉: cadres sent down to a street or community.
CREATE TABLE secondments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    person TEXT NOT NULL,
    home_department TEXT NOT NULL,
    host_area TEXT NOT NULL,
    kind TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT,
    duty TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX secondments_host ON secondments(host_area);
CREATE INDEX secondments_department ON secondments(home_department);

-- 在职党员到社区报到: registrations, and the tasks taken with their confirmed hours.
CREATE TABLE community_checkins (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    member TEXT NOT NULL,
    work_unit TEXT NOT NULL,
    department_code TEXT,
    community_code TEXT NOT NULL,
    registered_on TEXT NOT NULL,
    created_by INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX community_checkins_community ON community_checkins(community_code);
CREATE INDEX community_checkins_department ON community_checkins(department_code);

CREATE TABLE community_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    checkin_id INTEGER NOT NULL REFERENCES community_checkins(id),
    title TEXT NOT NULL,
    taken_on TEXT NOT NULL,
    state TEXT NOT NULL,
    minutes INTEGER,
    completed_at INTEGER,
    confirmed_by INTEGER,
    confirmed_at INTEGER
);
CREATE INDEX community_services_checkin ON community_services(checkin_id);
