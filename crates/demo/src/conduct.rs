//! The living demo's passive-governance reports (消极怠政): reports in several categories and
//! through every channel a person uses, in every state — new, accepted, dismissed, under
//! investigation, concluded with accountability actions up the ladder, concluded
//! unsubstantiated. Deterministic: the seed stores them through the same calls as the screens.

/// What becomes of a planned report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fate {
    Received,
    Accepted,
    Dismissed(&'static str),
    /// Assigned to the demo `supervisor` (the district's) or `inspector` (the street's).
    Investigating(&'static str),
    /// Investigated by `supervisor`, substantiated, with (action, grade, post) per official.
    Substantiated(Vec<(&'static str, &'static str, &'static str)>),
    Unsubstantiated,
}

#[derive(Clone, Debug)]
pub struct PlannedReport {
    pub category: &'static str,
    /// `web`, `livelihood_box`, `petition_box`, `hotline`, `referral`.
    pub channel: &'static str,
    /// Reported against the demo department (else the demo community's office).
    pub department: bool,
    pub official: &'static str,
    pub description: &'static str,
    /// Reporter's name and phone, or anonymous.
    pub reporter: Option<(&'static str, &'static str)>,
    pub days_ago: i64,
    pub fate: Fate,
}

/// The plan, oldest first.
pub fn plan() -> Vec<PlannedReport> {
    use Fate::*;
    vec![
        PlannedReport {
            category: "idleness",
            channel: "web",
            department: true,
            official: "执法中队副中队长",
            description: "反映占道经营问题三次，执法中队均称“已处理”，现场无人到场，问题依旧。",
            reporter: Some(("李建国", "13951110001")),
            days_ago: 40,
            fate: Substantiated(vec![
                ("interview", "", "执法中队副中队长"),
                ("admonition", "", "执法中队中队长"),
            ]),
        },
        PlannedReport {
            category: "exaction",
            channel: "livelihood_box",
            department: false,
            official: "社区工作人员",
            description: "办理低保复核时被要求先交材料费二十元，没有收据。",
            reporter: None,
            days_ago: 33,
            fate: Substantiated(vec![
                ("criticism", "", "社区民政专干"),
                ("party_discipline", "party_warning", "社区民政专干"),
            ]),
        },
        PlannedReport {
            category: "inefficiency",
            channel: "hotline",
            department: true,
            official: "",
            description: "来电反映：窗口审批材料一次说不清，先后跑了四趟仍未办结。",
            reporter: Some(("周女士", "13951110002")),
            days_ago: 21,
            fate: Substantiated(vec![("reminder_talk", "", "审批窗口工作人员")]),
        },
        PlannedReport {
            category: "aloofness",
            channel: "petition_box",
            department: false,
            official: "",
            description: "社区干部多次约不到，电话不接，群众诉求无人回应。",
            reporter: None,
            days_ago: 18,
            fate: Unsubstantiated,
        },
        PlannedReport {
            category: "buck_passing",
            channel: "referral",
            department: true,
            official: "",
            description: "街道移交：同一处下水道堵塞，城管与住建相互推诿两周未处理。",
            reporter: None,
            days_ago: 10,
            fate: Investigating("supervisor"),
        },
        PlannedReport {
            category: "lax_discipline",
            channel: "web",
            department: false,
            official: "网格员",
            description: "工作时间多次在棋牌室看到网格员。",
            reporter: None,
            days_ago: 8,
            fate: Investigating("inspector"),
        },
        PlannedReport {
            category: "bad_decision",
            channel: "web",
            department: true,
            official: "",
            description: "对政策规定的理解有异议，非消极怠政问题。",
            reporter: None,
            days_ago: 6,
            fate: Dismissed("反映的是政策理解问题，已转交职能部门答复，不属于消极怠政问题"),
        },
        PlannedReport {
            category: "poor_execution",
            channel: "hotline",
            department: true,
            official: "",
            description: "来电反映：老旧小区加装电梯的协调会决定一个月未落实。",
            reporter: Some(("陈先生", "13951110003")),
            days_ago: 3,
            fate: Accepted,
        },
        PlannedReport {
            category: "lax_oversight",
            channel: "livelihood_box",
            department: false,
            official: "",
            description: "惠民补贴名单公示期间有已故人员仍在名单中，怀疑审核不严。",
            reporter: None,
            days_ago: 1,
            fate: Received,
        },
        PlannedReport {
            category: "misconduct",
            channel: "web",
            department: true,
            official: "执法队员",
            description: "执法过程中态度粗暴，对商户言语辱骂。",
            reporter: Some(("王女士", "13951110004")),
            days_ago: 0,
            fate: Received,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_covers_every_state_and_public_channel() {
        let p = plan();
        for ch in [
            "web",
            "livelihood_box",
            "petition_box",
            "hotline",
            "referral",
        ] {
            assert!(p.iter().any(|r| r.channel == ch), "{ch}");
        }
        assert!(
            p.iter()
                .any(|r| matches!(r.fate, Fate::Substantiated(ref a) if a.len() == 2))
        );
        assert!(p.iter().any(|r| r.fate == Fate::Received));
        assert!(p.iter().any(|r| matches!(r.fate, Fate::Dismissed(_))));
        assert!(p.windows(2).all(|w| w[0].days_ago >= w[1].days_ago));
    }
}
