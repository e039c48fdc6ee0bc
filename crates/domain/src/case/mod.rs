//! The closed loop (数字城管 seven steps, 接诉即办, 六级闭环) as a state machine.
//!
//! ```text
//!  report ─▶ Reported ─register─▶ Registered ─dispatch─▶ Dispatched ─start─▶ InProgress
//!              │  │                 │  ▲  │                │   ▲                 │
//!              │  └─cancel/merge────┤  │  └─defer⇄resume─▶ Deferred ◀──defer───┤
//!              ▼                    ▼  └──────return (回退)─┴───────────────────┤
//!        Cancelled / Merged  Cancelled / Merged                                 │
//!                                       report_back (from Dispatched or InProgress)
//!                                                                               ▼
//!   Rated ◀─rate─ Closed ◀─close─ Verified ◀─verify(pass)─ ReportedBack ─verify(fail: 返工)─▶ InProgress
//!     │
//!     └─request_reopen + decide_reopen(approve) (重办, once, after 不满意) ─▶ Dispatched
//! ```
//!
//! A dispatched or started case may be redirected (改派) by its dispatcher to another
//! department: back to Dispatched with the new handler's clock started afresh.
//!
//! Side paths that keep the state: extension requests and decisions (延期, move the
//! deadline), escalation (升级, moves the level), support (a resident following the case),
//! the deadline job's warning and overdue marks, and 吹哨报到 (see [`Whistle`]): a street
//! summons departments, which check in and stay until their part is done — a case with a
//! summoned part open is not verified, closed, cancelled or merged.
//!
//! [`decide`] is the only producer of [`Event`]s and [`apply`] the only way to change a
//! [`Case`]; the store persists the events and the folded case, checking `version` itself.
//! A merged case's supporters are not moved here: `decide` sees one case, so the store
//! issues `Support` on the surviving case when it records a merge.

mod actor;
mod apply;
mod available;
pub mod categories;
mod channel;
mod clock;
mod command;
mod config;
mod deadline;
mod decide;
mod dispatch_rules;
mod duplicates;
mod event;
mod intake;
mod level;
mod model;
mod notice;
mod rating;
mod refusal;
mod state;
#[cfg(test)]
mod tests;
mod ticket;
mod whistle;
mod whistle_rules;

pub use actor::{
    Actor, case_target, handler_target, may_attach_evidence, may_reveal_reporter_phone,
    may_see_reporter_phone, may_view,
};
pub use apply::apply;
pub use available::{WAITING_STATES, available_commands, waiting_steps};
pub use channel::Channel;
pub use clock::{
    basis_of, due_clock_command, next_clock_point, time_left, warning_at, warning_due,
};
pub use command::{Command, CommandKind};
pub use config::LoopConfig;
pub use deadline::{DeadlineClass, DeadlineRules};
pub use decide::{decide, report};
pub use dispatch_rules::{DispatchRule, suggest_department};
pub use duplicates::{DuplicateRule, distance_m};
pub use event::{CodeNames, Event, NoNames};
pub use intake::{AutoDispatch, intake};
pub use level::{EscalationChain, EscalationError, Level};
pub use model::{Case, CaseCounters, Deferral, ExtensionRequest, NewCase};
pub use notice::{Notification, NotificationKind, Recipient, locality, notices};
pub use rating::{Rating, Satisfaction};
pub use refusal::{BadInput, Condition, Refusal, RefusalKind, WhoFault};
pub use state::CaseState;
pub use ticket::{
    LOOKUP_ALPHABET, LOOKUP_CODE_BYTES, LOOKUP_CODE_LEN, lookup_code_from_bytes,
    normalize_lookup_code, parse_ticket, ticket,
};
pub use whistle::{
    Acknowledgement, Arrival, CheckIn, GeoPoint, PartDone, PartState, Summons, Whistle,
    WhistleConfig, WhistleScores, label as department_label,
};
