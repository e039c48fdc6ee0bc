//! The domain's label dictionary: every command, state, channel, role, satisfaction level and
//! whistle part state with its Chinese and English name. Public, so that a third-party client
//! (and our browser walk, which scans pages for codes) shows names without copying our tables.

use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::access::Role;
use gongzhi_domain::assessment::Alert;
use gongzhi_domain::cadre_roster::{CadrePost, Education};
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};
use gongzhi_domain::cobuild::{CommitmentStatus, Rating as CoBuildRating};
use gongzhi_domain::deliberation as delib;
use gongzhi_domain::notice_board::{NoticeKind, NoticeState};
use gongzhi_domain::party::find::{MatchStrength, RegistrationState};
use gongzhi_domain::party::five_steps::{ActivityKind, Step, StepStatus};
use gongzhi_domain::party::meetings::MeetingKind;
use gongzhi_domain::party::units::HollowSign;
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel, UnitKind};
use gongzhi_domain::red_grid::{GridRoleKind, MediationOutcome, VisitPurpose};
use gongzhi_domain::services::{CentreKind, HouseholdTag, OrderState};
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
    meeting_kinds: Group,
    five_steps: Group,
    step_statuses: Group,
    activity_kinds: Group,
    /// 党员考核预警 (member assessment alerts).
    assessment_alerts: Group,
    /// 学历 (the cadre roster's education levels).
    education: Group,
    /// 社区干部职务 (the cadre roster's posts).
    cadre_posts: Group,
    unit_kinds: Group,
    registration_states: Group,
    hollow_signs: Group,
    match_strengths: Group,
    /// 网格长 / 网格指导员 / 红色网格员.
    grid_roles: Group,
    /// What a red grid member's visit was for.
    visit_purposes: Group,
    /// How a mediation ended.
    mediation_outcomes: Group,
    /// 七中心: the seven kinds of service centre.
    centre_kinds: Group,
    /// 独居老人, 困难户 …: what a household is known for, as services read it.
    household_tags: Group,
    /// Where a service order (点菜) stands.
    service_order_states: Group,
    /// 公示 kinds and states.
    notice_kinds: Group,
    notice_states: Group,
    /// A co-build commitment's standing, and the community's ratings.
    commitment_statuses: Group,
    cobuild_ratings: Group,
    /// 有事好商量: topics, meetings, motions and resolution items.
    topic_categories: Group,
    topic_statuses: Group,
    topic_raisers: Group,
    deliberation_meeting_kinds: Group,
    deliberation_meeting_statuses: Group,
    deliberation_parties: Group,
    voting_bases: Group,
    majorities: Group,
    vote_choices: Group,
    motion_statuses: Group,
    resolution_item_kinds: Group,
    resolution_item_states: Group,
}

/// The labels of a `labelled_enum!` type.
macro_rules! labelled {
    ($t:ty) => {
        group(<$t>::ALL.iter().map(|v| (v.as_str(), v.zh(), v.en())))
    };
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
        org_levels: labelled!(OrgLevel),
        org_kinds: labelled!(OrgKind),
        member_statuses: labelled!(MemberStatus),
        meeting_kinds: labelled!(MeetingKind),
        five_steps: labelled!(Step),
        step_statuses: labelled!(StepStatus),
        activity_kinds: labelled!(ActivityKind),
        assessment_alerts: group(Alert::ALL.iter().map(|a| (a.as_str(), a.zh(), a.en()))),
        education: group(Education::ALL.iter().map(|e| (e.as_str(), e.zh(), e.en()))),
        cadre_posts: group(CadrePost::ALL.iter().map(|p| (p.as_str(), p.zh(), p.en()))),
        unit_kinds: labelled!(UnitKind),
        registration_states: labelled!(RegistrationState),
        hollow_signs: labelled!(HollowSign),
        match_strengths: labelled!(MatchStrength),
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
        centre_kinds: labelled!(CentreKind),
        household_tags: labelled!(HouseholdTag),
        service_order_states: labelled!(OrderState),
        notice_kinds: labelled!(NoticeKind),
        notice_states: labelled!(NoticeState),
        commitment_statuses: labelled!(CommitmentStatus),
        cobuild_ratings: labelled!(CoBuildRating),
        topic_categories: labelled!(delib::TopicCategory),
        topic_statuses: labelled!(delib::TopicStatus),
        topic_raisers: labelled!(delib::RaiserKind),
        deliberation_meeting_kinds: labelled!(delib::MeetingKind),
        deliberation_meeting_statuses: labelled!(delib::MeetingStatus),
        deliberation_parties: labelled!(delib::Party),
        voting_bases: labelled!(delib::VotingBasis),
        majorities: labelled!(delib::Majority),
        vote_choices: labelled!(delib::VoteChoice),
        motion_statuses: labelled!(delib::MotionStatus),
        resolution_item_kinds: labelled!(delib::ItemKind),
        resolution_item_states: labelled!(delib::ItemState),
    })
}
