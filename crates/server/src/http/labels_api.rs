//! The domain's label dictionary: every command, state, channel, role, satisfaction level and
//! whistle part state with its Chinese and English name. Public, so that a third-party client
//! (and our browser walk, which scans pages for codes) shows names without copying our tables.

use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::Role;
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};
use gongzhi_domain::red_grid::{GridRoleKind, MediationOutcome, VisitPurpose};
use serde::Serialize;
use std::collections::BTreeMap;

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/api/v1/labels", get(labels))
}

#[derive(Serialize)]
struct Label {
    zh: &'static str,
    en: &'static str,
}

type Group = BTreeMap<&'static str, Label>;

#[derive(Serialize)]
struct Labels {
    commands: Group,
    states: Group,
    channels: Group,
    roles: Group,
    satisfaction: Group,
    part_states: Group,
    /// 网格长 / 网格指导员 / 红色网格员.
    grid_roles: Group,
    /// What a red grid member's visit was for.
    visit_purposes: Group,
    /// How a mediation ended.
    mediation_outcomes: Group,
}

fn group(items: impl IntoIterator<Item = (&'static str, &'static str, &'static str)>) -> Group {
    items
        .into_iter()
        .map(|(code, zh, en)| (code, Label { zh, en }))
        .collect()
}

async fn labels() -> Json<Labels> {
    Json(Labels {
        commands: group(CommandKind::ALL.map(|k| (k.as_str(), k.zh(), k.label_en()))),
        states: group(CaseState::ALL.map(|s| (s.as_str(), s.zh(), s.label_en()))),
        channels: group(Channel::ALL.map(|c| (c.as_str(), c.zh(), c.en()))),
        roles: group(Role::ALL.map(|r| (r.as_str(), r.zh(), r.en()))),
        satisfaction: group(Satisfaction::ALL.map(|s| (s.as_str(), s.zh(), s.en()))),
        part_states: group(PartState::ALL.map(|s| (s.as_str(), s.zh(), s.en()))),
        grid_roles: group(
            GridRoleKind::ALL
                .iter()
                .map(|k| (k.as_str(), k.zh(), k.en())),
        ),
        visit_purposes: group(
            VisitPurpose::ALL
                .iter()
                .map(|p| (p.as_str(), p.zh(), p.en())),
        ),
        mediation_outcomes: group(
            MediationOutcome::ALL
                .iter()
                .map(|o| (o.as_str(), o.zh(), o.en())),
        ),
    })
}
