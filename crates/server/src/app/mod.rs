//! The application layer: every intake and every case command, each in one transaction through
//! the store — the case, its events and log entries, the tallies, and the notices and webhook
//! deliveries they cause. No HTTP here: the web form, the JSON API, Open311, the hotline import
//! and the jobs call these functions and translate their typed results.

mod calendar;
mod codes;
mod command;
mod error;
mod geocode;
mod intake;
mod misconduct;
mod notices;
mod whistle;

pub use calendar::{CalendarLoaded, load_calendar};
pub use codes::{department, reportable};
pub use command::{command, command_with_evidence};
pub use error::AppError;
pub use geocode::{locate, locate_address};
pub use intake::{Filed, Prepared, Report, Routing, intake, intake_acting, prepare};
pub use misconduct::{FiledMisconduct, file_from_suggestion, file_misconduct_report};
pub use whistle::config_for;
