//! 一有七中心: every community's seven service centres, the menu each publishes (报菜), the
//! orders residents place (点菜) and their fulfilment (配菜), with the providers (社区社会组织,
//! 志愿者) who help. Pure rules: who may be served (age, household tags), where an order goes
//! (a place in its slot or the waiting list), which waiting order a cancellation promotes, what
//! may follow what in an order's life, and the counts and rates of a centre.

mod centres;
mod counts;
mod eligibility;
mod error;
mod orders;
mod schedule;

pub use centres::{CentreKind, CentreSettings, DEFAULT_LEAD_DEPARTMENTS, StaffDraft};
pub use counts::{OrderCounts, satisfaction_rate};
pub use eligibility::{Applicant, Eligibility, HouseholdTag, age_in};
pub use error::ServicesError;
pub use orders::{
    BOOK_AHEAD_DAYS, OrderState, Placement, admit, after_cancel, check_assign, check_cancel,
    check_complete, check_day, check_rate, is_own_order,
};
pub use schedule::{Schedule, TimeSlot, weekday_zh};

/// Longest name, notes or description a service record keeps.
pub const MAX_TEXT: usize = 500;

/// A required text field: trimmed, not blank, at most `max` characters.
pub fn required(field: &'static str, s: &str, max: usize) -> Result<String, ServicesError> {
    let t = s.trim();
    if t.is_empty() {
        return Err(ServicesError::Blank(field));
    }
    if t.chars().count() > max {
        return Err(ServicesError::TooLong(field, max));
    }
    Ok(t.to_string())
}
