//! `/cadre-roster` (社区干部名册: the roster, its import and export, marking a cadre as left)
//! and `/reports/cadre-structure` (the structure report's tables, readable on a phone).

use super::api::{RosterQuery, roster, set_left, today};
use super::import::{Importer, import_cadres};
use super::report::{DIMENSIONS, ReportQuery, StructureReport, TallyOut, report};
use crate::auth::{PageUser, User, lang_of};
use crate::cases::import_table::read_upload;
use crate::error::{ApiError, ApiResult, RowError};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::http::place_choices::{PlaceChoices, place_choices};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_domain::access::visible_region;
use gongzhi_store::CadreRow;
use serde::Deserialize;

fn places(st: &AppState, user: &User) -> PlaceChoices {
    let known = st.grids.places();
    place_choices(known.as_deref(), &visible_region(&user.principal()))
}

#[derive(Template)]
#[template(path = "cadre_roster.html")]
struct RosterPage {
    c: Chrome,
    rows: Vec<CadreRow>,
    places: PlaceChoices,
    area: String,
    everyone: bool,
    export_href: String,
    report_href: String,
    today: String,
    done: Option<String>,
    error: Option<String>,
    error_rows: Vec<RowError>,
}

impl RosterPage {
    fn gender_en(&self, r: &CadreRow) -> &'static str {
        gongzhi_domain::cadre_roster::gender_en(r.cadre.gender)
    }
}

#[derive(Deserialize, Default)]
pub struct RosterPageQuery {
    #[serde(flatten)]
    q: RosterQuery,
    done: Option<String>,
    n: Option<usize>,
}

fn done_text(t: Lang, what: &str, n: Option<usize>) -> Option<String> {
    Some(match what {
        "imported" => match t {
            Lang::Zh => format!("已导入 {} 名社区干部", n.unwrap_or(0)),
            Lang::En => format!("{} cadres imported", n.unwrap_or(0)),
        },
        "left" => t
            .s("已更新任职状态", "The cadre's post is updated")
            .to_string(),
        _ => return None,
    })
}

async fn roster_view(
    st: &AppState,
    user: &User,
    t: Lang,
    q: RosterQuery,
    done: Option<String>,
    error: Option<ApiError>,
) -> ApiResult<Response> {
    let rows = roster(st, user, &q).await?;
    let area = q.area.clone().unwrap_or_default();
    let mut query = format!("area={area}");
    if q.everyone() {
        query.push_str("&all=1");
    }
    let status = error.as_ref().map(|e| e.status);
    let mut resp = render(&RosterPage {
        c: Chrome::new(
            t,
            user,
            "/cadre-roster",
            t.s("社区干部名册", "Community cadres"),
        ),
        places: places(st, user),
        everyone: q.everyone(),
        export_href: format!("/api/v1/cadre-roster/export.xlsx?{query}"),
        report_href: format!("/reports/cadre-structure?area={area}"),
        today: today().to_string(),
        done,
        error_rows: error
            .as_ref()
            .map(|e| e.body.rows.clone())
            .unwrap_or_default(),
        error: error.map(|e| t.s(&e.body.message, &e.body.message_en).to_string()),
        rows,
        area,
    });
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    Ok(resp)
}

pub async fn roster_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(pq): Query<RosterPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let done = pq.done.as_deref().and_then(|d| done_text(t, d, pq.n));
    let body = roster_view(&st, &user, t, pq.q, done, None).await;
    page(t, &user, body)
}

/// The page's upload: a whole roster file, refused whole with every bad row listed.
pub async fn import_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let up = read_upload(form).await?;
        user.check_csrf(&up.csrf)?;
        import_cadres(&st.store, Importer::Account(&user), &up.file, today()).await
    }
    .await;
    match result {
        Ok(done) => {
            Redirect::to(&format!("/cadre-roster?done=imported&n={}", done.count)).into_response()
        }
        Err(e) => {
            let view = roster_view(&st, &user, t, RosterQuery::default(), None, Some(e)).await;
            page(t, &user, view)
        }
    }
}

#[derive(Deserialize)]
pub struct LeaveForm {
    csrf: String,
    left_on: Option<String>,
}

pub async fn leave_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<LeaveForm>,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        user.check_csrf(&f.csrf)?;
        set_left(&st, &user, id, f.left_on.as_deref()).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to("/cadre-roster?done=left").into_response(),
        Err(e) => page(t, &user, Err(e)),
    }
}

#[derive(Template)]
#[template(path = "cadre_structure.html")]
struct ReportPage {
    c: Chrome,
    r: StructureReport,
    places: PlaceChoices,
    area: String,
    bands: String,
    xlsx_href: String,
    dimensions: Vec<(&'static str, &'static str)>,
}

impl ReportPage {
    /// A category's share as shown: `5.48%`, or `—` for an empty group.
    fn pct(&self, t: &TallyOut) -> String {
        t.percent
            .map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
    }

    fn label<'a>(&self, t: &'a TallyOut) -> &'a str {
        self.c.t.s(t.zh.as_str(), t.en.as_str())
    }

    fn cells<'a>(&self, g: &'a super::report::GroupReport, key: &str) -> &'a [TallyOut] {
        g.dimension(key)
    }
}

pub async fn report_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ReportQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let r = report(&st, &user, &q).await?;
        let bands = r
            .bands
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let area = r.area.clone().unwrap_or_default();
        Ok(render(&ReportPage {
            c: Chrome::new(
                t,
                &user,
                "/cadre-roster",
                t.s("社区干部队伍结构", "Community cadre structure"),
            ),
            places: places(&st, &user),
            xlsx_href: format!(
                "/api/v1/reports/cadre-structure.xlsx?area={area}&on={}&bands={bands}",
                r.on
            ),
            dimensions: DIMENSIONS
                .iter()
                .map(|(k, zh, en)| (*k, t.s(zh, en)))
                .collect(),
            area,
            bands,
            r,
        }))
    }
    .await;
    page(t, &user, body)
}
