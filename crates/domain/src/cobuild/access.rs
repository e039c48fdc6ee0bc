//! Who acts on a contract, asked of the one policy (`access::decide`): the community side acts
//! inside its area (a street signs for its communities), the department on its own department.

use crate::access::{Action, Principal, Target, decide};
use crate::codes::AreaCode;

/// Writes the contract and its commitments: either side.
pub fn may_manage(p: &Principal, community: &AreaCode, department: &str) -> bool {
    decide(p, Action::ManageCoBuildContracts, &Target::Area(*community)).is_ok()
        || may_deliver(p, department)
}

/// Records what was delivered: the department that committed.
pub fn may_deliver(p: &Principal, department: &str) -> bool {
    decide(
        p,
        Action::ManageCoBuildContracts,
        &Target::Department(department.to_string()),
    )
    .is_ok()
}

/// Rates a commitment: the community side (the department does not rate itself).
pub fn may_rate(p: &Principal, community: &AreaCode) -> bool {
    decide(p, Action::ManageCoBuildContracts, &Target::Area(*community)).is_ok()
}
