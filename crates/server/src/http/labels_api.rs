//! The domain's label dictionary: every command, state, channel, role, satisfaction level and
//! whistle part state with its Chinese and English name. Public, so that a third-party client
//! (and our browser walk, which scans pages for codes) shows names without copying our tables.

use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::Role;
use gongzhi_domain::assessment::Alert;
use gongzhi_domain::cadre_roster::{CadrePost, Education};
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};
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
    /// 党员考核预警 (member assessment alerts).
    assessment_alerts: Group,
    /// 学历 (the cadre roster's education levels).
    education: Group,
    /// 社区干部职务 (the cadre roster's posts).
    cadre_posts: Group,
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
        assessment_alerts: group(Alert::ALL.iter().map(|a| (a.as_str(), a.zh(), a.en()))),
        education: group(Education::ALL.iter().map(|e| (e.as_str(), e.zh(), e.en()))),
        cadre_posts: group(CadrePost::ALL.iter().map(|p| (p.as_str(), p.zh(), p.en()))),
    })
}
