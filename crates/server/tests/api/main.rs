//! The real server on a random port, on SQLite and on PostgreSQL, driven over HTTP.

mod access;
mod address_reports;
#[path = "../common/mod.rs"]
mod app;
mod assessment;
mod cadre_roster;
mod calendar;
mod case_export;
mod case_search;
mod cases;
mod deliberation;
mod dispatch;
mod evidence;
mod feedback;
mod fuzzed;
mod grid_worker;
mod imports;
mod labels;
mod ledger;
mod lists;
mod metrics;
mod one_path;
mod open311;
mod outage;
mod party;
mod party_life;
mod places;
mod red_grid;
mod redirect;
mod security;
mod security_auth;
mod security_data;
mod sessions;
mod whistles;
mod work;
