//! `/assessment`: the year's members ranked with their points and stars, alerts, the rankings
//! of organisations and communities and the rules in force; `/assessment/members/{id}`: one
//! member's year — the twelve-point ledger with its running balance, the deduction form
//! (photos picked on the phone), revoking, and the five-star rating form.

use super::service::{
    self, DeductBody, ListQuery, MemberEntry, MemberLedger, Rankings, RatingBody, RulesView,
    YearList,
};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_domain::assessment::Alert;
use gongzhi_domain::codes::AreaLevel;
use serde::Deserialize;
use std::collections::BTreeMap;

/// `★★★☆☆` for 3 of 5 stars (shown beside the number, which is what is read out).
fn star_glyphs(n: u8) -> String {
    (1..=5).map(|i| if i <= n { '★' } else { '☆' }).collect()
}

fn alert_names(t: Lang, alerts: &[Alert]) -> String {
    alerts
        .iter()
        .map(|a| t.s(a.zh(), a.en()))
        .collect::<Vec<_>>()
        .join(t.s("、", ", "))
}

/// What the page says after a form succeeded (`?done=<what>`).
fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "deducted" => ("扣分已记录", "The deduction is recorded"),
        "revoked" => (
            "扣分已撤销，分值已退回",
            "The deduction is revoked; its points are back",
        ),
        "rated" => ("星级评定已保存", "The star rating is saved"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

#[derive(Template)]
#[template(path = "assessment.html")]
struct ListPage {
    c: Chrome,
    list: YearList,
    by_org: Rankings,
    by_community: Rankings,
    rules: RulesView,
    year: i32,
    orgs: Vec<(String, String)>,
    communities: Vec<(String, String)>,
    q_org: String,
    q_community: String,
    alert_only: bool,
    export_href: String,
    rated: usize,
    low_points: usize,
    low_stars: usize,
    done: Option<String>,
}

impl ListPage {
    fn stars(&self, n: &u8) -> String {
        star_glyphs(*n)
    }

    fn alerts_of(&self, m: &MemberEntry) -> String {
        alert_names(self.c.t, &m.alerts)
    }

    fn name<'a>(&self, zh: &'a str, en: &'a str) -> &'a str {
        self.c.t.s(zh, en)
    }
}

#[derive(Deserialize, Default)]
pub struct ListPageQuery {
    #[serde(flatten)]
    q: ListQuery,
    done: Option<String>,
}

pub async fn list_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(pq): Query<ListPageQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let q = pq.q;
        let list = service::year_list(&st, &user, &q).await?;
        let year = list.year;
        // Rankings and the filters' choices span everything the caller may see this year.
        let all = service::year_list(
            &st,
            &user,
            &ListQuery {
                year: Some(year.to_string()),
                ..Default::default()
            },
        )
        .await?;
        let mut orgs: Vec<(String, String)> = all
            .members
            .iter()
            .filter_map(|m| {
                Some((
                    m.row.member.org_id?.to_string(),
                    m.row.member.org_name.clone()?,
                ))
            })
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .collect();
        orgs.sort_by(|a, b| a.1.cmp(&b.1));
        let known = st.grids.places();
        let region = gongzhi_domain::access::visible_region(&user.principal());
        let communities = crate::http::place_choices::place_choices(known.as_deref(), &region)
            .areas
            .into_iter()
            .filter(|(code, _)| {
                gongzhi_domain::codes::AreaCode::parse(code)
                    .is_ok_and(|a| a.level() == AreaLevel::Community)
            })
            .collect();
        let count = |a: Alert| list.members.iter().filter(|m| m.has(&a)).count();
        Ok(render(&ListPage {
            c: Chrome::new(
                t,
                &user,
                "/assessment",
                t.s("党员考核", "Member assessment"),
            ),
            by_org: service::rankings(&all, true),
            by_community: service::rankings(&all, false),
            rules: service::rules(&st, &user).await?,
            year,
            orgs,
            communities,
            q_org: q.org.clone().unwrap_or_default(),
            q_community: q.community.clone().unwrap_or_default(),
            alert_only: q.alerted_only(),
            export_href: format!("/api/v1/assessments/export.xlsx?{}", q.to_query(year)),
            rated: list
                .members
                .iter()
                .filter(|m| m.row.stars.is_some())
                .count(),
            low_points: count(Alert::LowPoints),
            low_stars: count(Alert::LowStars),
            done: pq.done.as_deref().and_then(|d| done_text(t, d)),
            list,
        }))
    }
    .await;
    page(t, &user, body)
}

/// A dimension of the rating form, with the member's current score.
struct DimensionField {
    code: String,
    name: String,
    weight: u32,
    max: u32,
    value: String,
}

#[derive(Template)]
#[template(path = "assessment_member.html")]
struct MemberPage {
    c: Chrome,
    l: MemberLedger,
    items: Vec<(String, String)>,
    dimensions: Vec<DimensionField>,
    today: String,
    /// This year or the last: forms are offered.
    open: bool,
    done: Option<String>,
    error: Option<String>,
    note: String,
}

impl MemberPage {
    fn stars(&self, n: &u8) -> String {
        star_glyphs(*n)
    }

    fn alerts(&self) -> String {
        alert_names(self.c.t, &self.l.alerts)
    }
}

#[derive(Deserialize, Default)]
pub struct MemberQuery {
    year: Option<String>,
    done: Option<String>,
}

async fn member_view(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    year: i32,
    done: Option<String>,
    error: Option<ApiError>,
) -> ApiResult<Response> {
    let l = service::ledger(st, user, id, year).await?;
    let rules = service::rules(st, user).await?;
    let current: BTreeMap<String, u32> = l
        .rating
        .as_ref()
        .map(|r| r.row.scores.clone())
        .unwrap_or_default();
    let dimensions = rules
        .stars
        .rules
        .dimensions
        .iter()
        .map(|d| DimensionField {
            code: d.code.clone(),
            name: t.s(&d.zh, &d.en).to_string(),
            weight: d.weight,
            max: d.max,
            value: current
                .get(&d.code)
                .map(ToString::to_string)
                .unwrap_or_default(),
        })
        .collect();
    let items = rules
        .points
        .rules
        .items
        .iter()
        .map(|i| {
            let label = match t {
                Lang::Zh => format!("{}（扣{}分）", i.zh, i.points),
                Lang::En => format!("{} (−{})", i.en, i.points),
            };
            (i.code.clone(), label)
        })
        .collect();
    let today = service::today();
    let status = error.as_ref().map(|e| e.status);
    let mut resp = render(&MemberPage {
        c: Chrome::new(
            t,
            user,
            "/assessment",
            &format!("{} · {}", l.member.name, year),
        ),
        open: gongzhi_domain::assessment::open_year(year, today).is_ok(),
        note: l
            .rating
            .as_ref()
            .map(|r| r.row.note.clone())
            .unwrap_or_default(),
        l,
        items,
        dimensions,
        today: today.to_string(),
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error: error.map(|e| t.s(&e.body.message, &e.body.message_en).to_string()),
    });
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    Ok(resp)
}

pub async fn member_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<MemberQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = async {
        let year = service::year_param(q.year.as_deref())?;
        member_view(&st, &user, t, id, year, q.done, None).await
    }
    .await;
    page(t, &user, body)
}

/// After a form: the member's page with a success message, or again with the refusal.
async fn after_form(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    year: i32,
    result: ApiResult<&'static str>,
) -> Response {
    match result {
        Ok(done) => Redirect::to(&format!("/assessment/members/{id}?year={year}&done={done}"))
            .into_response(),
        Err(e)
            if e.status == axum::http::StatusCode::NOT_FOUND
                || e.status == axum::http::StatusCode::FORBIDDEN =>
        {
            page(t, user, Err(e))
        }
        Err(e) => {
            let view = member_view(st, user, t, id, year, None, Some(e)).await;
            page(t, user, view)
        }
    }
}

/// The deduction form (multipart: the photos picked on the phone come with it).
pub async fn deduct_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let mut year = service::today().year();
    let result = async {
        let posted = crate::cases::evidence::read_form(form).await?;
        user.check_csrf(posted.field("csrf").unwrap_or(""))?;
        let text = |k: &str| posted.field(k).unwrap_or("").to_string();
        let row = service::deduct(
            &st,
            &user,
            id,
            DeductBody {
                item: text("item"),
                occurred_on: posted.field("occurred_on").map(str::to_string),
                reason: text("reason"),
                note: text("note"),
            },
            &posted.photos,
        )
        .await?;
        year = row.year;
        Ok("deducted")
    }
    .await;
    after_form(&st, &user, t, id, year, result).await
}

/// The page's other forms: `what=revoke` (a deduction, with the reason) or `what=rate` (the
/// year's scores as `s_<dimension>`, and a note).
pub async fn act_form(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let t = lang_of(&headers);
    let field = |k: &str| {
        fields
            .iter()
            .rev()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.as_str())
    };
    let year = service::year_param(field("year")).unwrap_or_else(|_| service::today().year());
    let result = async {
        user.check_csrf(field("csrf").unwrap_or(""))?;
        match field("what").unwrap_or("") {
            "revoke" => {
                let deduction: i64 = field("deduction")
                    .and_then(|d| d.trim().parse().ok())
                    .ok_or_else(|| {
                        ApiError::bad_request(
                            "deduction",
                            "缺少扣分记录编号",
                            "missing deduction id",
                        )
                    })?;
                service::revoke(&st, &user, deduction, field("reason").unwrap_or("")).await?;
                Ok("revoked")
            }
            "rate" => {
                let year = service::year_param(field("year"))?;
                let mut scores = BTreeMap::new();
                for (k, v) in &fields {
                    let Some(code) = k.strip_prefix("s_") else {
                        continue;
                    };
                    let v = v.trim();
                    if v.is_empty() {
                        continue;
                    }
                    let n: u32 = v.parse().map_err(|_| {
                        ApiError::bad_request(
                            "scores",
                            format!("得分须为不小于 0 的整数：{v}"),
                            format!("a score must be a whole number of 0 or more: {v}"),
                        )
                    })?;
                    scores.insert(code.to_string(), n);
                }
                let body = RatingBody {
                    scores,
                    note: field("note").unwrap_or("").to_string(),
                };
                service::rate(&st, &user, id, year, body).await?;
                Ok("rated")
            }
            other => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    after_form(&st, &user, t, id, year, result).await
}
