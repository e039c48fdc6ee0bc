//! The demo's 契约化共建: contracts between departments and the demo community, with
//! commitments in every standing as of the day the demo is made — delivered on time and rated,
//! delivered late, overdue (one with a partial delivery), due soon and open — so both sides'
//! screens, home tiles and scorecards are alive. A pure plan; the CLI stores it through the
//! same store calls as the screens.

use gongzhi_domain::calendar::Date;

pub struct DeliveryPlan {
    pub on: Date,
    pub notes: &'static str,
    pub completes: bool,
}

pub struct CommitmentPlan {
    pub title: &'static str,
    pub deliverable: &'static str,
    pub due_on: Date,
    pub deliveries: Vec<DeliveryPlan>,
    /// The community's rating code (`satisfied`, …), once delivered.
    pub rating: Option<&'static str>,
}

pub struct ContractPlan {
    pub title: String,
    /// Index into the departments given to [`plan`].
    pub department: usize,
    pub starts_on: Date,
    pub ends_on: Date,
    pub signed_on: Date,
    pub commitments: Vec<CommitmentPlan>,
}

fn delivered(on: Date, notes: &'static str) -> Vec<DeliveryPlan> {
    vec![DeliveryPlan {
        on,
        notes,
        completes: true,
    }]
}

/// Two contracts of the demo community as of `today`: one with the demo department (index 0)
/// holding every standing, a smaller one with a second department (index 1) when there is one.
pub fn plan(today: Date, community_name: &str, departments: &[&str]) -> Vec<ContractPlan> {
    let d = |n: i64| today.add_days(n);
    let mut out = vec![ContractPlan {
        title: format!(
            "{}与{}契约化共建协议（{}年度）",
            departments.first().copied().unwrap_or("部门"),
            community_name,
            d(-150).year()
        ),
        department: 0,
        starts_on: d(-150),
        ends_on: d(215),
        signed_on: d(-148),
        commitments: vec![
            CommitmentPlan {
                title: "背街小巷环境整治",
                deliverable: "完成社区内 6 条背街小巷的路面修补与乱堆放清理，设置分类垃圾桶 20 组",
                due_on: d(-90),
                deliveries: delivered(
                    d(-95),
                    "6 条小巷整治完毕，分类垃圾桶 20 组已安放，附验收照片",
                ),
                rating: Some("satisfied"),
            },
            CommitmentPlan {
                title: "非机动车停放点规划",
                deliverable: "在小区出入口规划非机动车停放点 4 处并划线",
                due_on: d(-60),
                deliveries: delivered(d(-52), "4 处停放点划线完成（因雨天延误一周）"),
                rating: Some("basically_satisfied"),
            },
            CommitmentPlan {
                title: "流动摊贩疏导点设置",
                deliverable: "会同社区设置早市疏导点 1 处，明确经营时段并公示",
                due_on: d(-12),
                deliveries: vec![DeliveryPlan {
                    on: d(-20),
                    notes: "已完成选址踏勘，待与物业确认经营时段",
                    completes: false,
                }],
                rating: None,
            },
            CommitmentPlan {
                title: "违章搭建拆除",
                deliverable: "拆除 3 幢楼顶违章搭建并恢复原状",
                due_on: d(-3),
                deliveries: Vec::new(),
                rating: None,
            },
            CommitmentPlan {
                title: "共建单位进社区服务日",
                deliverable: "每季度组织一次执法进社区服务日，现场答疑",
                due_on: d(6),
                deliveries: Vec::new(),
                rating: None,
            },
            CommitmentPlan {
                title: "门前三包责任书签订",
                deliverable: "与沿街商户签订门前三包责任书，覆盖率 100%",
                due_on: d(60),
                deliveries: Vec::new(),
                rating: None,
            },
            CommitmentPlan {
                title: "占道经营集中整治",
                deliverable: "对主干道两侧占道经营开展两周集中整治",
                due_on: d(-30),
                deliveries: delivered(d(-31), "集中整治两周，劝离占道经营 37 起"),
                rating: None,
            },
        ],
    }];
    if let Some(second) = departments.get(1) {
        out.push(ContractPlan {
            title: format!("{second}与{community_name}共建协议"),
            department: 1,
            starts_on: d(-100),
            ends_on: d(265),
            signed_on: d(-100),
            commitments: vec![
                CommitmentPlan {
                    title: "老旧小区加装电梯政策宣讲",
                    deliverable: "在社区开展两场加装电梯政策宣讲并答疑",
                    due_on: d(-40),
                    deliveries: delivered(d(-45), "两场宣讲完成，到场居民 86 人次"),
                    rating: Some("satisfied"),
                },
                CommitmentPlan {
                    title: "楼道照明改造",
                    deliverable: "完成 12 个楼道的声控照明改造",
                    due_on: d(10),
                    deliveries: Vec::new(),
                    rating: None,
                },
            ],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::cobuild::{CommitmentStatus, status};

    #[test]
    fn the_demo_contract_holds_every_standing_inside_its_period() {
        let today = Date::new(2026, 11, 20).unwrap();
        let p = plan(today, "养育巷社区", &["城管局", "住建局"]);
        assert_eq!(p.len(), 2);
        let mut seen = Vec::new();
        for k in &p {
            assert!(k.signed_on <= k.ends_on && k.starts_on <= k.ends_on);
            for c in &k.commitments {
                assert!(
                    c.due_on >= k.starts_on && c.due_on <= k.ends_on,
                    "{}",
                    c.title
                );
                let done = c.deliveries.iter().find(|d| d.completes).map(|d| d.on);
                for d in &c.deliveries {
                    assert!(d.on <= today && d.on >= k.starts_on, "{}", c.title);
                }
                assert!(c.rating.is_none() || !c.deliveries.is_empty());
                seen.push(status(c.due_on, done, today));
            }
        }
        for s in CommitmentStatus::ALL {
            assert!(seen.contains(s), "{s:?}");
        }
        assert_eq!(
            seen.iter()
                .filter(|s| **s == CommitmentStatus::Overdue)
                .count(),
            2
        );
        assert_eq!(plan(today, "社区", &["城管局"]).len(), 1);
    }
}
