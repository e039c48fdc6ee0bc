//! 权力运行流程图 kept as data: nodes (one start, steps with an optional post and time limit,
//! decisions, ends) and edges (from, to, an optional branch label such as 符合/不符合).
//!
//! Its text form, typed on the page and in the import's 流程图 column, is one line per node
//! and per edge (lines may also be separated by `;` or `；`, so a spreadsheet cell holds it):
//!
//! ```text
//! 开始 A 受理申请
//! 步骤 B 审查材料 | 审批岗 | 3个工作日
//! 判断 C 是否符合条件
//! 结束 D 准予许可
//! 结束 E 不予许可
//! A -> B
//! B -> C
//! C -> D : 符合
//! C -> E : 不符合
//! ```
//!
//! A node line is `KIND ID TEXT [| POST [| TIME LIMIT]]` with KIND one of 开始/步骤/判断/结束
//! (or start/step/decision/end); an edge line is `FROM -> TO [: LABEL]` (`→` and `：` too).
//! [`Flowchart::checked`] refuses a chart without exactly one start, without an end, with a
//! node the start does not reach, a decision without two labelled branches, or an edge to a
//! node that does not exist.

use super::PowerError;
use crate::labelled_enum;
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet, VecDeque};

pub const MAX_NODES: usize = 60;
const MAX_ID: usize = 20;
const MAX_NODE_TEXT: usize = 60;

labelled_enum! {
    pub enum NodeKind {
        Start = ("start", "开始", "Start"),
        Step = ("step", "步骤", "Step"),
        Decision = ("decision", "判断", "Decision"),
        End = ("end", "结束", "End"),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowNode {
    pub id: String,
    pub kind: NodeKind,
    pub text: String,
    /// The responsible post of a step (责任岗位), or empty.
    #[serde(default)]
    pub post: String,
    /// Its time limit (办理时限), as written, or empty.
    #[serde(default)]
    pub limit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlowEdge {
    pub from: String,
    pub to: String,
    /// The branch label of a decision's edge (符合 / 不符合), or empty.
    #[serde(default)]
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Flowchart {
    pub nodes: Vec<FlowNode>,
    pub edges: Vec<FlowEdge>,
}

fn edge_parts(line: &str) -> Option<(&str, &str)> {
    line.split_once("->").or_else(|| line.split_once('→'))
}

impl Flowchart {
    /// Parses the text form (see the module) and checks the chart.
    pub fn parse(text: &str) -> Result<Flowchart, PowerError> {
        let mut chart = Flowchart::default();
        let lines = text
            .split(['\n', ';', '；'])
            .map(str::trim)
            .filter(|l| !l.is_empty());
        for (i, line) in lines.enumerate() {
            let n = i + 1;
            let bad = || PowerError::FlowSyntax {
                line: n,
                text: line.chars().take(40).collect(),
            };
            if let Some((from, rest)) = edge_parts(line) {
                let (to, label) = match rest.split_once([':', '：']) {
                    Some((to, label)) => (to.trim(), label.trim()),
                    None => (rest.trim(), ""),
                };
                let from = from.trim();
                if from.is_empty() || to.is_empty() || to.contains(char::is_whitespace) {
                    return Err(bad());
                }
                chart.edges.push(FlowEdge {
                    from: from.into(),
                    to: to.into(),
                    label: label.into(),
                });
                continue;
            }
            let mut words = line.splitn(3, char::is_whitespace);
            let kind = words.next().and_then(NodeKind::parse).ok_or_else(bad)?;
            let id = words.next().map(str::trim).filter(|s| !s.is_empty());
            let rest = words.next().map(str::trim).filter(|s| !s.is_empty());
            let (Some(id), Some(rest)) = (id, rest) else {
                return Err(bad());
            };
            let mut parts = rest.split(['|', '｜']).map(str::trim);
            chart.nodes.push(FlowNode {
                id: id.into(),
                kind,
                text: parts.next().unwrap_or("").into(),
                post: parts.next().unwrap_or("").into(),
                limit: parts.next().unwrap_or("").into(),
            });
        }
        chart.checked()
    }

    /// The text form, which parses back to the same chart.
    pub fn to_text(&self) -> String {
        let mut out = Vec::new();
        for n in &self.nodes {
            let mut line = format!("{} {} {}", n.kind.zh(), n.id, n.text);
            if !n.post.is_empty() || !n.limit.is_empty() {
                line.push_str(&format!(" | {}", n.post));
            }
            if !n.limit.is_empty() {
                line.push_str(&format!(" | {}", n.limit));
            }
            out.push(line);
        }
        for e in &self.edges {
            if e.label.is_empty() {
                out.push(format!("{} -> {}", e.from, e.to));
            } else {
                out.push(format!("{} -> {} : {}", e.from, e.to, e.label));
            }
        }
        out.join("\n")
    }

    pub fn node(&self, id: &str) -> Option<&FlowNode> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn start(&self) -> Option<&FlowNode> {
        self.nodes.iter().find(|n| n.kind == NodeKind::Start)
    }

    /// Node ids in breadth-first order from the start, with their distance (the drawing's
    /// layer).
    pub fn layers(&self) -> Vec<(String, usize)> {
        let Some(start) = self.start() else {
            return Vec::new();
        };
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut order = Vec::new();
        let mut queue = VecDeque::from([(start.id.as_str(), 0usize)]);
        seen.insert(&start.id, 0);
        while let Some((id, d)) = queue.pop_front() {
            order.push((id.to_string(), d));
            for e in self.edges.iter().filter(|e| e.from == id) {
                if !seen.contains_key(e.to.as_str()) {
                    seen.insert(&e.to, d + 1);
                    queue.push_back((&e.to, d + 1));
                }
            }
        }
        order
    }

    /// The chart's rules (see the module); the first problem found, naming it.
    pub fn checked(self) -> Result<Flowchart, PowerError> {
        if self.nodes.is_empty() {
            return Err(PowerError::FlowEmpty);
        }
        if self.nodes.len() > MAX_NODES {
            return Err(PowerError::FlowTooBig(MAX_NODES));
        }
        let mut ids = HashSet::new();
        for n in &self.nodes {
            if n.id.is_empty()
                || n.id.chars().count() > MAX_ID
                || n.id.contains(char::is_whitespace)
            {
                return Err(PowerError::FlowBadId(n.id.clone()));
            }
            if n.text.trim().is_empty() {
                return Err(PowerError::FlowNodeText(n.id.clone()));
            }
            if [&n.text, &n.post, &n.limit]
                .iter()
                .any(|t| t.chars().count() > MAX_NODE_TEXT)
            {
                return Err(PowerError::FlowNodeTooLong(n.id.clone(), MAX_NODE_TEXT));
            }
            if !ids.insert(n.id.as_str()) {
                return Err(PowerError::FlowDuplicateNode(n.id.clone()));
            }
        }
        let starts = self
            .nodes
            .iter()
            .filter(|n| n.kind == NodeKind::Start)
            .count();
        if starts != 1 {
            return Err(PowerError::FlowStarts(starts));
        }
        if !self.nodes.iter().any(|n| n.kind == NodeKind::End) {
            return Err(PowerError::FlowNoEnd);
        }
        for e in &self.edges {
            for end in [&e.from, &e.to] {
                if !ids.contains(end.as_str()) {
                    return Err(PowerError::FlowDangling {
                        from: e.from.clone(),
                        to: e.to.clone(),
                        missing: end.clone(),
                    });
                }
            }
            if e.label.chars().count() > MAX_NODE_TEXT {
                return Err(PowerError::FlowNodeTooLong(e.from.clone(), MAX_NODE_TEXT));
            }
        }
        for n in self.nodes.iter().filter(|n| n.kind == NodeKind::Decision) {
            let out: Vec<&FlowEdge> = self.edges.iter().filter(|e| e.from == n.id).collect();
            if out.len() < 2 || out.iter().any(|e| e.label.trim().is_empty()) {
                return Err(PowerError::FlowDecision(n.id.clone()));
            }
        }
        let reached: HashSet<String> = self.layers().into_iter().map(|(id, _)| id).collect();
        if let Some(n) = self.nodes.iter().find(|n| !reached.contains(&n.id)) {
            return Err(PowerError::FlowUnreachable(n.id.clone(), n.text.clone()));
        }
        Ok(self)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::Bilingual;

    pub(crate) const LICENCE: &str = "开始 A 受理申请 | 窗口受理岗 | 当场
步骤 B 审查材料 | 审批岗 | 3个工作日
判断 C 是否符合条件
结束 D 准予许可
步骤 E 一次性告知补正 | 窗口受理岗
结束 F 不予许可并说明理由
A -> B; B -> C
C -> D : 符合
C -> E ： 材料不全
C -> F : 不符合
E -> B";

    #[test]
    fn a_flowchart_parses_and_round_trips() {
        let c = Flowchart::parse(LICENCE).unwrap();
        assert_eq!(c.nodes.len(), 6);
        assert_eq!(c.edges.len(), 6);
        assert_eq!(c.node("A").unwrap().post, "窗口受理岗");
        assert_eq!(c.node("B").unwrap().limit, "3个工作日");
        assert_eq!(c.edges[3].label, "材料不全");
        assert_eq!(Flowchart::parse(&c.to_text()).unwrap(), c);
        let layers = c.layers();
        assert_eq!(layers[0], ("A".to_string(), 0));
        assert!(layers.contains(&("F".to_string(), 3)));
    }

    fn refused(text: &str) -> PowerError {
        Flowchart::parse(text).unwrap_err()
    }

    #[test]
    fn invalid_flowcharts_are_refused_naming_the_problem() {
        assert_eq!(refused(""), PowerError::FlowEmpty);
        assert_eq!(
            refused("开始 A 受理\n开始 B 再受理\n结束 C 办结\nA -> C\nB -> C"),
            PowerError::FlowStarts(2)
        );
        assert_eq!(
            refused("步骤 A 受理\n结束 C 办结\nA -> C"),
            PowerError::FlowStarts(0)
        );
        assert_eq!(
            refused("开始 A 受理\n步骤 B 审查\nA -> B"),
            PowerError::FlowNoEnd
        );
        let e = refused("开始 A 受理\n结束 C 办结\nA -> X");
        assert_eq!(
            e,
            PowerError::FlowDangling {
                from: "A".into(),
                to: "X".into(),
                missing: "X".into()
            }
        );
        assert!(e.message_zh().contains("X") && e.message_en().contains("does not exist"));
        let e = refused("开始 A 受理\n结束 C 办结\n步骤 B 孤立的步骤\nA -> C");
        assert_eq!(
            e,
            PowerError::FlowUnreachable("B".into(), "孤立的步骤".into())
        );
        assert!(e.message_zh().contains("孤立的步骤"));
        assert_eq!(
            refused("开始 A 受理\n判断 B 是否符合\n结束 C 办结\nA -> B\nB -> C : 符合"),
            PowerError::FlowDecision("B".into())
        );
        assert_eq!(
            refused("开始 A 受理\n判断 B 是否符合\n结束 C 办结\nA -> B\nB -> C : 符合\nB -> A"),
            PowerError::FlowDecision("B".into())
        );
        assert_eq!(
            refused("开始 A 受理\n结束 A 办结"),
            PowerError::FlowDuplicateNode("A".into())
        );
        assert!(matches!(
            refused("开始 A 受理\n流程 B 办结"),
            PowerError::FlowSyntax { line: 2, .. }
        ));
        assert!(Flowchart::parse("开始 A 受理；结束 B 办结；A → B").is_ok());
        assert_eq!(
            refused("开始 A 受理\n结束 B\nA -> B").field().as_deref(),
            Some("flowchart")
        );
    }
}
