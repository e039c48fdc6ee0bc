//! The scopes an administrator chooses from, by name: the whole city, self, every area (in code
//! order, so a district is followed by its streets and communities), every department and,
//! while they are few enough for one list, every grid. Forms never ask for a typed code.

use crate::grid_index::Places;
use crate::i18n::Lang;
use gongzhi_domain::access::Scope;
use gongzhi_store::{Lookups, scope_to_db};

/// Beyond this many grids the list would not be usable; a grid scope is then typed as its code.
const MAX_GRID_CHOICES: usize = 3_000;

pub struct ScopeGroup {
    pub label: &'static str,
    /// (value as the form posts it, name shown)
    pub choices: Vec<(String, String)>,
}

pub struct ScopeChoices {
    pub groups: Vec<ScopeGroup>,
    /// There are too many grids to list: a grid scope is typed as `grid:<code>`.
    pub grids_typed: bool,
}

pub fn scope_choices(t: Lang, lookups: Option<&Lookups>, places: Option<&Places>) -> ScopeChoices {
    let mut groups = vec![ScopeGroup {
        label: t.s("通用", "General"),
        choices: vec![
            (
                scope_to_db(&Scope::All),
                t.s("全市", "Whole city").to_string(),
            ),
            (
                scope_to_db(&Scope::SelfOnly),
                t.s("本人（居民）", "Self (residents)").to_string(),
            ),
        ],
    }];
    let mut grids_typed = false;
    if let Some(p) = places {
        let mut areas: Vec<_> = p.areas().collect();
        areas.sort_by_key(|a| a.code.to_string());
        groups.push(ScopeGroup {
            label: t.s("行政区划", "Areas"),
            choices: areas
                .into_iter()
                .map(|a| {
                    let parent = a
                        .parent
                        .and_then(|c| p.area(&c))
                        .map(|r| format!("{} · ", r.name))
                        .unwrap_or_default();
                    (
                        scope_to_db(&Scope::Area(a.code)),
                        format!("{parent}{}", a.name),
                    )
                })
                .collect(),
        });
        let mut grids: Vec<_> = p.grids().collect();
        if grids.len() <= MAX_GRID_CHOICES {
            grids.sort_by_key(|g| g.code.to_string());
            groups.push(ScopeGroup {
                label: t.s("网格", "Grids"),
                choices: grids
                    .into_iter()
                    .map(|g| (scope_to_db(&Scope::Grid(g.code)), g.name.clone()))
                    .collect(),
            });
        } else {
            grids_typed = true;
        }
    }
    if let Some(l) = lookups {
        let mut departments: Vec<_> = l.departments.values().collect();
        departments.sort_by(|a, b| a.code.cmp(&b.code));
        groups.push(ScopeGroup {
            label: t.s("职能部门", "Departments"),
            choices: departments
                .into_iter()
                .map(|d| {
                    (
                        scope_to_db(&Scope::Department(d.code.clone())),
                        d.name.clone(),
                    )
                })
                .collect(),
        });
    }
    ScopeChoices {
        groups,
        grids_typed,
    }
}
