//! Why a power item, its flowchart or the risk settings cannot be accepted, in Chinese and
//! English, naming the field.

use super::{PowerState, PowerType};
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PowerError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    TooMany(&'static str, usize),
    UnknownType(String),
    /// The item number is not 1–9999.
    Number,
    /// Not a department, street or district.
    BadOwner(String),
    /// A risk factor outside 1–5 (its field).
    FactorRange(&'static str),
    /// A weight outside 0–10 (its factor's field).
    WeightRange(&'static str),
    WeightsAllZero,
    /// Thresholds not 0 < medium < high ≤ 100.
    Thresholds,
    WrongState {
        state: PowerState,
        action: &'static str,
    },
    FlowEmpty,
    FlowTooBig(usize),
    FlowSyntax {
        line: usize,
        text: String,
    },
    FlowBadId(String),
    FlowNodeText(String),
    FlowNodeTooLong(String, usize),
    FlowDuplicateNode(String),
    /// Not exactly one start node (how many there are).
    FlowStarts(usize),
    FlowNoEnd,
    FlowDangling {
        from: String,
        to: String,
        missing: String,
    },
    /// A decision without two labelled branches.
    FlowDecision(String),
    /// A node the start does not reach (id, text).
    FlowUnreachable(String, String),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "name" => "事项名称",
        "legal_basis" => "实施依据",
        "discretion" => "自由裁量",
        "post" => "责任岗位",
        "measures" => "防控措施",
        "reason" => "废止理由",
        "importance" | "w_importance" => "重要程度",
        "discretion_level" | "w_discretion" => "自由裁量权大小",
        "likelihood" | "w_likelihood" => "发生概率",
        "harm" | "w_harm" => "危害程度",
        _ => "内容",
    }
}

impl Bilingual for PowerError {
    fn code(&self) -> &'static str {
        use PowerError::*;
        match self {
            Blank(_) => "blank",
            TooLong(..) => "too_long",
            TooMany(..) => "too_many",
            UnknownType(_) => "unknown_power_type",
            Number => "power_item_number",
            BadOwner(_) => "power_list_owner",
            FactorRange(_) => "risk_factor_range",
            WeightRange(_) => "risk_weight_range",
            WeightsAllZero => "risk_weights_zero",
            Thresholds => "risk_thresholds",
            WrongState { .. } => "power_item_state",
            FlowEmpty
            | FlowTooBig(_)
            | FlowSyntax { .. }
            | FlowBadId(_)
            | FlowNodeText(_)
            | FlowNodeTooLong(..)
            | FlowDuplicateNode(_)
            | FlowStarts(_)
            | FlowNoEnd
            | FlowDangling { .. }
            | FlowDecision(_)
            | FlowUnreachable(..) => "invalid_flowchart",
        }
    }

    fn message_zh(&self) -> String {
        use PowerError::*;
        match self {
            Blank(f) => format!("“{}”不能为空", field_zh(f)),
            TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            TooMany(f, n) => format!("“{}”最多 {n} 项", field_zh(f)),
            UnknownType(t) => format!(
                "“{t}”不是权力类型，可选：{}",
                PowerType::ALL
                    .iter()
                    .map(|k| k.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            Number => "事项编号应为 1 至 9999 的整数".into(),
            BadOwner(c) => format!("“{c}”不是部门或街道（乡镇）、区县，社区不编制权力清单"),
            FactorRange(f) => format!("“{}”应为 1 至 5 分", field_zh(f)),
            WeightRange(f) => format!("“{}”的权重应为 0 至 10", field_zh(f)),
            WeightsAllZero => "四项权重不能都为 0".into(),
            Thresholds => "风险阈值应满足 0 < 中风险起点 < 高风险起点 ≤ 100".into(),
            WrongState { state, action } => format!(
                "事项当前为“{}”，不能{}",
                state.zh(),
                match *action {
                    "published" => "公布",
                    "changed" => "修改",
                    "retired" => "废止",
                    _ => "操作",
                }
            ),
            FlowEmpty => "流程图不能为空：至少要有开始和结束".into(),
            FlowTooBig(n) => format!("流程图最多 {n} 个节点"),
            FlowSyntax { line, text } => format!(
                "流程图第 {line} 行“{text}”看不懂：节点写作“开始/步骤/判断/结束 编号 文字 | 岗位 | 时限”，连线写作“编号 -> 编号 : 分支”"
            ),
            FlowBadId(id) => format!("流程图节点编号“{id}”不能为空、含空格或超过 20 个字"),
            FlowNodeText(id) => format!("流程图节点 {id} 没有文字"),
            FlowNodeTooLong(id, n) => {
                format!("流程图节点 {id} 的文字、岗位、时限或分支不能超过 {n} 个字")
            }
            FlowDuplicateNode(id) => format!("流程图节点编号 {id} 重复"),
            FlowStarts(0) => "流程图没有开始节点".into(),
            FlowStarts(n) => format!("流程图只能有一个开始节点，现有 {n} 个"),
            FlowNoEnd => "流程图至少要有一个结束节点".into(),
            FlowDangling { from, to, missing } => {
                format!("流程图连线 {from} -> {to} 指向不存在的节点 {missing}")
            }
            FlowDecision(id) => {
                format!("流程图判断节点 {id} 至少要有两条带分支说明的连线（如 符合/不符合）")
            }
            FlowUnreachable(id, text) => format!("流程图节点 {id}“{text}”从开始节点走不到"),
        }
    }

    fn message_en(&self) -> String {
        use PowerError::*;
        match self {
            Blank(f) => format!("'{f}' must not be blank"),
            TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            TooMany(f, n) => format!("'{f}' holds at most {n} entries"),
            UnknownType(t) => format!(
                "'{t}' is not a power type; one of: {}",
                PowerType::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Number => "the item number is a whole number from 1 to 9999".into(),
            BadOwner(c) => format!(
                "'{c}' is not a department, street or district; a community keeps no power list"
            ),
            FactorRange(f) => format!("'{f}' is scored from 1 to 5"),
            WeightRange(f) => format!("the weight of '{f}' is from 0 to 10"),
            WeightsAllZero => "the four weights must not all be 0".into(),
            Thresholds => "the thresholds must satisfy 0 < medium_from < high_from ≤ 100".into(),
            WrongState { state, action } => {
                format!("the item is {}: it cannot be {action}", state.en())
            }
            FlowEmpty => "the flowchart is empty: it needs at least a start and an end".into(),
            FlowTooBig(n) => format!("a flowchart has at most {n} nodes"),
            FlowSyntax { line, text } => format!(
                "flowchart line {line} '{text}' is not understood: a node is 'start/step/decision/end ID TEXT | POST | LIMIT', an edge 'ID -> ID : LABEL'"
            ),
            FlowBadId(id) => format!(
                "flowchart node id '{id}' must be non-blank, without spaces, at most 20 characters"
            ),
            FlowNodeText(id) => format!("flowchart node {id} has no text"),
            FlowNodeTooLong(id, n) => format!(
                "the text, post, limit or label of flowchart node {id} must be at most {n} characters"
            ),
            FlowDuplicateNode(id) => format!("flowchart node id {id} is used twice"),
            FlowStarts(0) => "the flowchart has no start node".into(),
            FlowStarts(n) => format!("the flowchart has {n} start nodes; it needs exactly one"),
            FlowNoEnd => "the flowchart needs at least one end node".into(),
            FlowDangling { from, to, missing } => format!(
                "flowchart edge {from} -> {to} points to node {missing}, which does not exist"
            ),
            FlowDecision(id) => format!(
                "flowchart decision {id} needs at least two outgoing edges, each with a branch label"
            ),
            FlowUnreachable(id, text) => {
                format!("flowchart node {id} '{text}' cannot be reached from the start")
            }
        }
    }

    fn field(&self) -> Option<String> {
        use PowerError::*;
        let f = match self {
            Blank(f) | TooLong(f, _) | TooMany(f, _) | FactorRange(f) => f,
            WeightRange(f) => {
                return Some(
                    match *f {
                        "importance" => "w_importance",
                        "discretion_level" => "w_discretion",
                        "likelihood" => "w_likelihood",
                        _ => "w_harm",
                    }
                    .into(),
                );
            }
            UnknownType(_) => "power_type",
            Number => "number",
            BadOwner(_) => "owner",
            WeightsAllZero => "weights",
            Thresholds => "thresholds",
            WrongState { .. } => "state",
            _ => "flowchart",
        };
        Some(f.to_string())
    }
}
