//! Account roles.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::Bilingual;

/// What kind of account acts; with its [`super::Scope`] it decides what the account may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    /// District / county staff (区县).
    District,
    /// Street office or township staff (街道/乡镇).
    Street,
    /// Community or village committee staff (社区/村).
    Community,
    /// A grid worker (网格员), bound to one grid.
    GridWorker,
    /// A red grid member (红色网格员), bound to one grid: serves the households linked to them.
    RedMember,
    /// Staff of a community's service centres (七中心), bound to one community: take orders
    /// and fulfil them (配菜).
    CentreStaff,
    /// A functional department (职能部门).
    Department,
    /// A party organisation (党组织).
    PartyOrg,
    /// Discipline supervision (纪委).
    Supervisor,
    Resident,
}

impl Role {
    pub const ALL: [Role; 11] = [
        Role::Admin,
        Role::District,
        Role::Street,
        Role::Community,
        Role::GridWorker,
        Role::RedMember,
        Role::CentreStaff,
        Role::Department,
        Role::PartyOrg,
        Role::Supervisor,
        Role::Resident,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::District => "district",
            Role::Street => "street",
            Role::Community => "community",
            Role::GridWorker => "grid_worker",
            Role::RedMember => "red_member",
            Role::CentreStaff => "centre_staff",
            Role::Department => "department",
            Role::PartyOrg => "party_org",
            Role::Supervisor => "supervisor",
            Role::Resident => "resident",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::District => "区县",
            Role::Street => "街道",
            Role::Community => "社区",
            Role::GridWorker => "网格员",
            Role::RedMember => "红色网格员",
            Role::CentreStaff => "服务中心工作人员",
            Role::Department => "职能部门",
            Role::PartyOrg => "党组织",
            Role::Supervisor => "纪委监督",
            Role::Resident => "居民",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::District => "District",
            Role::Street => "Street office",
            Role::Community => "Community",
            Role::GridWorker => "Grid worker",
            Role::RedMember => "Red grid member",
            Role::CentreStaff => "Service centre staff",
            Role::Department => "Department",
            Role::PartyOrg => "Party organisation",
            Role::Supervisor => "Discipline supervisor",
            Role::Resident => "Resident",
        }
    }

    /// Accepts the snake_case code (any ASCII case) or the Chinese name, trimmed.
    pub fn parse(input: &str) -> Result<Role, UnknownRole> {
        let s = input.trim();
        Role::ALL
            .into_iter()
            .find(|r| s.eq_ignore_ascii_case(r.as_str()) || s == r.zh())
            .ok_or_else(|| UnknownRole {
                input: s.chars().take(40).collect(),
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = UnknownRole;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::parse(s)
    }
}

/// A role name that is not one of [`Role::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRole {
    pub input: String,
}

impl Bilingual for UnknownRole {
    fn code(&self) -> &'static str {
        "invalid_role"
    }

    fn message_zh(&self) -> String {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.zh()).collect();
        format!("“{}”不是有效的角色，可选：{}", self.input, names.join("、"))
    }

    fn message_en(&self) -> String {
        let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!(
            "'{}' is not a valid role; expected one of: {}",
            self.input,
            names.join(", ")
        )
    }
}

impl fmt::Display for UnknownRole {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for UnknownRole {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_written_out() {
        let names: Vec<_> = Role::ALL.iter().map(|r| (r.as_str(), r.zh())).collect();
        assert_eq!(
            names,
            [
                ("admin", "系统管理员"),
                ("district", "区县"),
                ("street", "街道"),
                ("community", "社区"),
                ("grid_worker", "网格员"),
                ("red_member", "红色网格员"),
                ("centre_staff", "服务中心工作人员"),
                ("department", "职能部门"),
                ("party_org", "党组织"),
                ("supervisor", "纪委监督"),
                ("resident", "居民"),
            ]
        );
    }

    #[test]
    fn parse_round_trips() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
            assert_eq!(Role::parse(role.zh()), Ok(role));
            assert_eq!(role.to_string().parse::<Role>(), Ok(role));
        }
        assert_eq!(Role::parse(" GRID_WORKER "), Ok(Role::GridWorker));
    }

    #[test]
    fn unknown_role() {
        let e = Role::parse("root").unwrap_err();
        assert_eq!(e.code(), "invalid_role");
        assert!(e.message_en().starts_with("'root' is not a valid role"));
        assert!(e.message_zh().contains("网格员"));
    }

    #[test]
    fn serde_uses_the_code() {
        use serde::de::IntoDeserializer;
        use serde::de::value::Error;
        let r: Result<Role, Error> = Role::deserialize("party_org".into_deserializer());
        assert_eq!(r, Ok(Role::PartyOrg));
    }
}
