//! 议题: a matter raised in a community, supported by residents until the threshold tables it
//! (列入议程) in the same write as the support that reaches it; staff may table it themselves
//! or decline it with a reason; a meeting held with it on its agenda has discussed it.

use super::{DeliberationError, clip, required};
use crate::access::{Principal, Role};
use crate::codes::AreaCode;
use crate::labelled_enum;

labelled_enum! {
    /// What a topic is about.
    pub enum TopicCategory {
        Environment = ("environment", "环境卫生", "Environment and sanitation"),
        Parking = ("parking", "停车管理", "Parking"),
        Property = ("property", "物业服务", "Property management"),
        Facilities = ("facilities", "公共设施", "Public facilities"),
        Elderly = ("elderly", "一老一小", "Elderly and children"),
        Safety = ("safety", "平安建设", "Safety"),
        Neighbourhood = ("neighbourhood", "邻里关系", "Neighbourhood"),
        Other = ("other", "其他", "Other"),
    }
}

labelled_enum! {
    /// Where a topic stands.
    pub enum TopicStatus {
        /// 征集中: gathering support.
        Open = ("open", "征集支持中", "Gathering support"),
        /// 已列入议程: waits for (or is on) a meeting's agenda.
        Tabled = ("tabled", "已列入议程", "Tabled"),
        /// 未采纳: declined by staff with a reason.
        Declined = ("declined", "未采纳", "Declined"),
        /// 已协商: a meeting held with it on its agenda.
        Discussed = ("discussed", "已协商", "Discussed"),
    }
}

labelled_enum! {
    /// Who raised a topic.
    pub enum RaiserKind {
        Resident = ("resident", "居民", "Resident"),
        Member = ("member", "党员", "Party member"),
        Staff = ("staff", "工作人员", "Staff"),
    }
}

impl TopicCategory {
    pub fn parse_or(s: &str) -> Result<TopicCategory, DeliberationError> {
        TopicCategory::parse(s).ok_or_else(|| DeliberationError::UnknownCategory(clip(s)))
    }
}

impl RaiserKind {
    /// A resident's account (or no account) raises as a resident; a red grid member or a party
    /// organisation as a party member; everyone else as staff.
    pub fn of(p: Option<&Principal>) -> RaiserKind {
        match p.map(|p| p.role) {
            None | Some(Role::Resident) => RaiserKind::Resident,
            Some(Role::RedMember | Role::PartyOrg) => RaiserKind::Member,
            Some(_) => RaiserKind::Staff,
        }
    }
}

pub const MAX_TITLE: usize = 60;
pub const MAX_DESCRIPTION: usize = 1000;
/// Longest reason for declining a topic.
pub const MAX_REASON: usize = 300;

/// A name as the public sees it: the first character kept, the rest masked.
pub fn mask_name(name: &str) -> String {
    crate::red_grid::mask_party(name)
}

/// A topic as entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicDraft {
    pub community: AreaCode,
    pub category: TopicCategory,
    pub title: String,
    pub description: String,
}

impl TopicDraft {
    pub fn checked(self) -> Result<TopicDraft, DeliberationError> {
        if self.community.level() != crate::codes::AreaLevel::Community {
            return Err(DeliberationError::NotACommunity);
        }
        Ok(TopicDraft {
            title: required("title", &self.title, MAX_TITLE)?,
            description: required("description", &self.description, MAX_DESCRIPTION)?,
            ..self
        })
    }
}

/// What one more support does to a topic.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupportOutcome {
    pub supports: u32,
    /// This support reached the threshold: the topic is tabled with it.
    pub tabled: bool,
}

impl TopicStatus {
    /// One more support on a topic with `supports` so far under `threshold`. An open topic
    /// gathers support until it is tabled; a tabled one still counts supports (it shows how
    /// many residents care) but is not tabled again; a declined or discussed one takes none.
    pub fn support(
        self,
        supports: u32,
        threshold: u32,
    ) -> Result<SupportOutcome, DeliberationError> {
        match self {
            TopicStatus::Open | TopicStatus::Tabled => {
                let supports = supports + 1;
                Ok(SupportOutcome {
                    supports,
                    tabled: self == TopicStatus::Open && supports >= threshold,
                })
            }
            _ => Err(DeliberationError::TopicClosed(self)),
        }
    }

    /// Staff table an open topic themselves.
    pub fn table(self) -> Result<TopicStatus, DeliberationError> {
        match self {
            TopicStatus::Open => Ok(TopicStatus::Tabled),
            other => Err(DeliberationError::TopicNotOpen(other)),
        }
    }

    /// Staff decline an open or tabled topic that no meeting has discussed, with a reason.
    pub fn decline(self, reason: &str) -> Result<String, DeliberationError> {
        match self {
            TopicStatus::Open | TopicStatus::Tabled => required("reason", reason, MAX_REASON),
            other => Err(DeliberationError::TopicClosed(other)),
        }
    }

    /// A meeting's agenda takes tabled topics only.
    pub fn check_agenda(self) -> Result<(), DeliberationError> {
        match self {
            TopicStatus::Tabled => Ok(()),
            other => Err(DeliberationError::TopicNotTabled(other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_support_that_reaches_the_threshold_tables_the_topic() {
        let mut supports = 0;
        let mut status = TopicStatus::Open;
        for i in 1..=3 {
            let o = status.support(supports, 3).unwrap();
            supports = o.supports;
            assert_eq!(o.tabled, i == 3, "support {i}");
            if o.tabled {
                status = TopicStatus::Tabled;
            }
        }
        let after = status.support(supports, 3).unwrap();
        assert_eq!(
            (after.supports, after.tabled),
            (4, false),
            "counted, not tabled again"
        );
        assert_eq!(
            TopicStatus::Declined.support(1, 3),
            Err(DeliberationError::TopicClosed(TopicStatus::Declined))
        );
        assert_eq!(TopicStatus::Open.table(), Ok(TopicStatus::Tabled));
        assert!(TopicStatus::Tabled.table().is_err());
        assert_eq!(
            TopicStatus::Open.decline("  "),
            Err(DeliberationError::Blank("reason"))
        );
        assert_eq!(
            TopicStatus::Tabled.decline("已纳入物业整改").unwrap(),
            "已纳入物业整改"
        );
        assert!(TopicStatus::Open.check_agenda().is_err());
    }

    #[test]
    fn a_topic_has_a_title_a_description_and_a_community() {
        let d = TopicDraft {
            community: AreaCode::parse("320508019044").unwrap(),
            category: TopicCategory::parse_or("停车管理").unwrap(),
            title: "  非机动车充电桩  ".into(),
            description: "楼道里给电动车充电有火灾隐患".into(),
        };
        assert_eq!(d.clone().checked().unwrap().title, "非机动车充电桩");
        let street = TopicDraft {
            community: AreaCode::parse("320508019000").unwrap(),
            ..d.clone()
        };
        assert_eq!(street.checked(), Err(DeliberationError::NotACommunity));
        let long = TopicDraft {
            title: "字".repeat(MAX_TITLE + 1),
            ..d
        };
        assert_eq!(
            long.checked(),
            Err(DeliberationError::TooLong("title", MAX_TITLE))
        );
        assert!(TopicCategory::parse_or("八卦").is_err());
        assert_eq!(RaiserKind::of(None), RaiserKind::Resident);
        assert_eq!(mask_name("张三丰"), "张**");
    }
}
