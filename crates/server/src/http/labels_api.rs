//! The domain's label dictionary: every command, state, channel, role, satisfaction level and
//! whistle part state with its Chinese and English name. Public, so that a third-party client
//! (and our browser walk, which scans pages for codes) shows names without copying our tables.

use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::Role;
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};
use gongzhi_domain::party::find::{MatchStrength, RegistrationState};
use gongzhi_domain::party::units::HollowSign;
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel, UnitKind};
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
    org_levels: Group,
    org_kinds: Group,
    member_statuses: Group,
    unit_kinds: Group,
    registration_states: Group,
    hollow_signs: Group,
    match_strengths: Group,
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
        org_levels: group(OrgLevel::ALL.iter().map(|s| (s.as_str(), s.zh(), s.en()))),
        org_kinds: group(OrgKind::ALL.iter().map(|s| (s.as_str(), s.zh(), s.en()))),
        member_statuses: group(
            MemberStatus::ALL
                .iter()
                .map(|s| (s.as_str(), s.zh(), s.en())),
        ),
        unit_kinds: group(UnitKind::ALL.iter().map(|s| (s.as_str(), s.zh(), s.en()))),
        registration_states: group(
            RegistrationState::ALL
                .iter()
                .map(|s| (s.as_str(), s.zh(), s.en())),
        ),
        hollow_signs: group(HollowSign::ALL.iter().map(|s| (s.as_str(), s.zh(), s.en()))),
        match_strengths: group(
            MatchStrength::ALL
                .iter()
                .map(|s| (s.as_str(), s.zh(), s.en())),
        ),
    })
}
