//! The co-build figures of a scorecard: per department (the department's own scorecard) or per
//! community, over the contracts the caller lists, as of a day. Added beside the case figures,
//! never mixed into them.

use super::scope;
use crate::auth::User;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::cobuild::{CoBuildFigures, FigureInput, tally};
use gongzhi_store::CommitmentRow;
use serde::Serialize;
use std::collections::BTreeMap;

/// How the figures are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FiguresBy {
    Department,
    Community,
}

impl FiguresBy {
    pub fn parse(s: &str) -> Option<FiguresBy> {
        match s.trim() {
            "department" | "" => Some(FiguresBy::Department),
            "community" => Some(FiguresBy::Community),
            _ => None,
        }
    }
}

/// One department's or community's co-build figures.
#[derive(Clone, Debug, Serialize)]
pub struct CoBuildScore {
    /// Department code or community area code.
    pub key: String,
    pub label: String,
    pub as_of: String,
    #[serde(flatten)]
    pub figures: CoBuildFigures,
}

/// Groups `rows` by `by` and tallies each group as of `as_of`.
pub fn group(rows: &[CommitmentRow], by: FiguresBy, as_of: Date) -> Vec<CoBuildScore> {
    let mut groups: BTreeMap<String, (String, Vec<FigureInput>)> = BTreeMap::new();
    for c in rows {
        let (key, label) = match by {
            FiguresBy::Department => (c.department.clone(), c.department_name.clone()),
            FiguresBy::Community => (c.community.to_string(), c.community_name.clone()),
        };
        groups
            .entry(key)
            .or_insert_with(|| (label, Vec::new()))
            .1
            .push(FigureInput {
                due_on: c.due_on,
                delivered_on: c.delivered_on,
                rating: c.rating,
            });
    }
    groups
        .into_iter()
        .map(|(key, (label, items))| CoBuildScore {
            key,
            label,
            as_of: as_of.to_string(),
            figures: tally(items, as_of),
        })
        .collect()
}

/// The caller's co-build figures grouped by `by` as of `as_of`; `None` when the policy lists no
/// contracts to the caller (a grid worker's scorecard has no co-build part).
pub async fn figures(
    st: &AppState,
    user: &User,
    by: FiguresBy,
    as_of: Date,
) -> ApiResult<Option<Vec<CoBuildScore>>> {
    let Ok(f) = scope(user) else {
        return Ok(None);
    };
    let rows = st.store.commitments(&f).await?;
    Ok(Some(group(&rows, by, as_of)))
}

/// The scorecard's table: header and one row per group.
pub fn table_rows(scores: &[CoBuildScore]) -> Vec<Vec<String>> {
    let pct = |v: Option<f64>| v.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"));
    scores
        .iter()
        .map(|s| {
            let f = &s.figures;
            vec![
                s.label.clone(),
                f.commitments.to_string(),
                f.due.to_string(),
                f.delivered_on_time.to_string(),
                f.delivered_late.to_string(),
                f.overdue.to_string(),
                f.due_soon.to_string(),
                pct(f.on_time_rate),
                f.rated.to_string(),
                pct(f.satisfaction_rate),
            ]
        })
        .collect()
}

pub const TABLE_HEAD: [(&str, &str); 9] = [
    ("承诺事项", "Commitments"),
    ("已到期", "Due"),
    ("按期履约", "On time"),
    ("逾期履约", "Late"),
    ("逾期未履约", "Overdue"),
    ("即将到期", "Due soon"),
    ("按期履约率", "On-time rate"),
    ("已评价", "Rated"),
    ("满意率", "Satisfaction"),
];
