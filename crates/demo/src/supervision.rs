//! The demo's 七天督办 and "1234" 民生监督: livelihood projects in the demo community with their
//! funds, progress, supervision and investigation records, the responsibilities of the
//! handbook, and supervision orders issued days ago so that the board shows every stage on the
//! day the demo is made (open, due soon, overdue with its notice, accountability suggested).
//! A pure plan; the CLI stores it through the same store calls as the screens.

/// Who holds a project: the demo department, or the community's own office.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holder {
    Department,
    Community,
}

pub struct ProjectPlan {
    pub name: &'static str,
    pub holder: Holder,
    /// Yuan.
    pub budget: i64,
    pub allocated: i64,
    pub disbursed: i64,
    pub beneficiaries: i64,
    pub progress: i64,
    /// Progress updates: days ago, percent, disbursed yuan so far, note.
    pub updates: Vec<(i64, i64, i64, &'static str)>,
    /// Inspections: days ago, by post, findings, rectification code.
    pub inspections: Vec<(i64, &'static str, &'static str, &'static str)>,
    /// Investigation records: matter, handling, result.
    pub investigations: Vec<(&'static str, &'static str, &'static str)>,
    /// Published on the notice board on this platform (a `NoticeKind` code).
    pub disclose: Option<&'static str>,
}

pub fn projects() -> Vec<ProjectPlan> {
    vec![
        ProjectPlan {
            name: "老旧小区加装电梯补助",
            holder: Holder::Department,
            budget: 1_200_000,
            allocated: 800_000,
            disbursed: 320_000,
            beneficiaries: 416,
            progress: 45,
            updates: vec![
                (40, 20, 120_000, "首批 3 部电梯补助资金发放到位"),
                (12, 45, 320_000, "第二批 5 部电梯完成验收并发放补助"),
            ],
            inspections: vec![(
                9,
                "街道纪工委委员",
                "2 个单元补助公示信息与实际安装进度不一致",
                "required",
            )],
            investigations: vec![],
            disclose: Some("government"),
        },
        ProjectPlan {
            name: "高龄津贴发放",
            holder: Holder::Community,
            budget: 360_000,
            allocated: 360_000,
            disbursed: 270_000,
            beneficiaries: 212,
            progress: 75,
            updates: vec![(20, 75, 270_000, "一至三季度津贴已按月发放到户")],
            inspections: vec![(15, "社区监督委员会主任", "抽查 20 户，发放准确", "none")],
            investigations: vec![(
                "1 户老人去世后仍领取津贴 2 个月",
                "停发并追回多领资金",
                "已追回 600 元",
            )],
            disclose: Some("benefit_policy"),
        },
        ProjectPlan {
            name: "社区食堂运营补贴",
            holder: Holder::Community,
            budget: 150_000,
            allocated: 75_000,
            disbursed: 60_000,
            beneficiaries: 380,
            progress: 50,
            updates: vec![(30, 50, 60_000, "上半年补贴按就餐人次核拨")],
            inspections: vec![(6, "街道纪工委委员", "就餐人次台账缺 3 天记录", "required")],
            investigations: vec![],
            disclose: Some("community_affairs"),
        },
    ]
}

/// The handbook's responsibilities: policy area, post, duties, whether the department holds it.
pub fn responsibilities() -> Vec<(&'static str, &'static str, &'static str, Holder)> {
    vec![
        (
            "高龄津贴",
            "民政专干",
            "审核发放对象，每月核对死亡和迁出人员，按月公示发放名单",
            Holder::Community,
        ),
        (
            "临时救助",
            "社会救助专干",
            "受理申请、入户核查、民主评议后报街道审批，结果公示 7 天",
            Holder::Community,
        ),
        (
            "老旧小区改造",
            "项目负责人",
            "组织施工和验收，按进度申请拨付，资金使用情况每季度公开",
            Holder::Department,
        ),
        (
            "社区食堂补贴",
            "社区书记",
            "核对就餐人次台账，按月申请补贴，接受居民监督",
            Holder::Community,
        ),
    ]
}

/// What an order is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// The n-th open case of the demo street held by a department.
    Case(usize),
    /// The n-th commitment of the demo community's contracts.
    Commitment(usize),
    /// The n-th project of `projects()`.
    Project(usize),
}

pub struct OrderPlan {
    pub on: On,
    /// Issued this many calendar days before the demo is made.
    pub days_ago: i64,
    pub demand: &'static str,
    /// Acknowledged and a progress report given (so the unit's reply shows).
    pub acknowledged: bool,
}

/// Orders in every stage on the default 7-working-day clock: 1 day ago (open), 7 days ago
/// (due soon), 12 days ago (overdue, notice issued) and 20 days ago (accountability suggested).
pub fn orders() -> Vec<OrderPlan> {
    vec![
        OrderPlan {
            on: On::Case(0),
            days_ago: 1,
            demand: "群众反映强烈，请七日内办结并报告结果",
            acknowledged: false,
        },
        OrderPlan {
            on: On::Project(2),
            days_ago: 7,
            demand: "补齐就餐人次台账，核实补贴金额",
            acknowledged: true,
        },
        OrderPlan {
            on: On::Commitment(0),
            days_ago: 12,
            demand: "共建承诺逾期未履行，请说明原因并限期履约",
            acknowledged: true,
        },
        OrderPlan {
            on: On::Project(0),
            days_ago: 20,
            demand: "公示信息与安装进度不一致，限期整改并重新公示",
            acknowledged: false,
        },
        OrderPlan {
            on: On::Case(1),
            days_ago: 18,
            demand: "案件久拖未办，请立即处置",
            acknowledged: false,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_adds_up() {
        for p in projects() {
            assert!(
                p.disbursed <= p.allocated && p.allocated <= p.budget,
                "{}",
                p.name
            );
            assert!((0..=100).contains(&p.progress));
            for (_, pct, paid, _) in &p.updates {
                assert!(*paid <= p.allocated && (0..=100).contains(pct));
            }
        }
        assert!(orders().iter().any(|o| o.days_ago >= 14));
        assert!(orders().iter().any(|o| o.days_ago <= 2));
    }
}
