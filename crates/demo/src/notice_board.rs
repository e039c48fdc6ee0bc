//! The demo's 公示栏: notices of every kind to the demo community, its street and its district,
//! in every state as of the day the demo is made — current, one changed after publication (已更新),
//! one withdrawn with its reason, one expired, a draft. A pure plan; the CLI stores it through
//! the same store calls as the screens (each publication, change and withdrawal on the log).

use gongzhi_domain::calendar::Date;
use gongzhi_domain::notice_board::NoticeKind;

/// Whose residents read it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    Community,
    Street,
    District,
}

/// What happens to a notice after it is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    Draft,
    Published,
    /// Published, then changed `days` later to this title and body.
    Changed {
        days: i64,
        title: &'static str,
        body: &'static str,
    },
    /// Published, then withdrawn `days` later with a reason.
    Withdrawn {
        days: i64,
        reason: &'static str,
    },
}

pub struct NoticePlan {
    pub kind: NoticeKind,
    pub title: &'static str,
    pub body: &'static str,
    pub from: Date,
    pub until: Date,
    pub audience: Audience,
    pub subject_text: &'static str,
    pub fate: Fate,
}

/// The notices as of `today`.
pub fn plan(today: Date) -> Vec<NoticePlan> {
    let d = |n: i64| today.add_days(n);
    vec![
        NoticePlan {
            kind: NoticeKind::Finance,
            title: "第三季度居务收支情况公开",
            body: "一、收入：上级拨付社区公共服务经费 12,000 元；共建单位捐赠 3,000 元。\n\n二、支出：楼道照明维修 2,460 元；为老助餐补贴 5,800 元；文体活动 1,240 元。\n\n三、结余 5,500 元。对以上内容有疑问的，请于公示期内到社区服务大厅查询。",
            from: d(-5),
            until: d(25),
            audience: Audience::Community,
            subject_text: "",
            fate: Fate::Changed {
                days: 2,
                title: "第三季度居务收支情况公开（更正）",
                body: "一、收入：上级拨付社区公共服务经费 12,000 元；共建单位捐赠 3,000 元。\n\n二、支出：楼道照明维修 2,460 元；为老助餐补贴 5,800 元；文体活动 1,420 元（原公示 1,240 元系笔误）。\n\n三、结余 5,320 元。对以上内容有疑问的，请于公示期内到社区服务大厅查询。",
            },
        },
        NoticePlan {
            kind: NoticeKind::BenefitPolicy,
            title: "2026 年高龄老人尊老金申领办法",
            body: "年满 80 周岁的本市户籍老人，可按月领取尊老金。\n\n申领材料：身份证、户口簿、银行卡。\n本人或家属到社区服务大厅办理，行动不便的可预约网格员上门。",
            from: d(-20),
            until: d(70),
            audience: Audience::District,
            subject_text: "",
            fate: Fate::Published,
        },
        NoticePlan {
            kind: NoticeKind::PartyAffairs,
            title: "社区党委 11 月主题党日活动安排",
            body: "时间：本月第三个周六上午 9:00。\n地点：社区党群服务中心二楼。\n\n内容：学习交流、为老志愿服务。在职党员请到社区报到参加。",
            from: d(-3),
            until: d(14),
            audience: Audience::Community,
            subject_text: "",
            fate: Fate::Published,
        },
        NoticePlan {
            kind: NoticeKind::Resolution,
            title: "关于 3 幢加装电梯的协商结果",
            body: "经 3 幢全体业主协商，同意票占比 87%，达到法定比例，议定加装电梯。\n\n落实情况：设计方案已报规划部门，预计下月开工。",
            from: d(-8),
            until: d(22),
            audience: Audience::Community,
            subject_text: "有事好商量 · 3 幢加装电梯议题",
            fate: Fate::Published,
        },
        NoticePlan {
            kind: NoticeKind::ServiceResult,
            title: "便民服务中心 10 月服务情况",
            body: "10 月共受理助餐、助浴、理发等服务 326 人次，满意率 98.2%。",
            from: d(-15),
            until: d(15),
            audience: Audience::Community,
            subject_text: "",
            fate: Fate::Published,
        },
        NoticePlan {
            kind: NoticeKind::Government,
            title: "街道 2026 年为民办实事项目征集",
            body: "街道面向辖区居民征集 2026 年为民办实事项目建议。\n\n请通过社区或网格员提交，截止日期见公示期。",
            from: d(-10),
            until: d(20),
            audience: Audience::Street,
            subject_text: "",
            fate: Fate::Withdrawn {
                days: 3,
                reason: "征集范围调整，将重新发布",
            },
        },
        NoticePlan {
            kind: NoticeKind::CommunityAffairs,
            title: "社区居民议事会成员名单",
            body: "经居民代表推选，产生本届居民议事会成员 9 名，名单在社区公告栏张贴。",
            from: d(-45),
            until: d(-15),
            audience: Audience::Community,
            subject_text: "",
            fate: Fate::Published,
        },
        NoticePlan {
            kind: NoticeKind::CommunityAffairs,
            title: "停车位分配方案（征求意见稿）",
            body: "小区地面停车位分配方案征求意见稿，待居民议事会讨论后发布。",
            from: d(1),
            until: d(30),
            audience: Audience::Community,
            subject_text: "",
            fate: Fate::Draft,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::notice_board::{NoticeState, PublicStatus, public_status};

    #[test]
    fn the_demo_board_has_current_changed_withdrawn_expired_and_draft_notices() {
        let today = Date::new(2026, 11, 20).unwrap();
        let p = plan(today);
        let status = |n: &NoticePlan| {
            let state = match n.fate {
                Fate::Draft => NoticeState::Draft,
                Fate::Withdrawn { .. } => NoticeState::Withdrawn,
                _ => NoticeState::Published,
            };
            public_status(state, n.from, n.until, today)
        };
        let kinds: std::collections::BTreeSet<_> = p.iter().map(|n| n.kind).collect();
        assert_eq!(kinds.len(), NoticeKind::ALL.len());
        assert!(p.iter().any(|n| matches!(n.fate, Fate::Changed { .. })));
        for s in [
            Some(PublicStatus::Current),
            Some(PublicStatus::Expired),
            Some(PublicStatus::Withdrawn),
            None,
        ] {
            assert!(p.iter().any(|n| status(n) == s), "{s:?}");
        }
        for n in &p {
            assert!(n.from <= n.until);
            let draft = gongzhi_domain::notice_board::NoticeDraft {
                kind: n.kind,
                title: n.title.into(),
                body: n.body.into(),
                from: n.from,
                until: n.until,
                audience: gongzhi_domain::codes::AreaCode::parse("320508019044").unwrap(),
                department: None,
                subject_text: n.subject_text.into(),
                subject_url: String::new(),
            };
            assert!(draft.checked().is_ok(), "{}", n.title);
        }
    }
}
