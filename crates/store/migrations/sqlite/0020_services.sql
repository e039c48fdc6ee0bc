-- 一有七中心: each community's seven service centres with their staff, opening hours and place
-- on the map; the lead departments' assessment items; household tags and the link of a
-- resident's account to its resident; the menu of services (报菜) with eligibility, weekdays,
-- slots and places per slot; service orders (点菜) with their fulfilment (配菜) and rating; and
-- the providers (社区社会组织, 志愿者) with their confirmed service hours. Every create or change
-- is also a `record_events` row on the log, written in the same transaction.

-- The city's settings of the centres (key `centres`: the lead department of each kind, JSON);
-- absent, the shipped default.
CREATE TABLE service_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE service_centres (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    community_code TEXT NOT NULL REFERENCES areas(code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    lead_department TEXT NOT NULL REFERENCES departments(code),
    address TEXT NOT NULL,
    lon REAL NOT NULL,
    lat REAL NOT NULL,
    opening_hours TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX service_centres_kind ON service_centres(community_code, kind);
CREATE INDEX service_centres_lead ON service_centres(lead_department);

-- A centre's staff: name and phone (shown to staff only), optionally the account they use.
CREATE TABLE centre_staff (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id INTEGER NOT NULL REFERENCES service_centres(id),
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    account_id INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX centre_staff_centre ON centre_staff(centre_id);

-- 考核项目: what a lead department assesses its kind of centre on.
CREATE TABLE centre_assessment_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_department TEXT NOT NULL REFERENCES departments(code),
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    points INTEGER NOT NULL,
    measure TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX centre_assessment_items_lead ON centre_assessment_items(lead_department, kind);

-- 独居老人, 困难户 …: what a household is known for.
CREATE TABLE household_tags (
    household_id INTEGER NOT NULL REFERENCES households(id),
    tag TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (household_id, tag)
);

-- A resident's account and the resident of the population base it is.
CREATE TABLE resident_accounts (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    created_at INTEGER NOT NULL
);

-- 报菜: a service on a centre's menu. `tags` is a JSON list of household tags (any of);
-- `weekdays` a JSON list of 1–7 (Monday first); `slots` a JSON list of HH:MM-HH:MM.
CREATE TABLE service_menu_items (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id INTEGER NOT NULL REFERENCES service_centres(id),
    community_code TEXT NOT NULL,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    min_age INTEGER,
    max_age INTEGER,
    tags TEXT NOT NULL,
    weekdays TEXT NOT NULL,
    slots TEXT NOT NULL,
    capacity INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    -- Touched by every order written for the item: on PostgreSQL the update locks the row, so
    -- two orders for one slot are counted one after the other and never overfill it.
    orders_changed_at INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX service_menu_items_centre ON service_menu_items(centre_id);
CREATE INDEX service_menu_items_community ON service_menu_items(community_code);

-- 社区社会组织 and 志愿者: who helps a centre, with what, and their confirmed hours.
CREATE TABLE service_providers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    centre_id INTEGER NOT NULL REFERENCES service_centres(id),
    community_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    offer TEXT NOT NULL,
    confirmed_minutes INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX service_providers_centre ON service_providers(centre_id);

-- Service hours of a provider, confirmed by centre staff.
CREATE TABLE provider_hours (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    provider_id INTEGER NOT NULL REFERENCES service_providers(id),
    served_on TEXT NOT NULL,
    minutes INTEGER NOT NULL,
    note TEXT NOT NULL,
    confirmed_by INTEGER REFERENCES accounts(id),
    created_at INTEGER NOT NULL
);
CREATE INDEX provider_hours_provider ON provider_hours(provider_id);

-- 点菜 / 配菜: an order for a menu item on a day and slot, for a resident of the population
-- base. State waiting | placed | assigned | completed | cancelled; the waiting list is in id
-- order. An anonymous order keeps the keyed digest of its lookup code.
CREATE TABLE service_orders (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id INTEGER NOT NULL REFERENCES service_menu_items(id),
    centre_id INTEGER NOT NULL REFERENCES service_centres(id),
    community_code TEXT NOT NULL,
    lead_department TEXT NOT NULL,
    resident_id INTEGER NOT NULL REFERENCES residents(id),
    household_id INTEGER NOT NULL REFERENCES households(id),
    service_date TEXT NOT NULL,
    slot TEXT NOT NULL,
    state TEXT NOT NULL,
    channel TEXT NOT NULL,
    placed_by INTEGER REFERENCES accounts(id),
    lookup_hash BLOB UNIQUE,
    assignee_name TEXT,
    provider_id INTEGER REFERENCES service_providers(id),
    scheduled_at TEXT,
    completed_at INTEGER,
    -- The day it was completed (China time): on time when on or before service_date.
    completed_on TEXT,
    notes TEXT,
    photo_path TEXT,
    photo_mime TEXT,
    photo_sha256 TEXT,
    rating TEXT,
    rated_at INTEGER,
    cancelled_at INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX service_orders_slot ON service_orders(item_id, service_date, slot, state);
CREATE INDEX service_orders_centre ON service_orders(centre_id, state);
CREATE INDEX service_orders_community ON service_orders(community_code);
CREATE INDEX service_orders_resident ON service_orders(resident_id);
CREATE INDEX service_orders_placed_by ON service_orders(placed_by);
