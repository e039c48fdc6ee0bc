//! The refusal returned by [`super::decide`].

use std::fmt;

use super::{Action, Role, Target};
use crate::Bilingual;

/// Why a request was refused; part of the message so an administrator can tell a
/// misconfigured account from a user reaching outside their patch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DenyReason {
    /// The account's scope kind (or area level) does not fit its role; fail closed.
    ScopeMismatch,
    /// The role never has this permission.
    NotPermitted,
    /// The role has it, but not for this target.
    OutOfScope,
    /// Unmasking needs a per-account grant that this account lacks.
    UnmaskNotGranted,
}

impl DenyReason {
    pub fn zh(self) -> &'static str {
        match self {
            DenyReason::ScopeMismatch => "账号的管辖范围与角色不符",
            DenyReason::NotPermitted => "该角色没有此权限",
            DenyReason::OutOfScope => "对象不在账号的管辖范围内",
            DenyReason::UnmaskNotGranted => "账号未获准查看未脱敏个人信息",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            DenyReason::ScopeMismatch => "the account's scope does not fit its role",
            DenyReason::NotPermitted => "the role never has this permission",
            DenyReason::OutOfScope => "the target is outside the account's scope",
            DenyReason::UnmaskNotGranted => {
                "the account has not been granted access to unmasked personal data"
            }
        }
    }
}

/// A refused request: which role may not do which action on which target, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    pub role: Role,
    pub action: Action,
    pub target: Target,
    pub reason: DenyReason,
}

impl Bilingual for Denied {
    fn code(&self) -> &'static str {
        "forbidden"
    }

    fn message_zh(&self) -> String {
        format!(
            "角色“{}”无权对“{}”执行“{}”：{}",
            self.role.zh(),
            self.target.zh(),
            self.action.zh(),
            self.reason.zh()
        )
    }

    fn message_en(&self) -> String {
        format!(
            "role {} may not {} on {}: {}",
            self.role.as_str(),
            self.action.en(),
            self.target.en(),
            self.reason.en()
        )
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for Denied {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::GridCode;

    #[test]
    fn message_names_role_action_and_target() {
        let d = Denied {
            role: Role::GridWorker,
            action: Action::ImportPopulation,
            target: Target::Grid(GridCode::parse("320508019044001").unwrap()),
            reason: DenyReason::NotPermitted,
        };
        assert_eq!(d.code(), "forbidden");
        assert_eq!(
            d.message_zh(),
            "角色“网格员”无权对“网格 320508019044001”执行“导入人口信息”：该角色没有此权限"
        );
        assert_eq!(
            d.message_en(),
            "role grid_worker may not import population data on grid 320508019044001: the role never has this permission"
        );
        assert_eq!(d.to_string(), d.message_en());
    }
}
