//! The closed loop over HTTP: intake, commands, the deadline job, the case API and pages.
//! The domain (`gongzhi_domain::case`) decides every transition; this module translates.

pub mod api;
pub mod evidence;
pub mod export;
pub mod extras_api;
pub mod hotline;
pub(crate) mod import_table;
pub mod jobs;
pub mod live_config;
pub mod loop_settings;
pub mod metrics;
pub mod open311_port;
pub mod pages;
pub mod patrol;
pub mod photos;
pub mod print;
pub mod public_view;
pub mod reporter_phone;
pub mod rules;
pub mod search;
pub mod service;
pub mod setup;
pub mod views;
pub mod whistles;
pub mod work;
