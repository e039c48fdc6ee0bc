//! The demo's 权力清单: realistic items of four departments (城管、市场监管、住建、民政) and the
//! demo street, each with its flowchart, of mixed risk levels; one changed after publication
//! (two versions) and one draft. A pure plan; the CLI stores it through the same store calls
//! as the screens (each publication and change on the log).

use gongzhi_domain::power_list::PowerType;

/// Whose list: a department by code, or the demo street.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PlanOwner {
    Department(&'static str),
    Street,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PowerFate {
    Draft,
    /// Published `days_ago`.
    Published {
        days_ago: i64,
    },
    /// Published `days_ago`, changed `changed_days_ago` to this legal basis and flowchart.
    Changed {
        days_ago: i64,
        changed_days_ago: i64,
        legal_basis: &'static str,
        flowchart: &'static str,
    },
}

pub struct PowerPlan {
    pub owner: PlanOwner,
    pub name: &'static str,
    pub power_type: PowerType,
    pub legal_basis: &'static str,
    pub discretion: &'static str,
    pub post: &'static str,
    /// Importance, discretion, likelihood, harm (1–5).
    pub factors: [u8; 4],
    pub measures: &'static [&'static str],
    pub flowchart: &'static str,
    pub fate: PowerFate,
}

const PENALTY_FLOW: &str = "开始 A 巡查发现或群众举报占道经营 | 巡查岗 | 当日
步骤 B 现场调查取证、告知当事人 | 执法中队 | 2个工作日
判断 C 是否当场改正
结束 D 教育劝导后结案
步骤 E 立案并拟定处罚意见 | 执法中队 | 5个工作日
步骤 F 法制审核 | 法制审核岗 | 3个工作日
判断 G 是否需要听证
步骤 H 组织听证 | 法制审核岗 | 10个工作日
步骤 I 作出处罚决定并送达 | 分管负责人 | 2个工作日
结束 J 执行完毕结案归档
A -> B
B -> C
C -> D : 当场改正
C -> E : 拒不改正
E -> F
F -> G
G -> H : 需要
G -> I : 不需要
H -> I
I -> J";

const DEMOLITION_FLOW: &str = "开始 A 认定违法建设 | 执法中队
步骤 B 责令限期拆除 | 执法中队 | 送达当日
判断 C 当事人是否自行拆除
结束 D 复查确认已拆除
步骤 E 催告当事人 | 执法中队 | 10日
步骤 F 集体讨论作出强制拆除决定 | 局务会
步骤 G 公告并组织强制拆除 | 执法大队 | 公告期满后
结束 H 拆除完毕归档
A -> B
B -> C
C -> D : 已自行拆除
C -> E : 逾期未拆除
E -> F
F -> G
G -> H";

const AD_FLOW_V1: &str = "开始 A 窗口受理设置申请 | 政务服务窗口 | 当场
判断 B 材料是否齐全
步骤 C 一次性告知补正 | 政务服务窗口
步骤 D 现场踏勘并审查设置方案 | 市容科 | 20个工作日
判断 E 是否符合设置规划
结束 F 核发设置许可
结束 G 不予许可并说明理由
A -> B
B -> C : 不齐全
B -> D : 齐全
C -> B
D -> E
E -> F : 符合
E -> G : 不符合";

const AD_FLOW_V2: &str = "开始 A 窗口受理设置申请 | 政务服务窗口 | 当场
判断 B 材料是否齐全
步骤 C 一次性告知补正 | 政务服务窗口
步骤 D 现场踏勘并审查设置方案 | 市容科 | 10个工作日
判断 E 是否符合设置规划
结束 F 核发设置许可
结束 G 不予许可并说明理由
A -> B
B -> C : 不齐全
B -> D : 齐全
C -> B
D -> E
E -> F : 符合
E -> G : 不符合";

const FOOD_LICENCE_FLOW: &str = "开始 A 受理食品经营许可申请 | 许可窗口 | 当场
判断 B 材料是否齐全、符合法定形式
步骤 C 一次性告知补正 | 许可窗口
步骤 D 审查材料，必要时现场核查 | 食品许可科 | 10个工作日
判断 E 是否符合许可条件
结束 F 作出准予许可决定并发证
结束 G 作出不予许可决定并说明理由
A -> B
B -> C : 不齐全
B -> D : 齐全
C -> B
D -> E
E -> F : 符合
E -> G : 不符合";

const FOOD_CHECK_FLOW: &str = "开始 A 制定年度监督检查计划 | 食品监管科
步骤 B 双随机抽取检查对象和执法人员 | 食品监管科
步骤 C 现场检查并记录 | 市场监管所 | 检查当日
判断 D 是否发现问题
结束 E 公示检查结果
步骤 F 责令整改或移交立案 | 市场监管所 | 3个工作日
结束 G 复查并公示
A -> B
B -> C
C -> D
D -> E : 未发现问题
D -> F : 发现问题
F -> G";

const BUILDING_CHECK_FLOW: &str = "开始 A 编制工程质量安全监督计划 | 质监站
步骤 B 随机抽查在建工地 | 质监站 | 按计划
判断 C 是否存在质量安全隐患
结束 D 出具监督记录
步骤 E 下达整改通知书 | 质监站 | 当日
步骤 F 复查整改情况 | 质监站 | 7日内
结束 G 整改闭环归档
A -> B
B -> C
C -> D : 无隐患
C -> E : 有隐患
E -> F
F -> G";

const DUST_FLOW: &str = "开始 A 接到扬尘投诉或巡查 | 建管科
步骤 B 现场检查六个百分之百落实 | 建管科 | 1个工作日
结束 C 反馈检查结果 | 建管科
A -> B
B -> C";

const DIBAO_FLOW: &str = "开始 A 街道受理低保申请 | 社会救助窗口 | 当场
步骤 B 入户调查、邻里访问 | 社区 | 10个工作日
步骤 C 家庭经济状况核对 | 核对中心 | 10个工作日
步骤 D 民主评议并公示 | 街道 | 7日
判断 E 是否符合低保条件
结束 F 区民政局审核确认并发放 | 社会救助科 | 10个工作日
结束 G 书面告知不予确认理由 | 社会救助科
A -> B
B -> C
C -> D
D -> E
E -> F : 符合
E -> G : 不符合";

const RESIDENCE_FLOW: &str = "开始 A 居民申请出具实际居住证明 | 便民服务中心 | 当场
步骤 B 社区核实居住情况 | 社区网格员 | 2个工作日
判断 C 是否实际居住
结束 D 出具证明 | 便民服务中心
结束 E 告知不予出具理由 | 便民服务中心
A -> B
B -> C
C -> D : 属实
C -> E : 不属实";

const RELIEF_FLOW: &str = "开始 A 受理临时救助申请 | 社会救助窗口 | 当场
判断 B 是否急难情形
步骤 C 先行救助 | 社会事业科 | 24小时内
步骤 D 入户调查并公示 | 社区 | 5个工作日
步骤 E 审批并发放救助金 | 社会事业科 | 5个工作日
结束 F 救助档案归档
A -> B
B -> C : 急难
B -> D : 一般
C -> D
D -> E
E -> F";

const ELDERLY_FLOW: &str = "开始 A 系统比对年满八十周岁老人 | 社会事业科
步骤 B 社区确认在世及户籍 | 社区 | 5个工作日
结束 C 按月发放尊老金 | 社会事业科
A -> B
B -> C";

const FRONTAGE_FLOW: &str = "开始 A 制定门前三包检查安排 | 城管办
步骤 B 沿街商户检查 | 城管办 | 每周
判断 C 是否落实门前三包
结束 D 纳入文明商户评比
结束 E 教育劝导并限期整改
A -> B
B -> C
C -> D : 落实
C -> E : 未落实";

const EDU: &[&str] = &["岗位教育", "动态监控", "预警防范"];

/// The power items, in the order they are written.
pub fn plan() -> Vec<PowerPlan> {
    use PlanOwner::{Department as Dept, Street};
    use PowerFate::{Changed, Draft, Published};
    vec![
        PowerPlan {
            owner: Dept("CG"),
            name: "对占道经营行为的行政处罚",
            power_type: PowerType::Penalty,
            legal_basis: "《城市市容和环境卫生管理条例》第三十六条；《江苏省城市市容和环境卫生管理条例》第六十一条",
            discretion: "按占道面积、时长和改正情况分档处以罚款，首次违法且当场改正的不予处罚",
            post: "执法中队",
            factors: [4, 5, 4, 3],
            measures: &[
                "岗位教育",
                "执法全过程记录",
                "罚没款票据管理",
                "动态监控",
                "预警防范",
            ],
            flowchart: PENALTY_FLOW,
            fate: Published { days_ago: 60 },
        },
        PowerPlan {
            owner: Dept("CG"),
            name: "对违法建设的强制拆除",
            power_type: PowerType::Enforcement,
            legal_basis: "《中华人民共和国城乡规划法》第六十八条；《中华人民共和国行政强制法》第四十四条",
            discretion: "限期自行拆除的期限由执法机关在法定幅度内确定",
            post: "执法大队",
            factors: [5, 4, 3, 5],
            measures: &["集体讨论决定", "岗位教育", "动态监控", "预警防范"],
            flowchart: DEMOLITION_FLOW,
            fate: Published { days_ago: 58 },
        },
        PowerPlan {
            owner: Dept("CG"),
            name: "户外广告设施设置审批",
            power_type: PowerType::Licensing,
            legal_basis: "《城市市容和环境卫生管理条例》第十一条",
            discretion: "对设置位置、规格在规划范围内作出决定",
            post: "市容科",
            factors: [3, 3, 3, 3],
            measures: EDU,
            flowchart: AD_FLOW_V1,
            fate: Changed {
                days_ago: 90,
                changed_days_ago: 20,
                legal_basis: "《城市市容和环境卫生管理条例》第十一条；《苏州市户外广告设施和店招标牌管理办法》",
                flowchart: AD_FLOW_V2,
            },
        },
        PowerPlan {
            owner: Dept("SJ"),
            name: "食品经营许可",
            power_type: PowerType::Licensing,
            legal_basis: "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
            discretion: "对需要现场核查的申请确定核查范围",
            post: "食品许可科",
            factors: [4, 3, 2, 4],
            measures: &["一次性告知", "审批与核查分离", "动态监控"],
            flowchart: FOOD_LICENCE_FLOW,
            fate: Published { days_ago: 45 },
        },
        PowerPlan {
            owner: Dept("SJ"),
            name: "食品安全监督检查",
            power_type: PowerType::Inspection,
            legal_basis: "《中华人民共和国食品安全法》第一百一十条",
            discretion: "",
            post: "市场监管所",
            factors: [3, 2, 3, 3],
            measures: &["双随机一公开", "岗位教育", "预警防范"],
            flowchart: FOOD_CHECK_FLOW,
            fate: Published { days_ago: 44 },
        },
        PowerPlan {
            owner: Dept("ZJ"),
            name: "建设工程质量安全监督检查",
            power_type: PowerType::Inspection,
            legal_basis: "《建设工程质量管理条例》第四十七条；《建设工程安全生产管理条例》第四十三条",
            discretion: "按工程风险等级确定抽查频次",
            post: "质监站",
            factors: [4, 3, 3, 4],
            measures: &["岗位教育", "检查人员轮岗", "动态监控"],
            flowchart: BUILDING_CHECK_FLOW,
            fate: Published { days_ago: 40 },
        },
        PowerPlan {
            owner: Dept("ZJ"),
            name: "建筑工地扬尘治理检查",
            power_type: PowerType::Inspection,
            legal_basis: "《中华人民共和国大气污染防治法》第六十九条",
            discretion: "",
            post: "建管科",
            factors: [2, 2, 3, 2],
            measures: &["岗位教育", "动态监控"],
            flowchart: DUST_FLOW,
            fate: Published { days_ago: 39 },
        },
        PowerPlan {
            owner: Dept("MZ"),
            name: "最低生活保障审核确认",
            power_type: PowerType::Benefit,
            legal_basis: "《社会救助暂行办法》第十一条；《江苏省最低生活保障工作规程》",
            discretion: "对家庭经济状况的认定",
            post: "社会救助科",
            factors: [4, 3, 3, 4],
            measures: &["民主评议", "张榜公示", "动态监控", "预警防范"],
            flowchart: DIBAO_FLOW,
            fate: Published { days_ago: 30 },
        },
        PowerPlan {
            owner: Street,
            name: "实际居住证明出具",
            power_type: PowerType::Confirmation,
            legal_basis: "《居住证暂行条例》第九条",
            discretion: "",
            post: "便民服务中心",
            factors: [2, 2, 2, 2],
            measures: &["一次性告知", "岗位教育"],
            flowchart: RESIDENCE_FLOW,
            fate: Published { days_ago: 25 },
        },
        PowerPlan {
            owner: Street,
            name: "临时救助金给付",
            power_type: PowerType::Benefit,
            legal_basis: "《社会救助暂行办法》第四十七条",
            discretion: "在规定标准内确定救助金额",
            post: "社会事业科",
            factors: [3, 3, 3, 3],
            measures: &["张榜公示", "动态监控", "预警防范"],
            flowchart: RELIEF_FLOW,
            fate: Published { days_ago: 24 },
        },
        PowerPlan {
            owner: Street,
            name: "高龄老人尊老金发放",
            power_type: PowerType::Benefit,
            legal_basis: "《江苏省老年人权益保障条例》第二十五条",
            discretion: "",
            post: "社会事业科",
            factors: [2, 1, 2, 2],
            measures: &["数据比对", "岗位教育"],
            flowchart: ELDERLY_FLOW,
            fate: Published { days_ago: 23 },
        },
        PowerPlan {
            owner: Street,
            name: "沿街商户门前三包检查",
            power_type: PowerType::Inspection,
            legal_basis: "《苏州市市容和环境卫生管理条例》第十四条",
            discretion: "",
            post: "城管办",
            factors: [2, 2, 3, 2],
            measures: EDU,
            flowchart: FRONTAGE_FLOW,
            fate: Draft,
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::power_list::{Flowchart, RiskFactors, RiskLevel, RiskSettings};

    #[test]
    fn every_demo_item_is_valid_and_the_levels_are_mixed() {
        let s = RiskSettings::default();
        let mut levels = std::collections::HashSet::new();
        for p in plan() {
            Flowchart::parse(p.flowchart).unwrap_or_else(|e| panic!("{}: {e:?}", p.name));
            if let PowerFate::Changed { flowchart, .. } = p.fate {
                Flowchart::parse(flowchart).unwrap();
            }
            let [a, b, c, d] = p.factors;
            let f = RiskFactors {
                importance: a,
                discretion: b,
                likelihood: c,
                harm: d,
            };
            levels.insert(s.assess(&f).1);
        }
        assert_eq!(levels.len(), 3, "{levels:?}");
        assert!(levels.contains(&RiskLevel::High));
    }
}
