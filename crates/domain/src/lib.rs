//! The gongzhi domain: codes, access policy, population types, the working-day calendar, the
//! closed loop of cases and its metrics, with their validation.
//!
//! Pure on purpose — no I/O, no clock, no async — so every rule here is testable in isolation
//! and the same rules apply in the server, the importer and the CLI.

pub mod access;
pub mod assessment;
pub mod cadre_roster;
pub mod cadres;
pub mod calendar;
pub mod case;
pub mod cobuild;
pub mod codes;
pub mod conduct;
pub mod deliberation;
pub mod diagnosis;
pub mod emergency;
mod error;
mod labelled;
pub mod livelihood;
pub mod metrics;
pub mod notice_board;
pub mod party;
pub mod place;
pub mod population;
pub mod power_list;
pub mod red_grid;
pub mod services;
pub mod supervision;

pub use error::Bilingual;
