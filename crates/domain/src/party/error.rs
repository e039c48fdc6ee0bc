//! Why a change to the party organisation, its members or the compounds cannot be made. Only
//! what is impossible is refused; what the rules allow as a transition is a warning
//! (`org::OrgWarning`).

use std::fmt;

use crate::Bilingual;

/// A change that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartyError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// A code with characters other than ASCII letters, digits and `-`.
    BadCode(&'static str, String),
    /// An unknown label for a field (`field`, input, allowed Chinese names).
    Unknown(&'static str, String, String),
    /// The area must be a community (or a street for `area`).
    AreaLevel(&'static str),
    /// The place named does not lie in the organisation's or member's area.
    OutsideArea(&'static str),
    /// A party group has no branch above it.
    GroupWithoutBranch,
    /// The parent's level cannot hold the child's (a branch under a branch).
    ParentLevel {
        parent: &'static str,
        child: &'static str,
    },
    /// The new parent is the organisation itself or one of its descendants.
    Cycle,
    /// The organisation (as parent, as target of a member or transfer) is dissolved.
    Dissolved(String),
    /// An organisation cannot be dissolved while members or live organisations are under it.
    NotEmpty {
        members: i64,
        children: i64,
    },
    /// A later date is before an earlier one (`field`).
    DateOrder(&'static str),
    /// A probationary member has no date of becoming full; a full member's is on or after joining.
    ProbationaryWithFullDate,
    /// Only a probationary member becomes full.
    AlreadyFull,
    /// A transfer to the organisation the member is already in.
    SameOrg,
    /// The member has left (`left_on` set).
    MemberLeft,
    /// A resident already has a party member record.
    ResidentTaken,
    /// A 双找 registration already decided.
    AlreadyDecided,
    /// A coordinate out of range.
    Coordinate(&'static str),
}

impl Bilingual for PartyError {
    fn code(&self) -> &'static str {
        match self {
            PartyError::Blank(_) => "blank",
            PartyError::TooLong(..) => "too_long",
            PartyError::BadCode(..) => "invalid_code",
            PartyError::Unknown(..) => "unknown_label",
            PartyError::AreaLevel(_) => "wrong_area_level",
            PartyError::OutsideArea(_) => "outside_area",
            PartyError::GroupWithoutBranch => "group_without_branch",
            PartyError::ParentLevel { .. } => "parent_level",
            PartyError::Cycle => "org_cycle",
            PartyError::Dissolved(_) => "org_dissolved",
            PartyError::NotEmpty { .. } => "org_not_empty",
            PartyError::DateOrder(_) => "date_order",
            PartyError::ProbationaryWithFullDate => "probationary_with_full_date",
            PartyError::AlreadyFull => "already_full",
            PartyError::SameOrg => "same_org",
            PartyError::MemberLeft => "member_left",
            PartyError::ResidentTaken => "resident_already_member",
            PartyError::AlreadyDecided => "already_decided",
            PartyError::Coordinate(_) => "invalid_coordinate",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            PartyError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            PartyError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            PartyError::BadCode(f, v) => {
                format!("“{}”只能由字母、数字和“-”组成，收到“{v}”", field_zh(f))
            }
            PartyError::Unknown(f, v, allowed) => {
                format!("“{v}”不是有效的{}，可选：{allowed}", field_zh(f))
            }
            PartyError::AreaLevel(f) => format!("“{}”须为社区/村一级的区划", field_zh(f)),
            PartyError::OutsideArea(f) => format!("所选{}不在该社区内", field_zh(f)),
            PartyError::GroupWithoutBranch => "党小组须设在党支部之下，请选择上级党支部".into(),
            PartyError::ParentLevel { parent, child } => {
                format!("{parent}之下不能设立{child}")
            }
            PartyError::Cycle => "上级党组织不能是本组织或其下级组织".into(),
            PartyError::Dissolved(name) => format!("党组织“{name}”已撤销"),
            PartyError::NotEmpty { members, children } => format!(
                "该党组织仍有 {members} 名党员、{children} 个下级组织，须先转出或撤销后才能撤销"
            ),
            PartyError::DateOrder(f) => format!("“{}”不能早于入党日期或成立日期", field_zh(f)),
            PartyError::ProbationaryWithFullDate => "预备党员没有转正日期".into(),
            PartyError::AlreadyFull => "该党员已是正式党员".into(),
            PartyError::SameOrg => "转入组织与当前所在组织相同".into(),
            PartyError::MemberLeft => "该党员已转出或离开本社区".into(),
            PartyError::ResidentTaken => "该居民已登记为党员".into(),
            PartyError::AlreadyDecided => "该登记已处理过".into(),
            PartyError::Coordinate(f) => format!("“{}”超出范围", field_zh(f)),
        }
    }

    fn message_en(&self) -> String {
        match self {
            PartyError::Blank(f) => format!("'{f}' must not be blank"),
            PartyError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            PartyError::BadCode(f, v) => {
                format!("'{f}' takes letters, digits and '-' only; got '{v}'")
            }
            PartyError::Unknown(f, v, _) => format!("'{v}' is not a valid {f}"),
            PartyError::AreaLevel(f) => format!("'{f}' must be a community-level area"),
            PartyError::OutsideArea(f) => format!("the chosen {f} is not in the community"),
            PartyError::GroupWithoutBranch => {
                "a party group sits under a branch: choose its parent branch".into()
            }
            PartyError::ParentLevel { parent, child } => {
                format!("a {child} cannot be set up under a {parent}")
            }
            PartyError::Cycle => {
                "the parent organisation cannot be the organisation itself or one below it".into()
            }
            PartyError::Dissolved(name) => format!("the organisation '{name}' is dissolved"),
            PartyError::NotEmpty { members, children } => format!(
                "the organisation still has {members} members and {children} organisations under it; transfer or dissolve them first"
            ),
            PartyError::DateOrder(f) => {
                format!("'{f}' cannot be before the joining or founding date")
            }
            PartyError::ProbationaryWithFullDate => {
                "a probationary member has no date of becoming full".into()
            }
            PartyError::AlreadyFull => "the member is already a full member".into(),
            PartyError::SameOrg => "the member is already in that organisation".into(),
            PartyError::MemberLeft => "the member has left".into(),
            PartyError::ResidentTaken => "this resident is already a party member".into(),
            PartyError::AlreadyDecided => "this registration has already been decided".into(),
            PartyError::Coordinate(f) => format!("'{f}' is out of range"),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            PartyError::Blank(f)
            | PartyError::TooLong(f, _)
            | PartyError::BadCode(f, _)
            | PartyError::Unknown(f, ..)
            | PartyError::AreaLevel(f)
            | PartyError::OutsideArea(f)
            | PartyError::DateOrder(f)
            | PartyError::Coordinate(f) => Some(f.to_string()),
            PartyError::GroupWithoutBranch | PartyError::ParentLevel { .. } | PartyError::Cycle => {
                Some("parent".into())
            }
            PartyError::ProbationaryWithFullDate => Some("full_on".into()),
            _ => None,
        }
    }
}

/// The Chinese name of a form field, for messages.
fn field_zh(f: &str) -> &str {
    match f {
        "name" => "名称/姓名",
        "code" => "编号",
        "address" => "地址",
        "community" => "所属社区",
        "area" => "所属区划",
        "grid" => "网格",
        "compound" => "小区",
        "workplace" => "工作单位",
        "property_company" => "物业公司",
        "founded_on" => "成立日期",
        "dissolved_on" => "撤销日期",
        "joined_on" => "入党日期",
        "full_on" => "转正日期",
        "on" => "日期",
        "reason" => "原因",
        "level" => "组织层级",
        "kind" => "组织类型",
        "status" => "党员类别",
        "gender" => "性别",
        "lon" => "经度",
        "lat" => "纬度",
        "unit_kind" => "单位类型",
        "note" => "备注",
        "employees" => "职工人数",
        "prior_org" => "原所在党组织",
        "left_on" => "离开日期",
        "resident" => "居民",
        "household" => "户",
        other => other,
    }
}

impl fmt::Display for PartyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for PartyError {}

/// A trimmed non-blank text of at most `max` characters.
pub(crate) fn required(field: &'static str, v: &str, max: usize) -> Result<String, PartyError> {
    let t = v.trim();
    if t.is_empty() {
        Err(PartyError::Blank(field))
    } else if t.chars().count() > max {
        Err(PartyError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// A trimmed optional text of at most `max` characters; blank is `None`.
pub(crate) fn optional(
    field: &'static str,
    v: Option<String>,
    max: usize,
) -> Result<Option<String>, PartyError> {
    match v.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) if t.chars().count() > max => Err(PartyError::TooLong(field, max)),
        Some(t) => Ok(Some(t.to_string())),
    }
}
