//! The staff's power lists: the items the caller lists with filters, workbook, template and
//! import (`/power/manage`), a new item (`/power/manage/new`), one item with its flowchart, its
//! versions and the forms to change, publish and retire it (`/power/manage/{id}`). Every form
//! posts to `/power/manage/act` (or the import) and ends in a success message.

use super::api::{ImportQuery, PowerQuery, listed};
use super::ops::{self, Measures, PowerItemInput, own_owner};
use super::{import, public, visible_item};
use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::power_list::{PowerOwner, PowerState, PowerType, RiskLevel};
use gongzhi_store::{PowerItemRow, PowerVersionRow};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/power/manage", get(list_page))
        .route("/power/manage/new", get(new_page))
        .route("/power/manage/{id}", get(item_page))
        .route("/power/manage/act", post(act))
        .route(
            "/power/manage/import",
            post(import_page).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
}

fn done_text(t: Lang, what: &str) -> Option<String> {
    let (zh, en) = match what {
        "published" => ("事项已公布", "The item is published"),
        "drafted" => ("草稿已保存", "The draft is saved"),
        "changed" => (
            "事项已更新，已生成新版本",
            "The item is changed: a new version",
        ),
        "retired" => ("事项已废止", "The item is retired"),
        _ => return None,
    };
    Some(t.s(zh, en).to_string())
}

/// The lists the caller may write to: its own, or (admin, a district) the departments and
/// areas it keeps — by name.
async fn owner_choices(st: &AppState, user: &User) -> ApiResult<Vec<(String, String)>> {
    let p = user.principal();
    let mut out = Vec::new();
    if let Some(o) = own_owner(user) {
        let name = match &o {
            PowerOwner::Department(d) => st.store.department(d).await?.map(|d| d.name),
            PowerOwner::Area(a) => st.store.area(a).await?.map(|a| a.name),
        };
        out.push((
            format!("{}:{}", o.kind(), o.code()),
            name.unwrap_or_default(),
        ));
    }
    if matches!(
        user.listing(List::PowerLists),
        Listing::Everything | Listing::Area(_)
    ) {
        for d in st.store.departments().await? {
            let o = PowerOwner::Department(d.code.clone());
            if o.managed_by(&p) {
                out.push((format!("department:{}", d.code), d.name));
            }
        }
        for (code, name) in crate::http::place_choices::place_choices(
            st.grids.places().as_deref(),
            &gongzhi_domain::access::visible_region(&p),
        )
        .areas
        {
            if let Ok(o) = PowerOwner::of("area", &code)
                && o.managed_by(&p)
                && !out.iter().any(|(c, _)| *c == format!("area:{code}"))
            {
                out.push((format!("area:{code}"), name));
            }
        }
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "power_manage.html")]
struct ListPage {
    c: Chrome,
    items: Vec<PowerItemRow>,
    owners: Vec<(String, String)>,
    types: Vec<(&'static str, String)>,
    levels: Vec<(&'static str, String)>,
    states: Vec<(&'static str, String)>,
    power_type: String,
    level: String,
    state: String,
    q: String,
    query: String,
    done: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    #[serde(rename = "type")]
    power_type: Option<String>,
    level: Option<String>,
    state: Option<String>,
    q: Option<String>,
    imported: Option<usize>,
}

async fn list_body(
    st: &AppState,
    user: &User,
    t: Lang,
    q: &ListQuery,
    error: Option<String>,
) -> ApiResult<Response> {
    let pq = PowerQuery {
        owner: None,
        power_type: q.power_type.clone(),
        level: q.level.clone(),
        state: q.state.clone(),
        q: q.q.clone(),
    };
    let items = listed(st, user, &pq).await?;
    let mut parts = Vec::new();
    for (k, v) in [
        ("type", &q.power_type),
        ("level", &q.level),
        ("state", &q.state),
        ("q", &q.q),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", crate::cobuild::encode(v)));
        }
    }
    let labels = |all: &[(&'static str, &'static str, &'static str)]| {
        all.iter()
            .map(|(c, zh, en)| (*c, t.s(zh, en).to_string()))
            .collect::<Vec<_>>()
    };
    let types: Vec<_> = PowerType::ALL
        .iter()
        .map(|k| (k.as_str(), k.zh(), k.en()))
        .collect();
    let levels: Vec<_> = RiskLevel::ALL
        .iter()
        .map(|k| (k.as_str(), k.zh(), k.en()))
        .collect();
    let states: Vec<_> = PowerState::ALL
        .iter()
        .map(|k| (k.as_str(), k.zh(), k.en()))
        .collect();
    Ok(render(&ListPage {
        c: Chrome::new(t, user, "/power/manage", t.s("权力清单", "Power lists")),
        items,
        owners: owner_choices(st, user).await?,
        types: labels(&types),
        levels: labels(&levels),
        states: labels(&states),
        power_type: q.power_type.clone().unwrap_or_default(),
        level: q.level.clone().unwrap_or_default(),
        state: q.state.clone().unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        query: if parts.is_empty() {
            String::new()
        } else {
            format!("?{}", parts.join("&"))
        },
        done: q.imported.map(|n| {
            if t.is_en() {
                format!("Imported {n} items as drafts (or published, if chosen).")
            } else {
                format!("已导入 {n} 个事项。")
            }
        }),
        error,
    }))
}

async fn list_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Query(q): Query<ListQuery>,
) -> Response {
    let t = lang_of(&headers);
    let body = list_body(&st, &user, t, &q, None).await;
    page(t, &user, body)
}

/// The item form's values.
#[derive(Default)]
struct FormValues {
    owner: String,
    number: String,
    name: String,
    power_type: String,
    legal_basis: String,
    discretion: String,
    post: String,
    importance: String,
    discretion_level: String,
    likelihood: String,
    harm: String,
    measures: String,
    flowchart: String,
}

impl FormValues {
    fn of(p: &PowerItemRow) -> FormValues {
        FormValues {
            owner: format!("{}:{}", p.owner.kind(), p.owner.code()),
            number: p.number.to_string(),
            name: p.name.clone(),
            power_type: p.power_type.as_str().into(),
            legal_basis: p.legal_basis.clone(),
            discretion: p.discretion.clone(),
            post: p.post.clone(),
            importance: p.factors.importance.to_string(),
            discretion_level: p.factors.discretion.to_string(),
            likelihood: p.factors.likelihood.to_string(),
            harm: p.factors.harm.to_string(),
            measures: p.measures.join("\n"),
            flowchart: p.flowchart.clone(),
        }
    }

    fn typed(f: &ActForm) -> FormValues {
        FormValues {
            owner: f.owner.clone(),
            number: f.number.clone(),
            name: f.name.clone(),
            power_type: f.power_type.clone(),
            legal_basis: f.legal_basis.clone(),
            discretion: f.discretion.clone(),
            post: f.post.clone(),
            importance: f.importance.clone(),
            discretion_level: f.discretion_level.clone(),
            likelihood: f.likelihood.clone(),
            harm: f.harm.clone(),
            measures: f.measures.clone(),
            flowchart: f.flowchart.clone(),
        }
    }
}

#[derive(Template)]
#[template(path = "power_edit.html")]
struct EditPage {
    c: Chrome,
    item: Option<PowerItemRow>,
    risk: Option<public::RiskExplained>,
    svg: String,
    versions: Vec<PowerVersionRow>,
    v: FormValues,
    owners: Vec<(String, String)>,
    types: Vec<(&'static str, String)>,
    may_edit: bool,
    done: Option<String>,
    error: Option<String>,
}

impl EditPage {
    fn at(&self, ms: &i64) -> String {
        crate::time::local(*ms)
    }
}

const EXAMPLE_FLOW: &str = "开始 A 受理申请 | 窗口受理岗 | 当场\n步骤 B 审查材料 | 审批岗 | 5个工作日\n判断 C 是否符合条件\n结束 D 作出决定并送达\n结束 E 不予办理并说明理由\nA -> B\nB -> C\nC -> D : 符合\nC -> E : 不符合";

async fn edit_body(
    st: &AppState,
    user: &User,
    t: Lang,
    id: Option<i64>,
    typed: Option<FormValues>,
    done: Option<String>,
    error: Option<String>,
) -> ApiResult<Response> {
    let owners = owner_choices(st, user).await?;
    let (item, versions) = match id {
        Some(id) => (
            Some(visible_item(st, user, id).await?),
            st.store.power_item_versions(id).await?,
        ),
        None => {
            super::scope(user)?;
            (None, Vec::new())
        }
    };
    let may_edit = match &item {
        Some(p) => p.state != PowerState::Retired && p.owner.managed_by(&user.principal()),
        None => !owners.is_empty(),
    };
    let settings = st.store.power_risk_settings().await?;
    let v = typed.unwrap_or_else(|| match &item {
        Some(p) => FormValues::of(p),
        None => FormValues {
            owner: owners.first().map(|(c, _)| c.clone()).unwrap_or_default(),
            importance: "3".into(),
            discretion_level: "3".into(),
            likelihood: "3".into(),
            harm: "3".into(),
            measures: "岗位教育\n动态监控\n预警防范".into(),
            flowchart: EXAMPLE_FLOW.into(),
            ..Default::default()
        },
    });
    let title = match &item {
        Some(p) => p.name.clone(),
        None => t.s("新增权力事项", "New power item").to_string(),
    };
    Ok(render(&EditPage {
        c: Chrome::new(t, user, "/power/manage", &title),
        risk: item.as_ref().map(|p| public::explain(p, &settings)),
        svg: item.as_ref().map(public::drawing).unwrap_or_default(),
        item,
        versions,
        v,
        owners,
        types: PowerType::ALL
            .iter()
            .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
            .collect(),
        may_edit,
        done: done.as_deref().and_then(|d| done_text(t, d)),
        error,
    }))
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

async fn item_page(
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
    /// `save` (new or change), `publish`, `retire`.
    what: String,
    id: Option<i64>,
    publish: Option<String>,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    number: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    power_type: String,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    discretion: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    importance: String,
    #[serde(default)]
    discretion_level: String,
    #[serde(default)]
    likelihood: String,
    #[serde(default)]
    harm: String,
    #[serde(default)]
    measures: String,
    #[serde(default)]
    flowchart: String,
    #[serde(default)]
    reason: String,
}

fn number_field(field: &'static str, s: &str) -> ApiResult<Option<i64>> {
    let s = s.trim();
    if s.is_empty() {
        return Ok(None);
    }
    s.parse().map(Some).map_err(|_| {
        ApiError::bad_request(
            field,
            format!("“{s}”不是整数"),
            format!("'{s}' is not a whole number"),
        )
    })
}

impl ActForm {
    fn input(&self, publish: bool) -> ApiResult<PowerItemInput> {
        let (kind, code) = self
            .owner
            .split_once(':')
            .unwrap_or(("", self.owner.as_str()));
        Ok(PowerItemInput {
            owner_kind: Some(kind.to_string()).filter(|k| !k.is_empty()),
            owner: Some(code.to_string()).filter(|c| !c.is_empty()),
            number: number_field("number", &self.number)?,
            name: self.name.clone(),
            power_type: self.power_type.clone(),
            legal_basis: self.legal_basis.clone(),
            discretion: self.discretion.clone(),
            post: self.post.clone(),
            importance: number_field("importance", &self.importance)?,
            discretion_level: number_field("discretion_level", &self.discretion_level)?,
            likelihood: number_field("likelihood", &self.likelihood)?,
            harm: number_field("harm", &self.harm)?,
            measures: Measures::Text(self.measures.clone()),
            flowchart: self.flowchart.clone(),
            publish,
        })
    }
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
        let need = || {
            f.id.ok_or_else(|| ApiError::bad_request("id", "缺少编号", "missing id"))
        };
        match (f.what.as_str(), f.id) {
            ("save", None) => {
                let id = ops::create(&st, &user, f.input(publish)?).await?;
                Ok((id, if publish { "published" } else { "drafted" }))
            }
            ("save", Some(id)) => {
                let was = visible_item(&st, &user, id).await?.state;
                ops::change(&st, &user, id, f.input(publish)?).await?;
                let what = match (was, publish) {
                    (PowerState::Draft, true) => "published",
                    (PowerState::Draft, false) => "drafted",
                    _ => "changed",
                };
                Ok((id, what))
            }
            ("publish", _) => {
                let id = need()?;
                ops::publish(&st, &user, id).await?;
                Ok((id, "published"))
            }
            ("retire", _) => {
                let id = need()?;
                ops::retire(&st, &user, id, &f.reason).await?;
                Ok((id, "retired"))
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
        Ok((id, what)) => Redirect::to(&format!("/power/manage/{id}?done={what}")).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            let typed = (f.what == "save").then(|| FormValues::typed(&f));
            match edit_body(&st, &user, t, f.id, typed, None, Some(msg)).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

/// The import form: the file, the list it goes to, and whether to publish at once.
async fn import_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    mut form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let r: ApiResult<usize> = async {
        let bad = |e: axum::extract::multipart::MultipartError| {
            ApiError::bad_request(
                "file",
                format!("上传失败：{e}"),
                format!("upload failed: {e}"),
            )
        };
        let (mut csrf, mut file, mut owner, mut publish) =
            (String::new(), Vec::new(), String::new(), None);
        while let Some(field) = form.next_field().await.map_err(bad)? {
            match field.name().unwrap_or("") {
                "csrf" => csrf = field.text().await.map_err(bad)?,
                "file" => file = field.bytes().await.map_err(bad)?.to_vec(),
                "owner" => owner = field.text().await.map_err(bad)?,
                "publish" => publish = Some(field.text().await.map_err(bad)?),
                _ => {}
            }
        }
        user.check_csrf(&csrf)?;
        let (kind, code) = owner.split_once(':').unwrap_or(("", owner.as_str()));
        let q = ImportQuery {
            owner_kind: Some(kind.to_string()).filter(|k| !k.is_empty()),
            owner: Some(code.to_string()).filter(|c| !c.is_empty()),
            publish,
        };
        Ok(import::import(&st, &user, &q, &file).await?.count)
    }
    .await;
    match r {
        Ok(n) => Redirect::to(&format!("/power/manage?imported={n}")).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            let body = list_body(&st, &user, t, &ListQuery::default(), Some(msg)).await;
            match body {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}
