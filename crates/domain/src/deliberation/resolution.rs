//! 决议: what a passed motion resolves, item by item. An item is either a case filed through
//! intake (it then runs the closed loop with its deadline) or a task with an owner and a due
//! date whose progress is recorded. A resolution is complete when every item is done: its case
//! closed, its task at 100%.

use super::{DeliberationError, MotionStatus, required};
use crate::calendar::Date;
use crate::labelled_enum;

labelled_enum! {
    pub enum ItemKind {
        /// 立案办理: a case on the closed loop.
        Case = ("case", "立案办理", "Case"),
        /// 任务: work with an owner and a due date.
        Task = ("task", "任务", "Task"),
    }
}

labelled_enum! {
    /// Where an item stands, as the public results page shows it.
    pub enum ItemState {
        Done = ("done", "已办结", "Done"),
        InProgress = ("in_progress", "办理中", "In progress"),
        Overdue = ("overdue", "已逾期", "Overdue"),
    }
}

pub const MAX_ITEM: usize = 500;
pub const MAX_OWNER: usize = 60;

/// A resolution as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolutionDraft {
    pub title: String,
}

impl ResolutionDraft {
    /// Only a passed motion resolves anything.
    pub fn checked(self, motion: MotionStatus) -> Result<ResolutionDraft, DeliberationError> {
        if motion != MotionStatus::Passed {
            return Err(DeliberationError::MotionNotPassed(motion));
        }
        Ok(ResolutionDraft {
            title: required("title", &self.title, super::MAX_TITLE * 2)?,
        })
    }
}

/// An item as entered: a case's category (checked by intake) or a task's owner and due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemDraft {
    pub kind: ItemKind,
    pub description: String,
    pub owner: String,
    pub due_on: Option<Date>,
}

impl ItemDraft {
    pub fn checked(self, today: Date) -> Result<ItemDraft, DeliberationError> {
        let description = required("description", &self.description, MAX_ITEM)?;
        match self.kind {
            ItemKind::Case => Ok(ItemDraft {
                description,
                owner: String::new(),
                due_on: None,
                ..self
            }),
            ItemKind::Task => {
                let owner = required("owner", &self.owner, MAX_OWNER)?;
                let due = self.due_on.ok_or(DeliberationError::Blank("due_on"))?;
                if due < today {
                    return Err(DeliberationError::DueInThePast);
                }
                Ok(ItemDraft {
                    description,
                    owner,
                    due_on: Some(due),
                    ..self
                })
            }
        }
    }
}

/// A task's progress, 0–100, never going back.
pub fn check_progress(before: u32, now: u32) -> Result<u32, DeliberationError> {
    if now > 100 {
        return Err(DeliberationError::Progress(now));
    }
    if now < before {
        return Err(DeliberationError::ProgressBack { before, now });
    }
    Ok(now)
}

/// The state of an item on `today`: a case by its own state (closed, or past its deadline),
/// a task by its progress and due date.
pub fn item_state(
    kind: ItemKind,
    case_closed: bool,
    case_overdue: bool,
    progress: u32,
    due_on: Option<Date>,
    today: Date,
) -> ItemState {
    let (done, overdue) = match kind {
        ItemKind::Case => (case_closed, case_overdue),
        ItemKind::Task => (progress >= 100, due_on.is_some_and(|d| d < today)),
    };
    if done {
        ItemState::Done
    } else if overdue {
        ItemState::Overdue
    } else {
        ItemState::InProgress
    }
}

/// Complete when it has items and every one is done.
pub fn resolution_complete(states: &[ItemState]) -> bool {
    !states.is_empty() && states.iter().all(|s| *s == ItemState::Done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u8) -> Date {
        Date::new(2026, 11, d).unwrap()
    }

    #[test]
    fn only_a_passed_motion_resolves() {
        let d = ResolutionDraft {
            title: "安装非机动车充电桩".into(),
        };
        assert_eq!(
            d.clone().checked(MotionStatus::Failed),
            Err(DeliberationError::MotionNotPassed(MotionStatus::Failed))
        );
        assert!(d.checked(MotionStatus::Passed).is_ok());
    }

    #[test]
    fn a_task_has_an_owner_and_a_due_date_ahead() {
        let t = ItemDraft {
            kind: ItemKind::Task,
            description: "物业公司报价".into(),
            owner: "".into(),
            due_on: Some(day(20)),
        };
        assert_eq!(
            t.clone().checked(day(10)),
            Err(DeliberationError::Blank("owner"))
        );
        let late = ItemDraft {
            owner: "物业公司".into(),
            due_on: Some(day(5)),
            ..t.clone()
        };
        assert_eq!(late.checked(day(10)), Err(DeliberationError::DueInThePast));
        let case = ItemDraft {
            kind: ItemKind::Case,
            owner: "ignored".into(),
            ..t
        };
        assert_eq!(case.checked(day(10)).unwrap().owner, "");
        assert_eq!(
            check_progress(40, 30),
            Err(DeliberationError::ProgressBack {
                before: 40,
                now: 30
            })
        );
        assert_eq!(
            check_progress(40, 101),
            Err(DeliberationError::Progress(101))
        );
    }

    #[test]
    fn complete_when_every_item_is_done() {
        let case_open = item_state(ItemKind::Case, false, false, 0, None, day(10));
        let case_late = item_state(ItemKind::Case, false, true, 0, None, day(10));
        let task_done = item_state(ItemKind::Task, false, false, 100, Some(day(1)), day(10));
        let task_late = item_state(ItemKind::Task, false, false, 50, Some(day(9)), day(10));
        assert_eq!(
            [case_open, case_late, task_done, task_late],
            [
                ItemState::InProgress,
                ItemState::Overdue,
                ItemState::Done,
                ItemState::Overdue
            ]
        );
        assert!(!resolution_complete(&[ItemState::Done, case_open]));
        assert!(resolution_complete(&[ItemState::Done]));
        assert!(!resolution_complete(&[]));
    }
}
