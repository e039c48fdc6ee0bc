//! The searchable things as index documents: their words, their grants (from the domain) and
//! what a hit shows — names, never codes alone.

use gongzhi_domain::access::inquiry::{PUBLIC, case_grants, org_grants, place_grants};
use gongzhi_search::{Doc, area_prefixes};
use gongzhi_store::{
    AreaRow, CaseEventRow, CaseRow, DepartmentRow, GridRow, Lookups, NoticeRow, PowerItemRow,
};
use std::collections::HashMap;

/// A case: its address as the title; its description and every step's note as the body.
pub fn case(
    row: &CaseRow,
    events: &[CaseEventRow],
    lookups: &Lookups,
    areas: &HashMap<String, String>,
) -> Doc {
    let c = &row.case;
    let category = lookups.categories.get(&c.category);
    let mut categories = vec![c.category.clone()];
    if let Some(parent) = category.and_then(|x| x.parent.clone()) {
        categories.push(parent);
    }
    let mut body = row.description.clone();
    for e in events {
        body.push('\n');
        // Departments and categories by name, as the case's timeline shows them.
        body.push_str(&e.event.zh_named(lookups));
    }
    let community = c.community.as_ref().map(|a| a.as_str().to_string());
    let place = community
        .as_ref()
        .and_then(|code| areas.get(code).cloned())
        .unwrap_or_default();
    Doc {
        kind: "case".into(),
        id: row.id.to_string(),
        // A report from a map point may have no address: the category and ticket name it.
        title: if row.address.trim().is_empty() {
            let name = category.map_or(c.category.as_str(), |x| x.name.as_str());
            format!("{name}（{}）", row.ticket)
        } else {
            row.address.clone()
        },
        body,
        grants: case_grants(
            c.community.as_ref(),
            c.grid.as_ref(),
            c.department.as_deref(),
            c.reporter,
        ),
        areas: community.as_deref().map(area_prefixes).unwrap_or_default(),
        categories,
        state: c.state.as_str().to_string(),
        at: row.reported_at,
        link: format!("/cases/{}", row.id),
        meta: [
            row.ticket.clone(),
            category.map(|x| x.name.clone()).unwrap_or_default(),
            place,
            c.state.zh().to_string(),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · "),
    }
}

pub fn area(a: &AreaRow, areas: &HashMap<String, String>) -> Doc {
    let parent = a
        .parent
        .as_ref()
        .and_then(|p| areas.get(p.as_str()).cloned())
        .unwrap_or_default();
    Doc {
        kind: "place".into(),
        id: a.code.as_str().to_string(),
        title: a.name.clone(),
        body: format!("{} {} {}", a.level.zh(), parent, a.code.as_str()),
        grants: place_grants(&a.code, None),
        areas: area_prefixes(a.code.as_str()),
        link: format!("/areas/{}", a.code.as_str()),
        meta: [a.level.zh(), parent.as_str()].join(" · "),
        ..Default::default()
    }
}

pub fn grid(g: &GridRow, areas: &HashMap<String, String>) -> Doc {
    let community = areas.get(g.community.as_str()).cloned().unwrap_or_default();
    Doc {
        kind: "place".into(),
        id: g.code.as_str().to_string(),
        title: g.name.clone(),
        body: format!("网格 {community} {}", g.code.as_str()),
        grants: place_grants(&g.community, Some(&g.code)),
        areas: area_prefixes(g.community.as_str()),
        link: format!("/grids/{}", g.code.as_str()),
        meta: format!("网格 · {community}"),
        ..Default::default()
    }
}

pub fn department(d: &DepartmentRow) -> Doc {
    Doc {
        kind: "org".into(),
        id: d.code.clone(),
        title: d.name.clone(),
        body: format!("职能部门 {}", d.code),
        grants: org_grants(),
        link: format!("/power?owner=department:{}", d.code),
        meta: "职能部门".into(),
        ..Default::default()
    }
}

/// A published notice (公示): public.
pub fn notice(n: &NoticeRow) -> Doc {
    Doc {
        kind: "notice".into(),
        id: n.id.to_string(),
        title: n.title.clone(),
        body: format!("{}\n{}", n.body, n.subject_text),
        grants: vec![PUBLIC.into()],
        areas: area_prefixes(n.audience.as_str()),
        categories: vec![n.kind.as_str().into()],
        state: n.state.as_str().into(),
        at: n.published_at.unwrap_or(n.created_at),
        link: format!("/c/{}/notices/{}", n.audience.as_str(), n.id),
        meta: format!(
            "{} · {} · {}—{}",
            n.kind.zh(),
            n.audience_name,
            n.from,
            n.until
        ),
    }
}

/// A published power item (阳光示权): public.
pub fn power_item(p: &PowerItemRow) -> Doc {
    Doc {
        kind: "power".into(),
        id: p.id.to_string(),
        title: p.name.clone(),
        body: format!(
            "{}\n{}\n{}\n{}",
            p.owner_name,
            p.legal_basis,
            p.post,
            p.measures.join("、")
        ),
        grants: vec![PUBLIC.into()],
        categories: vec![p.power_type.as_str().into()],
        state: p.state.as_str().into(),
        at: p.published_at.unwrap_or_default(),
        link: format!("/power/items/{}", p.id),
        meta: format!(
            "{} · {} · {}",
            p.owner_name,
            p.power_type.zh(),
            p.risk_level.zh()
        ),
        ..Default::default()
    }
}
