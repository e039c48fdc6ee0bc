//! 推诿扯皮: a case passed between departments — dispatched, returned (回退) or redirected
//! (改派) across at least `passed_min_departments` departments, with at least one return or
//! redirection — shown with its chain of moves, oldest first. One finding per case, held by
//! the department it is with now.

use super::{CaseFact, CaseMoves, Evidence, Finding, FindingKind, Move, MoveKind, Settings};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassedEvidence {
    pub chain: Vec<Move>,
    /// The departments the case passed through.
    pub departments: Vec<String>,
    pub returns: u64,
    pub redirects: u64,
}

pub fn find(cases: &[CaseFact], moves: &[CaseMoves], s: &Settings) -> Vec<Finding> {
    let by_id: HashMap<i64, &CaseFact> = cases.iter().map(|c| (c.id, c)).collect();
    let mut out = Vec::new();
    for m in moves {
        let Some(case) = by_id.get(&m.case_id) else {
            continue;
        };
        let mut seen = BTreeSet::new();
        let mut order = Vec::new();
        for d in m.moves.iter().filter_map(|x| x.department.as_deref()) {
            if seen.insert(d) {
                order.push(d.to_string());
            }
        }
        let returns = m
            .moves
            .iter()
            .filter(|x| x.kind == MoveKind::Returned)
            .count() as u64;
        let redirects = m
            .moves
            .iter()
            .filter(|x| x.kind == MoveKind::Redirected)
            .count() as u64;
        if order.len() < s.passed_min_departments as usize || returns + redirects == 0 {
            continue;
        }
        let holder = m
            .moves
            .iter()
            .rev()
            .find(|x| x.kind != MoveKind::Returned)
            .and_then(|x| x.department.clone())
            .or_else(|| case.department.clone());
        out.push(Finding {
            kind: FindingKind::PassedAround,
            key: format!("passed_around/{}", m.case_id),
            place: case.community,
            grid: case.grid,
            category: Some(case.category.clone()),
            department: holder,
            score: (m.moves.len() + order.len()) as f64,
            evidence: Evidence::PassedAround(PassedEvidence {
                chain: m.moves.clone(),
                departments: order,
                returns,
                redirects,
            }),
            cases: vec![m.case_id],
        });
    }
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnosis::test_support::{NOW, case_at, grid};

    fn mv(kind: MoveKind, d: &str, at: i64) -> Move {
        Move {
            kind,
            department: Some(d.into()),
            at,
        }
    }

    #[test]
    fn a_case_returned_and_sent_on_is_passed_around_with_its_chain() {
        let s = Settings::default();
        let cases = vec![
            case_at(1, "road", grid(1), NOW),
            case_at(2, "road", grid(1), NOW),
            case_at(3, "road", grid(1), NOW),
        ];
        let moves = vec![
            CaseMoves {
                case_id: 1,
                moves: vec![
                    mv(MoveKind::Dispatched, "SW", 1),
                    mv(MoveKind::Returned, "SW", 2),
                    mv(MoveKind::Dispatched, "CG", 3),
                ],
            },
            // Dispatched once: no.
            CaseMoves {
                case_id: 2,
                moves: vec![mv(MoveKind::Dispatched, "CG", 1)],
            },
            // Returned and sent back to the same department: one department, no.
            CaseMoves {
                case_id: 3,
                moves: vec![
                    mv(MoveKind::Dispatched, "CG", 1),
                    mv(MoveKind::Returned, "CG", 2),
                    mv(MoveKind::Dispatched, "CG", 3),
                ],
            },
        ];
        let found = find(&cases, &moves, &s);
        assert_eq!(found.len(), 1);
        let f = &found[0];
        assert_eq!(f.cases, vec![1]);
        assert_eq!(f.department.as_deref(), Some("CG"));
        let Evidence::PassedAround(e) = &f.evidence else {
            panic!()
        };
        assert_eq!(e.departments, vec!["SW".to_string(), "CG".to_string()]);
        assert_eq!((e.returns, e.redirects, e.chain.len()), (1, 0, 3));
    }
}
