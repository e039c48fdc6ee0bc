//! The co-build pages: the contracts and commitments the caller lists with their standing
//! (`/cobuild`, filters and workbooks, a form to sign a contract) and one contract with its
//! commitments, delivery records and ratings (`/cobuild/contracts/{id}`), with the forms each
//! side uses. Every form posts to `/cobuild/act` and ends in a success message.

use super::api::{CommitmentView, ListQuery, listed_commitments, listed_contracts};
use super::ops::{self, CommitmentInput, ContractInput, DeliveryInput, RatingInput};
use super::{today, visible_contract};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::visible_region;
use gongzhi_domain::cobuild::{CommitmentStatus, Rating, may_deliver, may_manage, may_rate};
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::{CoBuildDeliveryRow, ContractRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cobuild", get(list_page))
        .route("/cobuild/contracts/{id}", get(contract_page))
        .route("/cobuild/act", post(act))
}

#[derive(Deserialize, Default)]
struct PageQuery {
    q: Option<String>,
    status: Option<String>,
    as_of: Option<String>,
    done: Option<String>,
}

impl PageQuery {
    fn list(&self) -> ListQuery {
        ListQuery {
            q: self.q.clone(),
            status: self.status.clone(),
            as_of: self.as_of.clone(),
            contract: None,
        }
    }

    /// The filters as a query string, for the workbook links.
    fn query(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("status", &self.status),
            ("as_of", &self.as_of),
        ] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        }
    }
}

/// Percent-encodes a query value.
pub(crate) fn encode(v: &str) -> String {
    let mut out = String::new();
    for b in v.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "contract" => ("共建契约已签订", "The contract is signed"),
        "commitment" => ("承诺事项已增加", "The commitment is added"),
        "delivery" => ("履约记录已登记", "The delivery is recorded"),
        "rating" => ("评价已提交", "The rating is saved"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

#[derive(Template)]
#[template(path = "cobuild.html")]
struct ListPage {
    c: Chrome,
    contracts: Vec<ContractRow>,
    commitments: Vec<CommitmentView>,
    overdue: usize,
    due_soon: usize,
    q: String,
    status: String,
    as_of: String,
    statuses: Vec<(&'static str, String)>,
    query: String,
    departments: Vec<(String, String)>,
    communities: Vec<(String, String)>,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

async fn list_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &PageQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let lq = q.list();
    let contracts = listed_contracts(st, user, &lq).await?;
    let commitments = listed_commitments(st, user, &lq).await?;
    let count = |s: CommitmentStatus| commitments.iter().filter(|c| c.status == s).count();
    let communities = crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &visible_region(&user.principal()),
    )
    .areas
    .into_iter()
    .filter(|(code, _)| AreaCode::parse(code).is_ok_and(|a| a.level() == AreaLevel::Community))
    .collect();
    Ok(render(&ListPage {
        c: Chrome::new(t, user, "/cobuild", t.s("契约化共建", "Co-build contracts")),
        overdue: count(CommitmentStatus::Overdue),
        due_soon: count(CommitmentStatus::DueSoon),
        contracts,
        commitments,
        q: q.q.clone().unwrap_or_default(),
        status: q.status.clone().unwrap_or_default(),
        as_of: lq.as_of()?.to_string(),
        statuses: CommitmentStatus::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()).to_string()))
            .collect(),
        query: q.query(),
        departments: st
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.code, d.name))
            .collect(),
        communities,
        today: today().to_string(),
        done: q.done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn list_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<PageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = list_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

struct CommitmentCard {
    view: CommitmentView,
    deliveries: Vec<CoBuildDeliveryRow>,
    may_deliver: bool,
    may_rate: bool,
}

#[derive(Template)]
#[template(path = "cobuild_contract.html")]
struct ContractPage {
    c: Chrome,
    k: ContractRow,
    cards: Vec<CommitmentCard>,
    may_manage: bool,
    /// 督办: the caller may issue supervision orders on the community's commitments.
    supervise: bool,
    ratings: Vec<(&'static str, String)>,
    today: String,
    done: Option<String>,
    error: Option<String>,
}

async fn contract_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let k = visible_contract(st, user, id).await?;
    let p = user.principal();
    let lq = ListQuery {
        contract: Some(id),
        ..Default::default()
    };
    let mut cards = Vec::new();
    for view in listed_commitments(st, user, &lq).await? {
        cards.push(CommitmentCard {
            deliveries: st.store.cobuild_deliveries(view.row.id).await?,
            may_deliver: view.row.delivered_on.is_none() && may_deliver(&p, &k.department),
            may_rate: view.row.deliveries > 0 && may_rate(&p, &k.community),
            view,
        });
    }
    Ok(render(&ContractPage {
        c: Chrome::new(t, user, "/cobuild", &k.title),
        may_manage: may_manage(&p, &k.community, &k.department),
        supervise: user
            .may(
                gongzhi_domain::access::Action::IssueSupervision,
                &gongzhi_domain::access::Target::Area(k.community),
            )
            .is_ok(),
        ratings: Rating::ALL
            .iter()
            .map(|r| (r.as_str(), t.s(r.zh(), r.en()).to_string()))
            .collect(),
        today: today().to_string(),
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
        cards,
        k,
    }))
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn contract_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = contract_body(&st, &user, t, id, q.done, None).await;
    page(t, &user, body)
}

/// The pages' forms, one handler: `what` says which.
#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    what: String,
    contract_id: Option<i64>,
    commitment_id: Option<i64>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    department: String,
    #[serde(default)]
    community: String,
    starts_on: Option<String>,
    ends_on: Option<String>,
    signed_on: Option<String>,
    #[serde(default)]
    deliverable: String,
    due_on: Option<String>,
    delivered_on: Option<String>,
    #[serde(default)]
    notes: String,
    completes: Option<String>,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    note: String,
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let need = |v: Option<i64>, field: &str| {
        v.ok_or_else(|| ApiError::bad_request(field, "缺少编号", "missing id"))
    };
    let result: ApiResult<i64> = async {
        user.check_csrf(&f.csrf)?;
        match f.what.as_str() {
            "contract" => {
                ops::add_contract(
                    &st,
                    &user,
                    ContractInput {
                        title: f.title.clone(),
                        department: f.department.clone(),
                        community: f.community.clone(),
                        starts_on: f.starts_on.clone(),
                        ends_on: f.ends_on.clone(),
                        signed_on: f.signed_on.clone(),
                    },
                )
                .await
            }
            "commitment" => {
                let k = need(f.contract_id, "contract_id")?;
                ops::add_commitment(
                    &st,
                    &user,
                    k,
                    CommitmentInput {
                        title: f.title.clone(),
                        deliverable: f.deliverable.clone(),
                        due_on: f.due_on.clone(),
                    },
                )
                .await?;
                Ok(k)
            }
            "delivery" => {
                let c = need(f.commitment_id, "commitment_id")?;
                ops::add_delivery(
                    &st,
                    &user,
                    c,
                    DeliveryInput {
                        delivered_on: f.delivered_on.clone(),
                        notes: f.notes.clone(),
                        completes: f.completes.is_some(),
                    },
                    None,
                )
                .await?;
                need(f.contract_id, "contract_id")
            }
            "rating" => {
                let c = need(f.commitment_id, "commitment_id")?;
                ops::rate(
                    &st,
                    &user,
                    c,
                    RatingInput {
                        rating: f.rating.clone(),
                        note: f.note.clone(),
                    },
                )
                .await?;
                need(f.contract_id, "contract_id")
            }
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    match result {
        Ok(contract) => {
            Redirect::to(&format!("/cobuild/contracts/{contract}?done={}", f.what)).into_response()
        }
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            let body = match f.contract_id {
                Some(k) if f.what != "contract" => {
                    contract_body(&st, &user, t, k, None, Some(msg)).await
                }
                _ => list_body(&st, &user, t, &PageQuery::default(), Some(msg)).await,
            };
            match body {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
