//! An order's life (点菜 → 配菜 → 评价) and the slot rule: an order takes a place in its slot
//! while the slot has room and waits in line otherwise; a cancellation of a placed order lets
//! the first waiting order into the slot.

use super::ServicesError;
use crate::calendar::Date;
use crate::case::Satisfaction;

crate::labelled_enum! {
    /// Where a service order stands.
    pub enum OrderState {
        /// On the waiting list of a full slot.
        Waiting = ("waiting", "候补中", "Waiting list"),
        /// Holds a place in its slot, not yet assigned.
        Placed = ("placed", "已预约", "Booked"),
        /// Assigned to staff, a volunteer or a provider (配菜).
        Assigned = ("assigned", "已派单", "Assigned"),
        Completed = ("completed", "已完成", "Completed"),
        Cancelled = ("cancelled", "已取消", "Cancelled"),
    }
}

impl OrderState {
    /// Holds a place in its slot (counts against the capacity).
    pub fn holds_place(self) -> bool {
        matches!(
            self,
            OrderState::Placed | OrderState::Assigned | OrderState::Completed
        )
    }

    pub fn is_open(self) -> bool {
        matches!(
            self,
            OrderState::Waiting | OrderState::Placed | OrderState::Assigned
        )
    }
}

/// Where a new order goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    InSlot,
    /// On the waiting list, at this position (1 = next).
    Waiting(u32),
}

impl Placement {
    pub fn state(self) -> OrderState {
        match self {
            Placement::InSlot => OrderState::Placed,
            Placement::Waiting(_) => OrderState::Waiting,
        }
    }
}

/// A new order in a slot of `capacity` places holding `taken` orders and `waiting` in line.
pub fn admit(capacity: u32, taken: u32, waiting: u32) -> Placement {
    if taken < capacity && waiting == 0 {
        Placement::InSlot
    } else {
        Placement::Waiting(waiting + 1)
    }
}

/// After a cancellation of an order in `state`: whether the first of the waiting orders
/// (oldest first) takes the freed place. A slot with `taken` places held after the cancellation.
pub fn after_cancel(
    state: OrderState,
    capacity: u32,
    taken: u32,
    first_waiting: Option<i64>,
) -> Option<i64> {
    if state.holds_place() && taken < capacity {
        first_waiting
    } else {
        None
    }
}

/// How far ahead a service may be booked.
pub const BOOK_AHEAD_DAYS: i64 = 60;

/// A service day from today up to [`BOOK_AHEAD_DAYS`] ahead.
pub fn check_day(today: Date, day: Date) -> Result<(), ServicesError> {
    if day < today || day > today.add_days(BOOK_AHEAD_DAYS) {
        return Err(ServicesError::DayOutOfRange);
    }
    Ok(())
}

/// Whether the account acting is the order's own resident: it placed the order, or it is the
/// account of the resident served.
pub fn is_own_order(
    placed_by: Option<i64>,
    resident: i64,
    account: i64,
    linked_resident: Option<i64>,
) -> bool {
    placed_by == Some(account) || linked_resident == Some(resident)
}

pub fn check_cancel(state: OrderState) -> Result<(), ServicesError> {
    match state {
        OrderState::Waiting | OrderState::Placed | OrderState::Assigned => Ok(()),
        s => Err(ServicesError::WrongState {
            state: s,
            action: "cancel",
        }),
    }
}

/// Assigning (or reassigning) needs a place in the slot.
pub fn check_assign(state: OrderState) -> Result<(), ServicesError> {
    match state {
        OrderState::Placed | OrderState::Assigned => Ok(()),
        s => Err(ServicesError::WrongState {
            state: s,
            action: "assign",
        }),
    }
}

pub fn check_complete(state: OrderState) -> Result<(), ServicesError> {
    match state {
        OrderState::Assigned => Ok(()),
        s => Err(ServicesError::WrongState {
            state: s,
            action: "complete",
        }),
    }
}

/// A completed order is rated once.
pub fn check_rate(state: OrderState, rated: Option<Satisfaction>) -> Result<(), ServicesError> {
    if state != OrderState::Completed {
        return Err(ServicesError::WrongState {
            state,
            action: "rate",
        });
    }
    if rated.is_some() {
        return Err(ServicesError::AlreadyRated);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_slot_sends_an_order_to_the_waiting_list_and_a_cancellation_promotes_it() {
        assert_eq!(admit(2, 0, 0), Placement::InSlot);
        assert_eq!(admit(2, 1, 0), Placement::InSlot);
        assert_eq!(admit(2, 2, 0), Placement::Waiting(1));
        assert_eq!(admit(2, 2, 1), Placement::Waiting(2));
        // Nobody jumps the line: a free place with people waiting goes to them first.
        assert_eq!(admit(2, 1, 1), Placement::Waiting(2));
        assert_eq!(after_cancel(OrderState::Placed, 2, 1, Some(9)), Some(9));
        assert_eq!(after_cancel(OrderState::Assigned, 2, 1, None), None);
        assert_eq!(after_cancel(OrderState::Waiting, 2, 2, Some(9)), None);
    }

    #[test]
    fn an_order_is_assigned_completed_and_rated_once() {
        assert!(check_assign(OrderState::Waiting).is_err());
        assert!(check_assign(OrderState::Placed).is_ok());
        assert!(check_complete(OrderState::Placed).is_err());
        assert!(check_complete(OrderState::Assigned).is_ok());
        assert!(check_rate(OrderState::Assigned, None).is_err());
        assert!(check_rate(OrderState::Completed, None).is_ok());
        assert_eq!(
            check_rate(OrderState::Completed, Some(Satisfaction::Satisfied)),
            Err(ServicesError::AlreadyRated)
        );
        assert!(check_cancel(OrderState::Completed).is_err());
        assert!(check_cancel(OrderState::Waiting).is_ok());
        let today = Date::new(2026, 11, 2).unwrap();
        assert!(check_day(today, today).is_ok());
        assert_eq!(
            check_day(today, today.add_days(-1)),
            Err(ServicesError::DayOutOfRange)
        );
        assert_eq!(
            check_day(today, today.add_days(61)),
            Err(ServicesError::DayOutOfRange)
        );
        assert!(is_own_order(Some(5), 9, 5, None));
        assert!(is_own_order(Some(3), 9, 5, Some(9)));
        assert!(!is_own_order(Some(3), 9, 5, Some(8)));
    }
}
