//! Dispatch rules (派遣规则) over HTTP: `(category, area) → department`, read by intake
//! (`suggest_department`: the most specific rule, else the category's default, else the
//! locality). The API and the `/rules` page share one check, so a rule typed into the form, sent
//! as JSON or read from a spreadsheet row is held to the same conditions: a leaf category that
//! exists, a known area inside the caller's dispatch scope, a department that exists.
//!
//! Who edits: accounts that may dispatch cases (`Action::DispatchCase`) in the rule's area —
//! a rule decides where that area's cases go, which is exactly the dispatcher's call.

use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::cases::import_table::{
    self, Col, Row, RowErrors, read_upload, sheet_error, xlsx_attachment,
};
use crate::error::{ApiError, ApiResult, RowError};
use crate::http::chrome::{Chrome, home_target, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{Action, List, Target};
use gongzhi_domain::case::DispatchRule;
use gongzhi_domain::codes::AreaCode;
use gongzhi_store::{CategoryRow, DepartmentRow, DispatchRuleRow};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/dispatch-rules", get(list).post(create))
        .route("/api/v1/dispatch-rules/{id}", delete(remove))
        .route(
            "/api/v1/dispatch-rules/import",
            post(import_api).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/dispatch-rules/export.xlsx", get(export))
        .route("/api/v1/dispatch-rules/template.xlsx", get(template))
        .route("/rules", get(show).post(add))
        .route("/rules/{id}/delete", post(drop_rule))
        .route("/rules/settings", post(super::loop_settings::post))
        .route(
            "/rules/import",
            post(import_page).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
}

/// The sheet columns, in template order.
const COLS: [Col; 3] = [
    Col {
        zh: "类别代码",
        key: "category",
        required: true,
    },
    Col {
        zh: "区划代码",
        key: "area",
        required: true,
    },
    Col {
        zh: "部门代码",
        key: "department",
        required: true,
    },
];
/// Name columns the export adds for people; an exported file imports back unchanged.
const NAME_COLS: [&str; 3] = ["类别名称", "区划名称", "部门名称"];

/// Everything a rule is checked against, read once per request (or per imported file).
struct Known {
    categories: HashMap<String, CategoryRow>,
    departments: HashMap<String, DepartmentRow>,
    areas: HashMap<AreaCode, String>,
}

async fn known(st: &AppState) -> ApiResult<Known> {
    Ok(Known {
        // Cases are filed under active leaf categories only, so a rule for anything else
        // could never match.
        categories: st
            .store
            .categories()
            .await?
            .into_iter()
            .filter(|c| c.accepts_reports())
            .map(|c| (c.code.clone(), c))
            .collect(),
        departments: st
            .store
            .departments()
            .await?
            .into_iter()
            .map(|d| (d.code.clone(), d))
            .collect(),
        areas: st
            .store
            .areas()
            .await?
            .into_iter()
            .map(|a| (a.code, a.name))
            .collect(),
    })
}

/// Why one value of a rule is refused: the field (API name and sheet column) and the reason.
struct Bad {
    field: &'static str,
    column: &'static str,
    value: String,
    zh: String,
    en: String,
    status: StatusCode,
}

impl Bad {
    fn new(col: usize, value: &str, status: StatusCode, zh: String, en: String) -> Bad {
        Bad {
            field: COLS[col].key,
            column: COLS[col].zh,
            value: value.to_string(),
            zh,
            en,
            status,
        }
    }

    fn into_api(self) -> ApiError {
        let code = match self.status {
            StatusCode::FORBIDDEN => "forbidden",
            StatusCode::BAD_REQUEST => "bad_request",
            _ => "invalid_dispatch_rule",
        };
        let mut e = ApiError::new(self.status, code, self.zh, self.en);
        e.body.field = Some(self.field.into());
        e
    }
}

fn required(col: usize) -> Bad {
    Bad::new(
        col,
        "",
        StatusCode::BAD_REQUEST,
        format!("请填写{}", COLS[col].zh),
        format!("{} is required", COLS[col].key),
    )
}

/// Checks one rule as `user` would set it; every bad value is returned, in column order.
fn check(
    k: &Known,
    user: &User,
    category: &str,
    area: &str,
    department: &str,
) -> Result<DispatchRule, Vec<Bad>> {
    let (category, area, department) = (category.trim(), area.trim(), department.trim());
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let mut bad = Vec::new();
    if category.is_empty() {
        bad.push(required(0));
    } else if !k.categories.contains_key(category) {
        bad.push(Bad::new(
            0,
            category,
            unprocessable,
            format!("类别代码：没有代码为 {category} 的末级问题类别"),
            format!("category: no leaf category with code {category}"),
        ));
    }
    let parsed = if area.is_empty() {
        bad.push(required(1));
        None
    } else {
        match AreaCode::parse(area) {
            Err(e) => {
                bad.push(Bad::new(
                    1,
                    area,
                    unprocessable,
                    format!("区划代码：{}", e.message_zh()),
                    format!("area: {}", e.message_en()),
                ));
                None
            }
            Ok(a) if !k.areas.contains_key(&a) => {
                bad.push(Bad::new(
                    1,
                    area,
                    unprocessable,
                    format!("区划代码：没有区划 {a}，请先导入行政区划"),
                    format!("area: no area {a}; import the areas first"),
                ));
                None
            }
            Ok(a) if user.may(Action::DispatchCase, &Target::Area(a)).is_err() => {
                bad.push(Bad::new(
                    1,
                    area,
                    StatusCode::FORBIDDEN,
                    format!("区划代码：{a} 不在您的派遣管辖范围内，不能为其设置派遣规则"),
                    format!("area: {a} is outside your dispatch scope; you cannot set its rules"),
                ));
                None
            }
            Ok(a) => Some(a),
        }
    };
    if department.is_empty() {
        bad.push(required(2));
    } else if !k.departments.contains_key(department) {
        bad.push(Bad::new(
            2,
            department,
            unprocessable,
            format!("部门代码：没有代码为 {department} 的职能部门"),
            format!("department: no department with code {department}"),
        ));
    }
    match parsed {
        Some(area) if bad.is_empty() => Ok(DispatchRule {
            category: category.to_string(),
            area,
            department: department.to_string(),
        }),
        _ => Err(bad),
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct RuleView {
    pub id: i64,
    pub category: String,
    pub category_name: String,
    pub area: String,
    pub area_name: String,
    pub department: String,
    pub department_name: String,
    /// The caller may change or delete this rule.
    pub editable: bool,
}

fn view(k: &Known, user: &User, r: &DispatchRuleRow) -> RuleView {
    RuleView {
        id: r.id,
        category: r.category.clone(),
        category_name: k
            .categories
            .get(&r.category)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        area: r.area.to_string(),
        area_name: k.areas.get(&r.area).cloned().unwrap_or_default(),
        department: r.department.clone(),
        department_name: k
            .departments
            .get(&r.department)
            .map(|d| d.name.clone())
            .unwrap_or_default(),
        editable: user
            .may(Action::DispatchCase, &Target::Area(r.area))
            .is_ok(),
    }
}

/// Rules are configuration without personal data; the policy lists the rules that apply to the
/// caller's patch (those for its area, above or below it, or those routed to its department),
/// every rule to city-wide accounts, none to residents and party organisations (they take no
/// part in dispatching).
async fn views(st: &AppState, user: &User) -> ApiResult<(Known, Vec<RuleView>)> {
    let listing = user.listing(List::DispatchRules);
    if listing.is_nothing() {
        return Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "forbidden",
            "您的账号不能查看派遣规则",
            "your account cannot see the dispatch rules",
        ));
    }
    let k = known(st).await?;
    let rules = st.store.dispatch_rules().await?;
    let v = rules
        .iter()
        .filter(|r| listing.reaches(&r.area, Some(&r.department)))
        .map(|r| view(&k, user, r))
        .collect();
    Ok((k, v))
}

async fn list(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
) -> ApiResult<Json<Vec<RuleView>>> {
    Ok(Json(views(&st, &user).await?.1))
}

#[derive(Deserialize)]
pub struct RuleBody {
    #[serde(default)]
    category: String,
    #[serde(default)]
    area: String,
    #[serde(default)]
    department: String,
    /// Pages only.
    #[serde(default)]
    csrf: String,
}

/// Sets one rule (replacing the department of an existing rule for the same pair).
async fn set_one(st: &AppState, user: &User, b: &RuleBody) -> ApiResult<RuleView> {
    user.may(Action::DispatchCase, &home_target(user))?;
    let k = known(st).await?;
    let rule = check(&k, user, &b.category, &b.area, &b.department).map_err(|bad| {
        // Who may not is answered before what is wrong: 403 first, then the first bad field.
        let first = bad
            .iter()
            .position(|b| b.status == StatusCode::FORBIDDEN)
            .unwrap_or(0);
        bad.into_iter()
            .nth(first)
            .map_or_else(|| required(0).into_api(), Bad::into_api)
    })?;
    st.store
        .set_dispatch_rules(std::slice::from_ref(&rule))
        .await?;
    st.store
        .record_audit(
            &user.actor(),
            "set_dispatch_rule",
            &format!("{}@{}", rule.category, rule.area),
            &rule.department,
        )
        .await?;
    let stored = st
        .store
        .dispatch_rules()
        .await?
        .into_iter()
        .find(|r| r.category == rule.category && r.area == rule.area)
        .ok_or_else(|| ApiError::not_found("派遣规则", "dispatch rule"))?;
    Ok(view(&k, user, &stored))
}

async fn create(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(b): Json<RuleBody>,
) -> ApiResult<(StatusCode, Json<RuleView>)> {
    Ok((StatusCode::CREATED, Json(set_one(&st, &user, &b).await?)))
}

async fn delete_one(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    let rule = st
        .store
        .dispatch_rules()
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or_else(|| {
            ApiError::not_found(format!("派遣规则 {id}"), format!("dispatch rule {id}"))
        })?;
    user.may(Action::DispatchCase, &Target::Area(rule.area))?;
    if st.store.delete_dispatch_rule(id).await? {
        st.store
            .record_audit(
                &user.actor(),
                "delete_dispatch_rule",
                &format!("{}@{}", rule.category, rule.area),
                &rule.department,
            )
            .await?;
    }
    Ok(())
}

async fn remove(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<StatusCode> {
    delete_one(&st, &user, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize)]
pub struct Imported {
    pub count: usize,
}

/// A whole file of rules: every row checked (scope included), then all written in one
/// transaction, or none.
async fn import_rules(st: &AppState, user: &User, bytes: &[u8]) -> ApiResult<Imported> {
    user.may(Action::DispatchCase, &home_target(user))?;
    let table = import_table::read(bytes)?;
    let source = import_table::map_columns(&table.headers, &COLS, &NAME_COLS)?;
    let k = known(st).await?;
    let mut errors = RowErrors::default();
    let mut seen: HashMap<(String, AreaCode), usize> = HashMap::new();
    let mut rules = Vec::new();
    for raw in &table.rows {
        let row = Row::new(raw, &source);
        errors.check_shape(raw, &table.headers);
        match check(&k, user, row.get(0), row.get(1), row.get(2)) {
            Ok(rule) => match seen.get(&(rule.category.clone(), rule.area)) {
                Some(first) => errors.push(
                    raw.row,
                    COLS[1].zh,
                    row.get(1),
                    format!("与第{first}行重复：同一类别和区划只能有一条规则"),
                    format!("duplicate of row {first}: one rule per category and area"),
                ),
                None => {
                    seen.insert((rule.category.clone(), rule.area), raw.row);
                    rules.push(rule);
                }
            },
            Err(bad) => {
                for b in bad {
                    errors.push(raw.row, b.column, &b.value, b.zh, b.en);
                }
            }
        }
    }
    errors.into_result("派遣规则", "dispatch rule", table.rows.len())?;
    let count = st.store.set_dispatch_rules(&rules).await?;
    st.store
        .record_audit(
            &user.actor(),
            "import",
            "dispatch_rules",
            &format!("{count} records"),
        )
        .await?;
    Ok(Imported { count })
}

async fn import_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Imported>)> {
    Ok((
        StatusCode::CREATED,
        Json(import_rules(&st, &user, &body).await?),
    ))
}

async fn export(State(st): State<AppState>, ApiUser(user): ApiUser) -> ApiResult<Response> {
    let (_, rules) = views(&st, &user).await?;
    let headers = [
        COLS[0].zh,
        COLS[1].zh,
        COLS[2].zh,
        NAME_COLS[0],
        NAME_COLS[1],
        NAME_COLS[2],
    ];
    let rows: Vec<Vec<String>> = rules
        .into_iter()
        .map(|r| {
            vec![
                r.category,
                r.area,
                r.department,
                r.category_name,
                r.area_name,
                r.department_name,
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table("派遣规则", &headers, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(
        &st,
        &user,
        "dispatch_rules",
        "as listed",
        "xlsx",
        rows.len(),
    )
    .await?;
    Ok(xlsx_attachment(bytes, "dispatch-rules.xlsx"))
}

async fn template(ApiUser(_user): ApiUser) -> ApiResult<Response> {
    let headers = [COLS[0].zh, COLS[1].zh, COLS[2].zh];
    let bytes = gongzhi_sheets::write_table("派遣规则", &headers, &[]).map_err(sheet_error)?;
    Ok(xlsx_attachment(bytes, "dispatch-rules-template.xlsx"))
}

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    c: Chrome,
    rules: Vec<RuleView>,
    categories: Vec<CategoryRow>,
    departments: Vec<DepartmentRow>,
    /// The areas a rule may be set for, by name.
    places: crate::http::place_choices::PlaceChoices,
    may_edit: bool,
    /// The city's loop settings, shown to all, changed by who may set them.
    verification_by_grid: bool,
    may_set: bool,
    ok: Option<String>,
    error: Option<String>,
    rows: Vec<RowError>,
}

/// The page, with the outcome of what was just done; a refusal keeps its status code.
pub(super) async fn rules_page(
    st: &AppState,
    user: &User,
    t: Lang,
    outcome: ApiResult<Option<String>>,
) -> Response {
    let (ok, err) = match outcome {
        Ok(ok) => (ok, None),
        Err(e) => (None, Some(e)),
    };
    let body = async {
        let (k, rules) = views(st, user).await?;
        let mut categories: Vec<CategoryRow> = k.categories.into_values().collect();
        categories.sort_by(|a, b| a.code.cmp(&b.code));
        let mut departments: Vec<DepartmentRow> = k.departments.into_values().collect();
        departments.sort_by(|a, b| a.code.cmp(&b.code));
        let mut resp = render(&RulesPage {
            c: Chrome::new(t, user, "/rules", t.s("派遣规则", "Dispatch rules")),
            rules,
            categories,
            departments,
            places: crate::http::place_choices::place_choices(
                st.grids.places().as_deref(),
                &gongzhi_domain::access::visible_region(&user.principal()),
            ),
            may_edit: user.may(Action::DispatchCase, &home_target(user)).is_ok(),
            verification_by_grid: st.loop_cfg.current().verification_by_grid,
            may_set: super::loop_settings::may_set(user),
            ok,
            error: err
                .as_ref()
                .map(|e| crate::cases::service::message(e, t.is_en())),
            rows: err
                .as_ref()
                .map(|e| e.body.rows.clone())
                .unwrap_or_default(),
        });
        if let Some(e) = &err {
            *resp.status_mut() = e.status;
        }
        Ok(resp)
    }
    .await;
    page(t, user, body)
}

#[derive(Deserialize)]
struct ShowQuery {
    done: Option<String>,
}

async fn show(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    axum::extract::Query(q): axum::extract::Query<ShowQuery>,
) -> Response {
    let t = lang_of(&headers);
    let ok = (q.done.as_deref() == Some(super::loop_settings::SAVED))
        .then(|| t.s("设置已保存。", "Settings saved.").to_string());
    rules_page(&st, &user, t, Ok(ok)).await
}

async fn add(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Form(b): Form<RuleBody>,
) -> Response {
    let t = lang_of(&headers);
    let done = async {
        user.check_csrf(&b.csrf)?;
        set_one(&st, &user, &b).await
    }
    .await;
    match done {
        Ok(_) => Redirect::to("/rules").into_response(),
        Err(e) => rules_page(&st, &user, t, Err(e)).await,
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn drop_rule(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> Response {
    let t = lang_of(&headers);
    let done = async {
        user.check_csrf(&f.csrf)?;
        delete_one(&st, &user, id).await
    }
    .await;
    match done {
        Ok(()) => Redirect::to("/rules").into_response(),
        Err(e) => rules_page(&st, &user, t, Err(e)).await,
    }
}

async fn import_page(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let done = async {
        let up = read_upload(form).await?;
        user.check_csrf(&up.csrf)?;
        import_rules(&st, &user, &up.file).await
    }
    .await
    .map(|i| {
        Some(if t.is_en() {
            format!("Imported {} dispatch rules.", i.count)
        } else {
            format!("已导入派遣规则{}条。", i.count)
        })
    });
    rules_page(&st, &user, t, done).await
}
