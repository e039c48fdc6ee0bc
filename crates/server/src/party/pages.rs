//! The party organisation's pages: the tree with the rules' warnings (`/party`), one
//! organisation (`/party/orgs/{id}`), members (`/party/members`, `/party/members/{id}`), units
//! in the area and their coverage (`/party/units`), 双找 (`/party/find`), a member's own
//! registration (`/party/register`) and compounds (`/compounds`). Every form posts to
//! `/party/act` and comes back to its page with a success message.

use super::api::{
    CompoundQuery, FoundQuery, MemberQuery, RegistrationQuery, UnitQuery, compound_filter,
    found_for, member_detail, member_filter, registrations_for, unit_filter,
};
use super::ops::{self, *};
use super::view::{self, OrgNode, UnitView};
use super::{compound_area, party_area, sees, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::http::place_choices::{PlaceChoices, place_choices};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{Action, Region, Target, visible_region};
use gongzhi_domain::party::find::RegistrationState;
use gongzhi_domain::party::units::Coverage;
use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel, UnitKind};
use gongzhi_store::party::{
    CompoundFindCount, CompoundRow, MatchRow, MemberFilter, MemberRow, PartyResidentRow,
    RegistrationRow,
};
use gongzhi_store::{CommunityCheckInRow, Page, SecondmentFilter};
use serde::Deserialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/party", get(tree_page))
        .route("/party/orgs/{id}", get(org_page))
        .route("/party/members", get(members_page))
        .route("/party/members/{id}", get(member_page))
        .route("/party/units", get(units_page))
        .route("/party/find", get(find_page))
        .route("/party/register", get(register_page))
        .route("/party/act", post(act))
        .route("/compounds", get(compounds_page))
}

/// Names of areas by code, for what the pages show.
fn area_names(st: &AppState) -> HashMap<String, String> {
    st.grids
        .places()
        .as_deref()
        .map(|p| {
            p.areas()
                .map(|a| (a.code.to_string(), a.name.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// The areas and grids the caller's forms and filters offer.
fn choices(st: &AppState, user: &User) -> PlaceChoices {
    let region = match party_area(user) {
        Ok(None) => Region::Everything,
        Ok(Some(a)) => Region::Area(a),
        Err(_) => visible_region(&user.principal()),
    };
    place_choices(st.grids.places().as_deref(), &region)
}

/// Communities only (a member lives in one, a unit stands in one).
fn communities(places: &PlaceChoices) -> Vec<(String, String)> {
    places
        .areas
        .iter()
        .filter(|(code, _)| {
            gongzhi_domain::codes::AreaCode::parse(code)
                .is_ok_and(|a| a.level() == gongzhi_domain::codes::AreaLevel::Community)
        })
        .cloned()
        .collect()
}

/// What a page says after a form succeeded (`?done=<what>`).
fn done_text(t: Lang, what: Option<&str>) -> Option<String> {
    let (zh, en) = match what? {
        "org" => ("党组织已建立", "The organisation is set up"),
        "org_edit" => ("党组织已更新", "The organisation is updated"),
        "dissolve" => ("党组织已撤销", "The organisation is dissolved"),
        "member" => ("党员已登记", "The member is recorded"),
        "transfer" => ("组织关系已转接", "The member is transferred"),
        "full" => ("已转为正式党员", "The member is now a full member"),
        "leave" => ("已登记离开", "The member's leaving is recorded"),
        "link" => ("报到记录已关联", "The check-in is joined to the member"),
        "unit" => ("单位已登记", "The unit is recorded"),
        "unit_org" => ("单位党组织已更新", "The unit's organisation is updated"),
        "confirm" => (
            "登记已确认，党员已入册",
            "Confirmed: the member is on record",
        ),
        "decline" => ("登记已退回", "The registration is declined"),
        "found" => ("已确认为党员并编入组织", "Confirmed as a member and placed"),
        "register" => (
            "登记已提交，社区党组织将与您联系确认",
            "Registered: the community's party organisation will confirm with you",
        ),
        "compound" => ("小区已保存", "The compound is saved"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
    area: Option<String>,
    #[serde(default)]
    include_dissolved: bool,
}

/// An organisation as a choice in a form: "　　name（level）".
fn org_choices(nodes: &[OrgNode], only_live: bool) -> Vec<(i64, String)> {
    nodes
        .iter()
        .filter(|n| !only_live || !n.row.dissolved())
        .map(|n| {
            (
                n.row.id,
                format!(
                    "{}{}（{}）",
                    "　".repeat(n.depth.min(4)),
                    n.row.record.name,
                    n.row.record.level.zh()
                ),
            )
        })
        .collect()
}

fn labels<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    zh: fn(T) -> &'static str,
) -> Vec<(&'static str, &'static str)> {
    all.iter().map(|x| (code(*x), zh(*x))).collect()
}

// ---- /party ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_tree.html")]
struct TreePage {
    c: Chrome,
    done: Option<String>,
    nodes: Vec<OrgNode>,
    warned: usize,
    members: i64,
    places: PlaceChoices,
    area: String,
    grid: String,
    include_dissolved: bool,
    may_keep: bool,
    parents: Vec<(i64, String)>,
    levels: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    communities: Vec<(String, String)>,
    today: String,
    export_query: String,
}

async fn tree_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let area = super::narrowed(&user, q.area.as_deref())?;
        let nodes = view::tree(&st, area, q.include_dissolved).await?;
        let places = choices(&st, &user);
        let here = crate::http::chrome::home_target(&user);
        let members = nodes
            .iter()
            .filter(|n| n.depth == 0)
            .map(|n| n.size.total())
            .sum();
        Ok(render(&TreePage {
            c: Chrome::new(t, &user, "/party", t.s("党组织", "Party organisation")),
            done: done_text(t, q.done.as_deref()),
            warned: nodes.iter().filter(|n| !n.warnings.is_empty()).count(),
            members,
            parents: org_choices(&nodes, true),
            // A community first (where most organisations stand), then streets and above.
            communities: {
                let mut v = communities(&places);
                let rest: Vec<_> = places
                    .areas
                    .iter()
                    .filter(|a| !v.contains(a))
                    .cloned()
                    .collect();
                v.extend(rest);
                v
            },
            nodes,
            area: area.map(|a| a.to_string()).unwrap_or_default(),
            grid: String::new(),
            export_query: format!(
                "?area={}&include_dissolved={}",
                area.map(|a| a.to_string()).unwrap_or_default(),
                q.include_dissolved
            ),
            places,
            include_dissolved: q.include_dissolved,
            may_keep: user.may(Action::ManagePartyOrg, &here).is_ok(),
            levels: labels(OrgLevel::ALL, OrgLevel::as_str, OrgLevel::zh),
            kinds: labels(OrgKind::ALL, OrgKind::as_str, OrgKind::zh),
            today: today().to_string(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/orgs/{id} ----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_org.html")]
struct OrgPage {
    c: Chrome,
    done: Option<String>,
    node: OrgNode,
    parent_name: Option<String>,
    area_name: String,
    children: Vec<OrgNode>,
    members: Vec<MemberRow>,
    member_total: i64,
    may_keep: bool,
    parents: Vec<(i64, String)>,
    levels: Vec<(&'static str, &'static str)>,
    kinds: Vec<(&'static str, &'static str)>,
    today: String,
}

async fn org_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let detail = super::api::org_detail(&st, &user, id).await?;
        let area = detail.node.row.record.area;
        let f = MemberFilter {
            org: Some(id),
            page: Page {
                offset: 0,
                limit: 200,
            },
            ..Default::default()
        };
        let members = st.store.members(&f).await?;
        let member_total = st.store.count_members(&f).await?;
        let nodes = view::tree(&st, party_area(&user)?, false).await?;
        let names = area_names(&st);
        let parent_name = match detail.node.row.record.parent {
            Some(p) => st.store.org(p).await?.map(|o| o.record.name),
            None => None,
        };
        Ok(render(&OrgPage {
            c: Chrome::new(t, &user, "/party", &detail.node.row.record.name),
            done: done_text(t, q.done.as_deref()),
            area_name: names
                .get(area.as_str())
                .cloned()
                .unwrap_or_else(|| area.to_string()),
            parent_name,
            may_keep: user
                .may(Action::ManagePartyOrg, &Target::Area(area))
                .is_ok(),
            parents: org_choices(&nodes, true)
                .into_iter()
                .filter(|(p, _)| *p != id)
                .collect(),
            node: detail.node,
            children: detail.children,
            members,
            member_total,
            levels: labels(OrgLevel::ALL, OrgLevel::as_str, OrgLevel::zh),
            kinds: labels(OrgKind::ALL, OrgKind::as_str, OrgKind::zh),
            today: today().to_string(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/members ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_members.html")]
struct MembersPage {
    c: Chrome,
    done: Option<String>,
    members: Vec<MemberRow>,
    total: i64,
    q: MemberQuery,
    name: String,
    status: String,
    places: PlaceChoices,
    area: String,
    grid: String,
    orgs: Vec<(i64, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    communities: Vec<(String, String)>,
    names: HashMap<String, String>,
    may_keep: bool,
    prev: Option<String>,
    next: Option<String>,
    export_query: String,
    today: String,
}

impl MembersPage {
    fn area_name(&self, code: &dyn std::fmt::Display) -> String {
        let code = code.to_string();
        self.names.get(&code).cloned().unwrap_or(code)
    }
}

fn member_query_string(q: &MemberQuery, page: Option<i64>) -> String {
    let mut parts = Vec::new();
    let enc = |s: &str| {
        s.replace('%', "%25")
            .replace('&', "%26")
            .replace(' ', "%20")
            .replace('#', "%23")
    };
    if let Some(a) = q.area.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("area={}", enc(a)));
    }
    if let Some(o) = q.org {
        parts.push(format!("org={o}"));
    }
    if let Some(c) = q.compound {
        parts.push(format!("compound={c}"));
    }
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("status={}", enc(s)));
    }
    if let Some(n) = q.q.as_deref().filter(|s| !s.is_empty()) {
        parts.push(format!("q={}", enc(n)));
    }
    if q.in_service {
        parts.push("in_service=true".into());
    }
    if q.include_left {
        parts.push("include_left=true".into());
    }
    if let Some(p) = page {
        parts.push(format!("page={p}"));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[derive(Deserialize, Default)]
struct MembersPageQuery {
    done: Option<String>,
    #[serde(flatten)]
    q: MemberQuery,
}

async fn members_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(mq): Query<MembersPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let q = mq.q;
    let body = async {
        let f = member_filter(&user, &q)?;
        let total = st.store.count_members(&f).await?;
        let members = st.store.members(&f).await?;
        let page_no = q.page.unwrap_or(1).max(1);
        let per_page = f.page.limit;
        let nodes = view::tree(&st, party_area(&user)?, false).await?;
        let places = choices(&st, &user);
        let here = crate::http::chrome::home_target(&user);
        Ok(render(&MembersPage {
            c: Chrome::new(t, &user, "/party/members", t.s("党员", "Party members")),
            done: done_text(t, mq.done.as_deref()),
            prev: (page_no > 1).then(|| {
                format!(
                    "/party/members{}",
                    member_query_string(&q, Some(page_no - 1))
                )
            }),
            next: (page_no * per_page < total).then(|| {
                format!(
                    "/party/members{}",
                    member_query_string(&q, Some(page_no + 1))
                )
            }),
            export_query: member_query_string(&q, None),
            members,
            total,
            name: q.q.clone().unwrap_or_default(),
            status: q.status.clone().unwrap_or_default(),
            area: q.area.clone().unwrap_or_default(),
            grid: String::new(),
            orgs: org_choices(&nodes, true),
            statuses: labels(MemberStatus::ALL, MemberStatus::as_str, MemberStatus::zh),
            communities: communities(&places),
            places,
            names: area_names(&st),
            may_keep: user.may(Action::ManagePartyOrg, &here).is_ok(),
            today: today().to_string(),
            q,
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/members/{id} -------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_member.html")]
struct MemberPage {
    c: Chrome,
    done: Option<String>,
    m: MemberRow,
    community_name: String,
    transfers: Vec<gongzhi_store::party::TransferRow>,
    checkins: Vec<CommunityCheckInRow>,
    unlinked: Vec<CommunityCheckInRow>,
    orgs: Vec<(i64, String)>,
    may_keep: bool,
    today: String,
}

async fn member_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let d = member_detail(&st, &user, id).await?;
        let community = d.member.record.community;
        let unlinked = st
            .store
            .community_checkins(&SecondmentFilter {
                area: Some(community),
                ..Default::default()
            })
            .await?
            .into_iter()
            .filter(|c| c.member_id.is_none())
            .collect();
        let nodes = view::tree(&st, party_area(&user)?, false).await?;
        let names = area_names(&st);
        Ok(render(&MemberPage {
            c: Chrome::new(t, &user, "/party/members", &d.member.record.name),
            done: done_text(t, q.done.as_deref()),
            community_name: names
                .get(community.as_str())
                .cloned()
                .unwrap_or_else(|| community.to_string()),
            may_keep: user
                .may(Action::ManagePartyOrg, &Target::Area(community))
                .is_ok(),
            orgs: org_choices(&nodes, true)
                .into_iter()
                .filter(|(o, _)| Some(*o) != d.member.record.org)
                .collect(),
            m: d.member,
            transfers: d.transfers,
            checkins: d.checkins,
            unlinked,
            today: today().to_string(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/units --------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_units.html")]
struct UnitsPage {
    c: Chrome,
    done: Option<String>,
    units: Vec<UnitView>,
    coverage: Vec<Coverage>,
    names: HashMap<String, String>,
    places: PlaceChoices,
    area: String,
    grid: String,
    kind: String,
    covered: String,
    kinds: Vec<(&'static str, &'static str)>,
    communities: Vec<(String, String)>,
    unit_orgs: Vec<(i64, String, String)>,
    may_keep: bool,
    export_query: String,
}

impl UnitsPage {
    fn area_name(&self, code: Option<&gongzhi_domain::codes::AreaCode>) -> String {
        match code {
            None => self.c.t.s("合计", "Total").to_string(),
            Some(c) => self
                .names
                .get(c.as_str())
                .cloned()
                .unwrap_or_else(|| c.to_string()),
        }
    }

    fn pct(p: &Option<f64>) -> String {
        p.map(|v| format!("{v:.2}%")).unwrap_or_else(|| "—".into())
    }

    /// Organisations a unit of `community` may be given: the units' own organisations there.
    fn orgs_for(&self, community: &gongzhi_domain::codes::AreaCode) -> Vec<&(i64, String, String)> {
        self.unit_orgs
            .iter()
            .filter(|o| o.2 == community.as_str())
            .collect()
    }
}

#[derive(Deserialize, Default)]
struct UnitsPageQuery {
    done: Option<String>,
    #[serde(flatten)]
    q: UnitQuery,
}

async fn units_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(uq): Query<UnitsPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let q = uq.q;
    let body = async {
        let f = unit_filter(&user, &q)?;
        let (units, coverage) = view::units(&st, &f).await?;
        let nodes = view::tree(&st, party_area(&user)?, false).await?;
        let places = choices(&st, &user);
        let here = crate::http::chrome::home_target(&user);
        Ok(render(&UnitsPage {
            c: Chrome::new(
                t,
                &user,
                "/party/units",
                t.s("驻区单位", "Units in the area"),
            ),
            done: done_text(t, uq.done.as_deref()),
            units,
            coverage,
            names: area_names(&st),
            area: q.area.clone().unwrap_or_default(),
            grid: String::new(),
            kind: q.kind.clone().unwrap_or_default(),
            covered: q.covered.map(|c| c.to_string()).unwrap_or_default(),
            export_query: format!(
                "?area={}&kind={}{}",
                q.area.clone().unwrap_or_default(),
                q.kind.clone().unwrap_or_default(),
                q.covered
                    .map(|c| format!("&covered={c}"))
                    .unwrap_or_default()
            ),
            kinds: labels(UnitKind::ALL, UnitKind::as_str, UnitKind::zh),
            communities: communities(&places),
            places,
            unit_orgs: nodes
                .iter()
                .filter(|n| matches!(n.row.record.kind, OrgKind::Enterprise | OrgKind::Organ))
                .map(|n| {
                    (
                        n.row.id,
                        n.row.record.name.clone(),
                        n.row.record.area.to_string(),
                    )
                })
                .collect(),
            may_keep: user.may(Action::ManagePartyOrg, &here).is_ok(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/find ---------------------------------------------------------------------------

/// A pending registration with the residents who may be the member.
struct Pending {
    reg: RegistrationRow,
    matches: Vec<MatchRow>,
    community_name: String,
}

#[derive(Template)]
#[template(path = "party_find.html")]
struct FindPage {
    c: Chrome,
    done: Option<String>,
    pending: Vec<Pending>,
    decided: Vec<RegistrationRow>,
    found: Vec<PartyResidentRow>,
    found_total: i64,
    counts: Vec<CompoundFindCount>,
    names: HashMap<String, String>,
    orgs: Vec<(i64, String)>,
    places: PlaceChoices,
    area: String,
    grid: String,
    may_keep: bool,
    today: String,
    prev: Option<String>,
    next: Option<String>,
}

impl FindPage {
    fn area_name(&self, code: &str) -> String {
        self.names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }
}

#[derive(Deserialize, Default)]
struct FindPageQuery {
    done: Option<String>,
    area: Option<String>,
    page: Option<i64>,
}

async fn find_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<FindPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let area = super::narrowed(&user, q.area.as_deref())?;
        let regs = registrations_for(
            &st,
            &user,
            &RegistrationQuery {
                area: q.area.clone(),
                state: None,
            },
        )
        .await?;
        let names = area_names(&st);
        let mut pending = Vec::new();
        let mut decided = Vec::new();
        for reg in regs {
            if reg.state == RegistrationState::Pending {
                let matches = st.store.registration_matches(&reg.record).await?;
                pending.push(Pending {
                    community_name: names
                        .get(reg.record.community.as_str())
                        .cloned()
                        .unwrap_or_else(|| reg.record.community.to_string()),
                    reg,
                    matches,
                });
            } else if decided.len() < 20 {
                decided.push(reg);
            }
        }
        let page_no = q.page.unwrap_or(1).max(1);
        let found = found_for(
            &st,
            &user,
            &FoundQuery {
                area: q.area.clone(),
                page: Some(page_no),
                per_page: Some(30),
                ..Default::default()
            },
        )
        .await?;
        let nodes = view::tree(&st, party_area(&user)?, false).await?;
        let here = crate::http::chrome::home_target(&user);
        let link = |p: i64| {
            format!(
                "/party/find?page={p}{}",
                q.area
                    .as_deref()
                    .map(|a| format!("&area={a}"))
                    .unwrap_or_default()
            )
        };
        Ok(render(&FindPage {
            c: Chrome::new(t, &user, "/party/find", t.s("双找", "Find members")),
            done: done_text(t, q.done.as_deref()),
            pending,
            decided,
            prev: (page_no > 1).then(|| link(page_no - 1)),
            next: (page_no * 30 < found.total).then(|| link(page_no + 1)),
            found_total: found.total,
            found: found.items,
            counts: st.store.compound_find_counts(area.as_ref()).await?,
            names,
            orgs: org_choices(&nodes, true),
            places: choices(&st, &user),
            area: q.area.clone().unwrap_or_default(),
            grid: String::new(),
            may_keep: user.may(Action::ManagePartyOrg, &here).is_ok(),
            today: today().to_string(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /party/register -----------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_register.html")]
struct RegisterPage {
    c: Chrome,
    done: Option<String>,
    mine: Vec<RegistrationRow>,
    communities: Vec<(String, String)>,
    statuses: Vec<(&'static str, &'static str)>,
    names: HashMap<String, String>,
}

impl RegisterPage {
    fn area_name(&self, code: &dyn std::fmt::Display) -> String {
        let code = code.to_string();
        self.names.get(&code).cloned().unwrap_or(code)
    }
}

async fn register_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let mine = st
            .store
            .registrations(&gongzhi_store::party::RegistrationFilter {
                account: Some(user.account.id),
                ..Default::default()
            })
            .await?;
        // A member registers with any community of the city: where they live.
        let all = place_choices(st.grids.places().as_deref(), &Region::Everything);
        Ok(render(&RegisterPage {
            c: Chrome::new(
                t,
                &user,
                "/party/register",
                t.s("党员找组织", "Register as a member"),
            ),
            done: done_text(t, q.done.as_deref()),
            mine,
            communities: communities(&all),
            statuses: labels(MemberStatus::ALL, MemberStatus::as_str, MemberStatus::zh),
            names: area_names(&st),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- /compounds ----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "party_compounds.html")]
struct CompoundsPage {
    c: Chrome,
    done: Option<String>,
    compounds: Vec<CompoundRow>,
    names: HashMap<String, String>,
    places: PlaceChoices,
    area: String,
    grid: String,
    name: String,
    communities: Vec<(String, String)>,
    may_keep: bool,
    may_import: bool,
    export_query: String,
}

impl CompoundsPage {
    fn area_name(&self, code: &dyn std::fmt::Display) -> String {
        let code = code.to_string();
        self.names.get(&code).cloned().unwrap_or(code)
    }
}

#[derive(Deserialize, Default)]
struct CompoundsPageQuery {
    done: Option<String>,
    #[serde(flatten)]
    q: CompoundQuery,
}

async fn compounds_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(cq): Query<CompoundsPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let q = cq.q;
    let body = async {
        let f = compound_filter(&user, &q)?;
        let compounds = st.store.compounds(&f).await?;
        let places = choices(&st, &user);
        let here = match compound_area(&user)? {
            Some(a) => Target::Area(a),
            None => Target::Everything,
        };
        Ok(render(&CompoundsPage {
            c: Chrome::new(t, &user, "/compounds", t.s("小区", "Compounds")),
            done: done_text(t, cq.done.as_deref()),
            compounds,
            names: area_names(&st),
            area: q.area.clone().unwrap_or_default(),
            grid: String::new(),
            name: q.q.clone().unwrap_or_default(),
            export_query: format!(
                "?area={}&q={}",
                q.area.clone().unwrap_or_default(),
                q.q.clone().unwrap_or_default()
            ),
            communities: communities(&places),
            places,
            may_keep: user.may(Action::ManagePartyOrg, &here).is_ok()
                || user.may(Action::ImportPopulation, &here).is_ok(),
            may_import: user
                .may(Action::ImportPopulation, &Target::Everything)
                .is_ok(),
        }))
    }
    .await;
    page(t, &user, body)
}

// ---- the forms -----------------------------------------------------------------------------

/// Every form of these pages: `what` says which, `back` where to return (a page of ours).
#[derive(Deserialize, Default)]
struct ActForm {
    csrf: String,
    what: String,
    back: Option<String>,
    id: Option<i64>,
    name: Option<String>,
    level: Option<String>,
    kind: Option<String>,
    parent: Option<String>,
    area: Option<String>,
    grid: Option<String>,
    compound: Option<String>,
    has_committee: Option<String>,
    founded_on: Option<String>,
    on: Option<String>,
    gender: Option<String>,
    birth_date: Option<String>,
    status: Option<String>,
    joined_on: Option<String>,
    full_on: Option<String>,
    org: Option<String>,
    resident: Option<String>,
    community: Option<String>,
    workplace: Option<String>,
    phone: Option<String>,
    to: Option<String>,
    reason: Option<String>,
    checkin: Option<i64>,
    address: Option<String>,
    employees: Option<String>,
    code: Option<String>,
    lon: Option<String>,
    lat: Option<String>,
    property_company: Option<String>,
    buildings: Option<String>,
    prior_org: Option<String>,
}

/// An optional id from a select ("" for none).
fn opt_id(field: &str, v: &Option<String>) -> ApiResult<Option<i64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad_request(field, format!("编号有误：{s}"), format!("not an id: {s}"))
        }),
    }
}

fn opt_num(field: &str, v: &Option<String>) -> ApiResult<Option<f64>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s.parse().map(Some).map_err(|_| {
            ApiError::bad_request(
                field,
                format!("须为数字：{s}"),
                format!("must be a number: {s}"),
            )
        }),
    }
}

/// Where to go after the form: the page it came from, when that is one of ours.
fn back_to(f: &ActForm, default: String) -> String {
    let ours = |b: &str| {
        (b.starts_with("/party") || b.starts_with("/compounds"))
            && !b.contains("//")
            && !b.contains('\\')
            && b.is_ascii()
    };
    let base = f
        .back
        .as_deref()
        .filter(|b| ours(b))
        .map(|b| b.split('?').next().unwrap_or(b).to_string())
        .unwrap_or(default);
    format!("{base}?done={}", f.what)
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let result: ApiResult<String> = async {
        user.check_csrf(&f.csrf)?;
        let need = |v: Option<i64>, field: &str| {
            v.ok_or_else(|| ApiError::bad_request(field, "缺少编号", "missing id"))
        };
        let org_body = || -> ApiResult<OrgBody> {
            Ok(OrgBody {
                name: text(&f.name),
                level: text(&f.level),
                kind: text(&f.kind),
                parent: opt_id("parent", &f.parent)?,
                area: text(&f.area),
                grid: f.grid.clone(),
                compound: opt_id("compound", &f.compound)?,
                has_committee: f.has_committee.is_some(),
                founded_on: f.founded_on.clone(),
            })
        };
        let on = OnBody { on: f.on.clone() };
        Ok(match f.what.as_str() {
            "org" => {
                let id = ops::add_org(&st, &user, &org_body()?).await?;
                format!("/party/orgs/{id}?done=org")
            }
            "org_edit" => {
                let id = need(f.id, "id")?;
                ops::update_org(&st, &user, id, &org_body()?).await?;
                back_to(&f, format!("/party/orgs/{id}"))
            }
            "dissolve" => {
                let id = need(f.id, "id")?;
                ops::dissolve_org(&st, &user, id, &on).await?;
                back_to(&f, format!("/party/orgs/{id}"))
            }
            "member" => {
                let id = ops::add_member(
                    &st,
                    &user,
                    &MemberBody {
                        name: text(&f.name),
                        gender: text(&f.gender),
                        birth_date: f.birth_date.clone(),
                        status: text(&f.status),
                        joined_on: f.joined_on.clone(),
                        full_on: f.full_on.clone(),
                        org: opt_id("org", &f.org)?,
                        resident: opt_id("resident", &f.resident)?,
                        community: text(&f.community),
                        workplace: f.workplace.clone(),
                        phone: f.phone.clone(),
                    },
                )
                .await?;
                format!("/party/members/{id}?done=member")
            }
            "transfer" => {
                let id = need(f.id, "id")?;
                let to = opt_id("to", &f.to)?.ok_or_else(|| {
                    ApiError::bad_request("to", "请选择转入的党组织", "choose the organisation")
                })?;
                let body = TransferBody {
                    to,
                    on: f.on.clone(),
                    reason: text(&f.reason),
                };
                ops::transfer(&st, &user, id, &body).await?;
                back_to(&f, format!("/party/members/{id}"))
            }
            "full" => {
                let id = need(f.id, "id")?;
                ops::make_full(&st, &user, id, &on).await?;
                back_to(&f, format!("/party/members/{id}"))
            }
            "leave" => {
                let id = need(f.id, "id")?;
                ops::leave(&st, &user, id, &on).await?;
                back_to(&f, format!("/party/members/{id}"))
            }
            "link" => {
                let id = need(f.id, "id")?;
                let body = LinkBody {
                    checkin: need(f.checkin, "checkin")?,
                };
                ops::link_checkin(&st, &user, id, &body).await?;
                back_to(&f, format!("/party/members/{id}"))
            }
            "unit" => {
                let body = UnitBody {
                    name: text(&f.name),
                    kind: text(&f.kind),
                    community: text(&f.community),
                    grid: f.grid.clone(),
                    address: text(&f.address),
                    employees: opt_num("employees", &f.employees)?.unwrap_or(0.0) as i64,
                    org: opt_id("org", &f.org)?,
                };
                ops::add_unit(&st, &user, &body).await?;
                back_to(&f, "/party/units".into())
            }
            "unit_org" => {
                let id = need(f.id, "id")?;
                let u = st
                    .store
                    .unit(id)
                    .await?
                    .filter(|u| sees(&user, &u.record.community))
                    .ok_or_else(|| {
                        ApiError::not_found(format!("单位 {id}"), format!("unit {id}"))
                    })?;
                let r = u.record;
                let body = UnitBody {
                    name: r.name,
                    kind: r.kind.as_str().into(),
                    community: r.community.to_string(),
                    grid: r.grid.map(|g| g.to_string()),
                    address: r.address,
                    employees: r.employees,
                    org: opt_id("org", &f.org)?,
                };
                ops::update_unit(&st, &user, id, &body).await?;
                back_to(&f, "/party/units".into())
            }
            "confirm" => {
                let id = need(f.id, "id")?;
                let body = ConfirmBody {
                    resident: opt_id("resident", &f.resident)?,
                    org: opt_id("org", &f.org)?,
                };
                ops::confirm_registration(&st, &user, id, &body).await?;
                back_to(&f, "/party/find".into())
            }
            "decline" => {
                ops::decline_registration(&st, &user, need(f.id, "id")?).await?;
                back_to(&f, "/party/find".into())
            }
            "found" => {
                let body = FoundBody {
                    resident: opt_id("resident", &f.resident)?.ok_or_else(|| {
                        ApiError::bad_request("resident", "缺少居民", "missing resident")
                    })?,
                    org: opt_id("org", &f.org)?,
                    joined_on: f.joined_on.clone(),
                };
                ops::confirm_found(&st, &user, &body).await?;
                back_to(&f, "/party/find".into())
            }
            "register" => {
                let body = RegistrationBody {
                    name: text(&f.name),
                    gender: text(&f.gender),
                    birth_date: f.birth_date.clone(),
                    phone: f.phone.clone(),
                    community: text(&f.community),
                    address: text(&f.address),
                    member_status: text(&f.status),
                    joined_on: f.joined_on.clone(),
                    prior_org: text(&f.prior_org),
                    workplace: f.workplace.clone(),
                };
                ops::register(&st, &user, &body).await?;
                "/party/register?done=register".into()
            }
            "compound" => {
                let body = CompoundBody {
                    code: text(&f.code),
                    name: text(&f.name),
                    community: text(&f.community),
                    address: text(&f.address),
                    lon: opt_num("lon", &f.lon)?,
                    lat: opt_num("lat", &f.lat)?,
                    property_company: f.property_company.clone(),
                    buildings: text(&f.buildings)
                        .split(['、', ',', '，', ';', '；', ' '])
                        .map(String::from)
                        .collect(),
                };
                ops::upsert_compound(&st, &user, &body).await?;
                "/compounds?done=compound".into()
            }
            other => {
                return Err(ApiError::bad_request(
                    "what",
                    format!("未知的操作：{other}"),
                    format!("unknown form: {other}"),
                ));
            }
        })
    }
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => page(t, &user, Err(e)),
    }
}
