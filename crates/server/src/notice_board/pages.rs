//! The staff's notice board: the notices the caller lists with filters and the workbook
//! (`/notices`), a new notice (`/notices/new`), one notice with its versions and the forms to
//! change, publish and withdraw it (`/notices/{id}`). Every form posts to `/notices/act` and
//! ends in a success message on the notice's page.

use super::api::{NoticeQuery, listed};
use super::ops::{self, NoticeInput};
use super::{today, visible_notice};
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
use gongzhi_domain::access::{List, Listing, visible_region};
use gongzhi_domain::codes::AreaLevel;
use gongzhi_domain::notice_board::{EXPIRING_DAYS, NoticeKind, NoticeState, may_publish};
use gongzhi_store::{NoticeRow, NoticeVersionRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/notices", get(list_page))
        .route("/notices/new", get(new_page))
        .route("/notices/{id}", get(notice_page))
        .route("/notices/act", post(act))
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "published" => ("公示已发布", "The notice is published"),
        "drafted" => ("草稿已保存", "The draft is saved"),
        "changed" => ("公示已更新", "The notice is updated"),
        "withdrawn" => ("公示已撤回", "The notice is withdrawn"),
        "attached" => ("附件已上传", "The attachment is added"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

#[derive(Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
    state: Option<String>,
    q: Option<String>,
    /// Published notices ending within a week (the home tile's list).
    ending: Option<String>,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct ListPage {
    c: Chrome,
    notices: Vec<NoticeRow>,
    kinds: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    kind: String,
    state: String,
    q: String,
    query: String,
}

async fn list_body(st: &AppState, user: &User, t: Lang, q: &ListQuery) -> ApiResult<Response> {
    let nq = NoticeQuery {
        kind: q.kind.clone(),
        state: q.state.clone(),
        q: q.q.clone(),
    };
    let mut notices = listed(st, user, &nq).await?;
    if q.ending.as_deref().is_some_and(|e| !e.is_empty()) {
        let (from, by) = (today(), today().add_days(EXPIRING_DAYS));
        notices.retain(|n| n.state == NoticeState::Published && n.until >= from && n.until <= by);
    }
    let mut parts = Vec::new();
    for (k, v) in [("kind", &q.kind), ("state", &q.state), ("q", &q.q)] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::cobuild::encode(v)));
        }
    }
    Ok(render(&ListPage {
        c: Chrome::new(t, user, "/notices", t.s("公示栏", "Notice board")),
        notices,
        kinds: NoticeKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
            .collect(),
        states: NoticeState::ALL
            .iter()
            .map(|s| (s.as_str(), t.s(s.zh(), s.en()).to_string()))
            .collect(),
        kind: q.kind.clone().unwrap_or_default(),
        state: q.state.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
    }))
}

async fn list_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = list_body(&st, &user, t, &q).await;
    page(t, &user, body)
}

/// The notice form's values (new, or a notice's current ones).
#[derive(Default)]
struct FormValues {
    kind: String,
    title: String,
    body: String,
    from: String,
    until: String,
    audience: String,
    subject_text: String,
    subject_url: String,
}

impl FormValues {
    fn of(n: &NoticeRow) -> FormValues {
        FormValues {
            kind: n.kind.as_str().into(),
            title: n.title.clone(),
            body: n.body.clone(),
            from: n.from.to_string(),
            until: n.until.to_string(),
            audience: n.audience.to_string(),
            subject_text: n.subject_text.clone(),
            subject_url: n.subject_url.clone(),
        }
    }

    fn typed(f: &ActForm) -> FormValues {
        FormValues {
            kind: f.kind.clone(),
            title: f.title.clone(),
            body: f.body.clone(),
            from: f.from.clone().unwrap_or_default(),
            until: f.until.clone().unwrap_or_default(),
            audience: f.audience.clone(),
            subject_text: f.subject_text.clone(),
            subject_url: f.subject_url.clone(),
        }
    }
}

/// The choices of the form: kinds, the audiences the caller may publish to (areas of its
/// region, the broadest first), and the department it publishes as, if it is one.
struct Choices {
    kinds: Vec<(&'static str, String)>,
    audiences: Vec<(String, String)>,
    department: String,
}

fn choices(st: &AppState, user: &User, t: Lang) -> Choices {
    let department = match user.listing(List::Notices) {
        Listing::Department(d) => d,
        _ => String::new(),
    };
    let p = user.principal();
    let dept = (!department.is_empty()).then_some(department.as_str());
    let mut audiences: Vec<(String, String)> = crate::http::place_choices::place_choices(
        st.grids.places().as_deref(),
        &visible_region(&p),
    )
    .areas
    .into_iter()
    .filter(|(code, _)| {
        gongzhi_domain::codes::AreaCode::parse(code).is_ok_and(|a| may_publish(&p, &a, dept))
    })
    .collect();
    // The broadest area first: a district's staff mostly publish to the district.
    audiences.sort_by_key(|(code, _)| {
        gongzhi_domain::codes::AreaCode::parse(code)
            .map(|a| match a.level() {
                AreaLevel::Province => 0,
                AreaLevel::City => 1,
                AreaLevel::District => 2,
                AreaLevel::Street => 3,
                AreaLevel::Community => 4,
            })
            .unwrap_or(5)
    });
    Choices {
        kinds: NoticeKind::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
            .collect(),
        audiences,
        department,
    }
}

#[derive(Template)]
#[template(path = "notice_edit.html")]
struct EditPage {
    c: Chrome,
    /// The notice being changed; `None` for a new one.
    notice: Option<NoticeRow>,
    versions: Vec<NoticeVersionRow>,
    attachments: Vec<gongzhi_store::NoticeAttachmentRow>,
    /// The public page of the notice, when its audience is a community.
    public_href: Option<String>,
    v: FormValues,
    ch: Choices,
    may_edit: bool,
    done: Option<String>,
    error: Option<String>,
}

impl EditPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
}

async fn edit_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: Option<i64>,
    typed: Option<FormValues>,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let ch = choices(st, user, t);
    let (notice, versions, attachments) = match id {
        Some(id) => {
            let n = visible_notice(st, user, id).await?;
            (
                Some(n),
                st.store.notice_versions(id).await?,
                st.store.notice_attachments(id).await?,
            )
        }
        None => (None, Vec::new(), Vec::new()),
    };
    let may_edit = match &notice {
        Some(n) => {
            n.state != NoticeState::Withdrawn
                && may_publish(&user.principal(), &n.audience, n.department.as_deref())
        }
        None => !ch.audiences.is_empty(),
    };
    let v = typed.unwrap_or_else(|| match &notice {
        Some(n) => FormValues::of(n),
        None => FormValues {
            from: today().to_string(),
            until: today().add_days(30).to_string(),
            ..Default::default()
        },
    });
    let title = match &notice {
        Some(n) => n.title.clone(),
        None => t.s("发布公示", "New notice").to_string(),
    };
    Ok(render(&EditPage {
        c: Chrome::new(t, user, "/notices", &title),
        public_href: notice.as_ref().and_then(|n| {
            (n.state != NoticeState::Draft && n.audience.level() == AreaLevel::Community)
                .then(|| format!("/c/{}/notices/{}", n.audience, n.id))
        }),
        notice,
        versions,
        attachments,
        v,
        ch,
        may_edit,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
}

/// The notice's page with a message, for a refused upload.
pub(super) async fn edit_page(
    st: &AppState,
    user: &User,
    t: Lang,
    id: i64,
    error: String,
) -> ApiResult<Response> {
    edit_body(st, user, t, Some(id), None, None, Some(error)).await
}

async fn new_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
) -> Response {
    let t = lang_of(&headers);
    let body = edit_body(&st, &user, t, None, None, None, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn notice_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = edit_body(&st, &user, t, Some(id), None, q.done, None).await;
    page(t, &user, body)
}

#[derive(Deserialize, Default)]
struct ActForm {
    #[serde(default)]
    csrf: String,
    /// `save` (a new notice or a change), `publish`, `withdraw`.
    what: String,
    id: Option<i64>,
    /// On `save`: "1" publishes (the primary button), absent keeps a draft.
    publish: Option<String>,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    from: Option<String>,
    until: Option<String>,
    #[serde(default)]
    audience: String,
    department: Option<String>,
    #[serde(default)]
    subject_text: String,
    #[serde(default)]
    subject_url: String,
    #[serde(default)]
    reason: String,
}

async fn act(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(f): Form<ActForm>,
) -> Response {
    let t = lang_of(&headers);
    let publish = f.publish.as_deref().is_some_and(|p| !p.is_empty());
    let result: ApiResult<(i64, &'static str)> = async {
        user.check_csrf(&f.csrf)?;
        let input = || NoticeInput {
            kind: f.kind.clone(),
            title: f.title.clone(),
            body: f.body.clone(),
            from: f.from.clone(),
            until: f.until.clone(),
            audience: f.audience.clone(),
            department: f.department.clone(),
            subject_text: f.subject_text.clone(),
            subject_url: f.subject_url.clone(),
            publish,
        };
        let need = || {
            f.id.ok_or_else(|| ApiError::bad_request("id", "缺少编号", "missing id"))
        };
        match (f.what.as_str(), f.id) {
            ("save", None) => {
                let id = ops::create(&st, &user, input()).await?;
                Ok((id, if publish { "published" } else { "drafted" }))
            }
            ("save", Some(id)) => {
                let was = visible_notice(&st, &user, id).await?.state;
                ops::change(&st, &user, id, input()).await?;
                let what = match (was, publish) {
                    (NoticeState::Draft, true) => "published",
                    (NoticeState::Draft, false) => "drafted",
                    _ => "changed",
                };
                Ok((id, what))
            }
            ("publish", _) => {
                let id = need()?;
                ops::publish(&st, &user, id).await?;
                Ok((id, "published"))
            }
            ("withdraw", _) => {
                let id = need()?;
                ops::withdraw(&st, &user, id, &f.reason).await?;
                Ok((id, "withdrawn"))
            }
            (other, _) => Err(ApiError::bad_request(
                "what",
                format!("未知的操作：{other}"),
                format!("unknown form: {other}"),
            )),
        }
    }
    .await;
    match result {
        Ok((id, what)) => Redirect::to(&format!("/notices/{id}?done={what}")).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            // The form comes back with what was typed and the message naming the field.
            let typed = (f.what == "save").then(|| FormValues::typed(&f));
            match edit_body(&st, &user, t, f.id, typed, None, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
