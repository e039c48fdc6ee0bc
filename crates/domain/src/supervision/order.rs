//! The order as issued: what is supervised, who answers, what is demanded — and its life:
//! open (acknowledged, progress reported) → answered (办结, awaiting the issuer) → closed, or
//! sent back to open.

use super::SupervisionError;
use crate::access::Target;
use crate::codes::AreaCode;
use crate::labelled_enum;

pub const MAX_DEMAND: usize = 1_000;
pub const MAX_NOTE: usize = 2_000;

labelled_enum! {
    /// What a supervision order is on.
    pub enum SupervisedKind {
        Case = ("case", "案件", "Case"),
        /// A deliberation resolution's item of kind task (决议任务).
        Task = ("task", "决议任务", "Resolution task"),
        Commitment = ("commitment", "共建承诺", "Co-build commitment"),
        Project = ("project", "民生项目", "Livelihood project"),
    }
}

impl SupervisedKind {
    pub fn parse_or(s: &str) -> Result<SupervisedKind, SupervisionError> {
        SupervisedKind::parse(s)
            .ok_or_else(|| SupervisionError::UnknownKind(s.trim().chars().take(20).collect()))
    }
}

/// The unit that answers an order: the department the item is with, or the area (a street's
/// or a community's office) where no department holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unit {
    Department(String),
    Area(AreaCode),
}

impl Unit {
    /// From the item: its department when it has one, else its place.
    pub fn of_item(department: Option<&str>, place: AreaCode) -> Unit {
        match department.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => Unit::Department(d.to_string()),
            None => Unit::Area(place),
        }
    }

    /// What `AnswerSupervision` is asked of.
    pub fn target(&self) -> Target {
        match self {
            Unit::Department(d) => Target::Department(d.clone()),
            Unit::Area(a) => Target::Area(*a),
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Unit::Department(_) => "department",
            Unit::Area(_) => "area",
        }
    }

    pub fn code(&self) -> String {
        match self {
            Unit::Department(d) => d.clone(),
            Unit::Area(a) => a.to_string(),
        }
    }

    /// The stored pair back; `None` when it is neither.
    pub fn parse(kind: &str, code: &str) -> Option<Unit> {
        match kind {
            "department" => Some(Unit::Department(code.to_string())),
            "area" => AreaCode::parse(code).ok().map(Unit::Area),
            _ => None,
        }
    }
}

fn required(field: &'static str, v: &str, max: usize) -> Result<String, SupervisionError> {
    let t = v.trim();
    if t.is_empty() {
        Err(SupervisionError::Blank(field))
    } else if t.chars().count() > max {
        Err(SupervisionError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// What the issuer types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderDraft {
    pub kind: SupervisedKind,
    pub subject_id: i64,
    pub demand: String,
}

impl OrderDraft {
    pub fn checked(self) -> Result<OrderDraft, SupervisionError> {
        Ok(OrderDraft {
            demand: required("demand", &self.demand, MAX_DEMAND)?,
            ..self
        })
    }
}

labelled_enum! {
    pub enum OrderStatus {
        Open = ("open", "办理中", "Open"),
        /// The unit answered 办结; the issuer accepts or sends it back.
        Answered = ("answered", "已答复待审核", "Answered"),
        Closed = ("closed", "已办结", "Closed"),
    }
}

labelled_enum! {
    /// A unit's reply on an order.
    pub enum ReplyKind {
        Acknowledge = ("acknowledge", "签收", "Acknowledged"),
        Progress = ("progress", "进展报告", "Progress report"),
        Done = ("done", "办结", "Done"),
    }
}

impl OrderStatus {
    /// The status after the unit's reply of `kind`.
    pub fn reply(self, kind: ReplyKind) -> Result<OrderStatus, SupervisionError> {
        match (self, kind) {
            (OrderStatus::Open, ReplyKind::Done) => Ok(OrderStatus::Answered),
            (OrderStatus::Open, _) => Ok(OrderStatus::Open),
            (s, _) => Err(SupervisionError::WrongStatus {
                status: s,
                action: "answered",
            }),
        }
    }

    /// The issuer accepts the answer: closed.
    pub fn accept(self) -> Result<OrderStatus, SupervisionError> {
        match self {
            OrderStatus::Answered => Ok(OrderStatus::Closed),
            s => Err(SupervisionError::WrongStatus {
                status: s,
                action: "accepted",
            }),
        }
    }

    /// The issuer sends the answer back: open again, on the same clock.
    pub fn send_back(self) -> Result<OrderStatus, SupervisionError> {
        match self {
            OrderStatus::Answered => Ok(OrderStatus::Open),
            s => Err(SupervisionError::WrongStatus {
                status: s,
                action: "returned",
            }),
        }
    }

    /// Whether the clock runs: only while the unit owes an answer.
    pub fn clock_runs(self) -> bool {
        self == OrderStatus::Open
    }
}

/// A reply's or an issuer's note: required (`field` names it), at most `MAX_NOTE`.
pub fn reply_note(field: &'static str, note: &str) -> Result<String, SupervisionError> {
    required(field, note, MAX_NOTE)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    #[test]
    fn the_unit_is_the_items_department_or_its_place() {
        let place = AreaCode::parse("320508019044").unwrap();
        assert_eq!(
            Unit::of_item(Some("CG"), place),
            Unit::Department("CG".into())
        );
        assert_eq!(Unit::of_item(Some(" "), place), Unit::Area(place));
        let u = Unit::of_item(None, place);
        assert_eq!(Unit::parse(u.kind(), &u.code()), Some(u.clone()));
        assert_eq!(u.target(), Target::Area(place));
    }

    #[test]
    fn an_order_is_answered_then_accepted_or_sent_back() {
        let s = OrderStatus::Open.reply(ReplyKind::Acknowledge).unwrap();
        assert_eq!(s, OrderStatus::Open);
        let a = s.reply(ReplyKind::Done).unwrap();
        assert_eq!(a, OrderStatus::Answered);
        assert!(!a.clock_runs());
        assert!(a.reply(ReplyKind::Progress).is_err());
        assert_eq!(a.send_back().unwrap(), OrderStatus::Open);
        assert_eq!(a.accept().unwrap(), OrderStatus::Closed);
        assert!(OrderStatus::Open.accept().is_err());
        let e = OrderStatus::Closed.reply(ReplyKind::Done).unwrap_err();
        assert!(e.message_zh().contains("已办结"));
        let d = OrderDraft {
            kind: SupervisedKind::Case,
            subject_id: 1,
            demand: "  ".into(),
        };
        assert_eq!(d.checked(), Err(SupervisionError::Blank("demand")));
        assert_eq!(
            SupervisedKind::parse_or("x")
                .unwrap_err()
                .field()
                .as_deref(),
            Some("kind")
        );
    }
}
