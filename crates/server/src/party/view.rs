//! What the pages and the API show of the stored records: the tree in reading order with each
//! organisation's size over its subtree and the rules' warnings, units with their hollow
//! signs and the coverage they give.

use super::{rules, today};
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::org::{OrgRules, size_warnings, subtree_sizes, tree_order};
use gongzhi_domain::party::units::{
    Coverage, HollowRules, HollowSign, UnitTally, coverage, hollow_signs,
};
use gongzhi_domain::party::{OrgSize, OrgWarning};
use gongzhi_store::party::{OrgFilter, OrgRow, UnitFilter, UnitRow};
use serde::Serialize;

/// A rule's warning or a hollow sign, in both languages.
#[derive(Clone, Debug, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub message: String,
    pub message_en: String,
}

impl From<OrgWarning> for Note {
    fn from(w: OrgWarning) -> Note {
        Note {
            code: w.code(),
            message: w.zh(),
            message_en: w.en(),
        }
    }
}

impl From<HollowSign> for Note {
    fn from(s: HollowSign) -> Note {
        Note {
            code: s.as_str(),
            message: s.zh().into(),
            message_en: s.en().into(),
        }
    }
}

/// An organisation in the tree.
#[derive(Clone, Debug, Serialize)]
pub struct OrgNode {
    #[serde(flatten)]
    pub row: OrgRow,
    /// 0 for a root of the caller's view.
    pub depth: usize,
    /// Members of it and of every organisation under it.
    pub size: OrgSize,
    pub warnings: Vec<Note>,
}

impl OrgNode {
    /// Indentation on the page, in em.
    pub fn indent(&self) -> usize {
        self.depth * 2
    }
}

/// The tree the caller sees inside `area`, in reading order, with warnings.
pub async fn tree(
    st: &AppState,
    area: Option<AreaCode>,
    include_dissolved: bool,
) -> ApiResult<Vec<OrgNode>> {
    let rules = rules(st).await?;
    let rows = st
        .store
        .orgs(&OrgFilter {
            area,
            include_dissolved,
        })
        .await?;
    Ok(nodes(rows, &rules))
}

pub fn nodes(rows: Vec<OrgRow>, rules: &OrgRules) -> Vec<OrgNode> {
    let direct: Vec<_> = rows
        .iter()
        .map(|o| (o.id, o.record.parent, o.direct))
        .collect();
    let sizes = subtree_sizes(&direct);
    let order = tree_order(
        &rows
            .iter()
            .map(|o| (o.id, o.record.parent))
            .collect::<Vec<_>>(),
    );
    let mut slots: Vec<Option<OrgRow>> = rows.into_iter().map(Some).collect();
    order
        .into_iter()
        .filter_map(|(i, depth)| {
            let row = slots[i].take()?;
            let size = sizes.get(&row.id).copied().unwrap_or_default();
            let warnings = if row.dissolved() {
                Vec::new()
            } else {
                size_warnings(row.record.level, row.record.has_committee, size, rules)
                    .into_iter()
                    .map(Note::from)
                    .collect()
            };
            Some(OrgNode {
                row,
                depth,
                size,
                warnings,
            })
        })
        .collect()
}

/// A unit with its organisation's signs of being hollow.
#[derive(Clone, Debug, Serialize)]
pub struct UnitView {
    #[serde(flatten)]
    pub row: UnitRow,
    /// Meetings its organisation held in the last twelve months; `null` when meetings are
    /// not recorded in this installation.
    pub meetings: Option<i64>,
    pub hollow: Vec<Note>,
}

/// Units inside the area with hollow signs, and the coverage they give.
pub async fn units(st: &AppState, f: &UnitFilter) -> ApiResult<(Vec<UnitView>, Vec<Coverage>)> {
    let rows = st.store.units(f).await?;
    let held = st.store.meetings_held_since(today().add_days(-365)).await?;
    let rules = HollowRules::default();
    let views: Vec<UnitView> = rows
        .into_iter()
        .map(|row| {
            let meetings = match (&held, row.record.org) {
                (Some(m), Some(o)) => Some(m.get(&o).copied().unwrap_or(0)),
                _ => None,
            };
            let hollow = if row.record.org.is_some() {
                hollow_signs(row.org_members, meetings, row.org_dissolved, &rules)
                    .into_iter()
                    .map(Note::from)
                    .collect()
            } else {
                Vec::new()
            };
            UnitView {
                row,
                meetings,
                hollow,
            }
        })
        .collect();
    let tallies: Vec<UnitTally> = views
        .iter()
        .map(|u| UnitTally {
            community: u.row.record.community,
            kind: u.row.record.kind,
            covered: u.row.record.org.is_some() && !u.row.org_dissolved,
            hollow: !u.hollow.is_empty(),
        })
        .collect();
    Ok((views, coverage(&tallies)))
}

/// The party organisation's work on the home page: registrations waiting for the community
/// (找组织) and organisations the rules flag. Empty for callers who keep no party records.
pub async fn work_tiles(
    st: &AppState,
    user: &crate::auth::User,
) -> ApiResult<Vec<crate::cases::work::Tile>> {
    let Ok(area) = super::party_area(user) else {
        return Ok(Vec::new());
    };
    let waiting = st
        .store
        .registrations(&gongzhi_store::party::RegistrationFilter {
            area,
            state: Some(gongzhi_domain::party::find::RegistrationState::Pending),
            account: None,
        })
        .await?
        .len() as i64;
    let flagged = tree(st, area, false)
        .await?
        .iter()
        .filter(|n| !n.warnings.is_empty())
        .count() as i64;
    Ok(vec![
        crate::cases::work::Tile {
            key: "party_registrations",
            zh: "待确认的找组织登记",
            en: "Registrations to confirm",
            count: waiting,
            href: "/party/find".into(),
            alert: waiting > 0,
        },
        crate::cases::work::Tile {
            key: "party_warnings",
            zh: "需关注的党组织",
            en: "Organisations flagged by the rules",
            count: flagged,
            href: "/party".into(),
            alert: false,
        },
    ])
}
