//! A red grid member's phone screens: my households (the work first: who has not been visited
//! for a month), and one household — where it is, who lives there (names masked), its visits,
//! and the one primary action, 记录走访.

use super::ops;
use super::{scope, today};
use crate::auth::{PageUser, User, lang_of};
use crate::error::ApiResult;
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::red_grid::{LinkSettings, mask_party};
use gongzhi_store::{LinkedHouseholdRow, MediationRow, Page, ResidentFilter, VisitRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/red-grid/households", get(my_households))
        .route("/red-grid/households/{id}", get(household_page))
}

/// Days after which a household is due for a visit.
pub const VISIT_EVERY_DAYS: i64 = 30;

/// Not visited within [`VISIT_EVERY_DAYS`].
pub fn is_due(h: &LinkedHouseholdRow) -> bool {
    h.last_visit
        .is_none_or(|d| d < today().add_days(-VISIT_EVERY_DAYS))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    due: Option<String>,
}

#[derive(Template)]
#[template(path = "red_households.html")]
struct HouseholdsPage {
    c: Chrome,
    households: Vec<(LinkedHouseholdRow, bool)>,
    due_only: bool,
    due: usize,
    total: usize,
    /// The member's own load against the bounds, when the caller is a red grid member.
    load: Option<(usize, LinkSettings, bool)>,
}

async fn my_households(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    // Staff of an area choose a grid on the coverage page first.
    if matches!(
        user.listing(List::RedGrid),
        Listing::Everything | Listing::Area(_)
    ) {
        return Redirect::to("/red-grid").into_response();
    }
    let body = async {
        let f = scope(&user, None, None)?;
        let all = st
            .store
            .red_grid_households(&f, super::api::MAX_HOUSEHOLDS)
            .await?;
        let total = all.len();
        let due = all.iter().filter(|h| is_due(h)).count();
        let due_only = q.due.is_some();
        let load = match f.account {
            Some(_) => {
                let s = st.store.red_grid_settings().await?;
                let n = u32::try_from(total).unwrap_or(u32::MAX);
                Some((total, s, s.load(n).is_out_of_range()))
            }
            None => None,
        };
        let households = all
            .into_iter()
            .map(|h| {
                let d = is_due(&h);
                (h, d)
            })
            .filter(|(_, d)| !due_only || *d)
            .collect();
        Ok(render(&HouseholdsPage {
            c: Chrome::new(
                t,
                &user,
                "/red-grid/households",
                t.s("我的联户", "My households"),
            ),
            households,
            due_only,
            due,
            total,
            load,
        }))
    }
    .await;
    page(t, &user, body)
}

/// A resident as the household page shows it: masked name, relation.
struct Person {
    name: String,
    relation: String,
}

#[derive(Template)]
#[template(path = "red_household.html")]
struct HouseholdPage {
    c: Chrome,
    h: LinkedHouseholdRow,
    people: Vec<Person>,
    visits: Vec<VisitRow>,
    mediations: Vec<MediationRow>,
    done: Option<String>,
    error: Option<String>,
}

impl HouseholdPage {
    fn state_name(&self, code: &Option<String>) -> String {
        super::exports::state_name(code.as_deref())
    }
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "visit" => ("走访已记录", "The visit is recorded"),
        "follow_up" => ("回访结果已记录", "The follow-up is recorded"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

pub(super) async fn household_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let h = ops::household_for(st, user, id).await?;
    let residents = st
        .store
        .residents(&ResidentFilter {
            household_id: Some(id),
            page: Page {
                offset: 0,
                limit: 50,
            },
            ..Default::default()
        })
        .await?;
    let people = residents
        .iter()
        .map(|r| Person {
            name: mask_party(&r.name),
            relation: r.relation.zh().to_string(),
        })
        .collect();
    let f = gongzhi_store::RedGridFilter {
        household: Some(id),
        ..Default::default()
    };
    let visits = st.store.visits(&f, 100).await?;
    let mediations = st.store.mediations(&f, 100).await?;
    Ok(render(&HouseholdPage {
        c: Chrome::new(
            t,
            user,
            "/red-grid/households",
            &format!("{} {}", h.building_name, h.room),
        ),
        h,
        people,
        visits,
        mediations,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

async fn household_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = household_body(&st, &user, t, id, q.done, None).await;
    page(t, &user, body)
}
