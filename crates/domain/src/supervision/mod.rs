//! 七天督办: a supervision order on a case, a deliberation resolution's task, a co-build
//! commitment or a livelihood project. The answering unit follows from the item; the clock runs
//! on its own (7 days by default, working or calendar days, configurable by the city): issued →
//! warned → overdue → supervision notice → accountability suggested. The unit acknowledges,
//! reports progress and answers 办结; the issuer accepts (closes) or sends it back.
//!
//! Pure rules: the stage is a function of the order's stored clock points and "now", so a job
//! can record the transitions without anyone acting and a test can drive them with any now.

mod clock;
mod error;
mod order;

pub use clock::{ClockPoints, ClockSettings, Stage, transitions};
pub use error::SupervisionError;
pub use order::{
    MAX_DEMAND, MAX_NOTE, OrderDraft, OrderStatus, ReplyKind, SupervisedKind, Unit, reply_note,
};
