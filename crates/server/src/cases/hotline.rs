//! 12345 hotline import (市民服务热线工单导入): each row of an `.xlsx` / `.csv` becomes a case
//! with channel `hotline`, filed through `service::file` so intake's rules apply unchanged.
//!
//! Decisions:
//! - **All rows are checked before anything is filed**, against everything filing can refuse
//!   (category, description length, address or point, point inside a grid, department, the
//!   importer's dispatch scope); every bad cell is listed like the population import. Only a
//!   database failure can then stop filing midway, and that refusal names the rows already
//!   filed.
//! - **Time**: 来电时间 is when the resident reported, so the case is filed, registered and
//!   dispatched at that instant: ticket date, deadlines and the timeline follow the call, as the
//!   hotline's own clock does. A time in the future is refused.
//! - **Department**: when 承办部门 is given the hotline centre has already decided, so the row is
//!   filed without automatic dispatch and then registered and dispatched there by the importer
//!   as an override (`is_override: true`). Without it, a located case is dispatched by the
//!   rules (when automatic dispatch is on); an unlocated one waits for a dispatcher.
//! - **Place**: records carry an address; 经度/纬度 are optional. A case without a point has no
//!   grid and is seen only by city-wide accounts, so only an importer who may dispatch across
//!   the whole city may import such rows (others are told to add the point); a located row must
//!   fall inside the importer's dispatch scope.
//! - The caller's number goes into `Report.reporter_phone`, which the store keeps encrypted.
//! - The reporter is the caller, not the importing account: cases are filed as the system with
//!   the importer named on the timeline.

use crate::app::{self, Report, Routing};
use crate::auth::{ApiUser, PageUser, User, lang_of};
use crate::cases::api::actor_of;
use crate::cases::import_table::{
    self, Col, Row, RowErrors, read_upload, sheet_error, xlsx_attachment,
};
use crate::cases::service;
use crate::error::{ApiError, ApiResult, RowError};
use crate::http::chrome::{Chrome, home_target, render};
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::body::Bytes;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::calendar::{Date, start_of};
use gongzhi_domain::case::{Actor, CaseState, Channel, DeadlineClass};
use gongzhi_domain::codes::Phone;
use gongzhi_store::now_millis;
use serde::Serialize;
use std::collections::HashMap;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/imports/hotline",
            post(import_api).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/templates/hotline", get(template))
        .route(
            "/hotline",
            get(show)
                .post(upload)
                .layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
}

const TIME: usize = 0;
const PHONE: usize = 1;
const ADDRESS: usize = 2;
const CONTENT: usize = 3;
const CATEGORY: usize = 4;
const DEPARTMENT: usize = 5;
const LON: usize = 6;
const LAT: usize = 7;

const COLS: [Col; 8] = [
    col("来电时间", "call_time", true),
    col("来电号码", "caller_phone", true),
    col("地址", "address", true),
    col("诉求内容", "content", true),
    col("类别", "category", true),
    col("承办部门", "department", false),
    col("经度", "lon", false),
    col("纬度", "lat", false),
];

const fn col(zh: &'static str, key: &'static str, required: bool) -> Col {
    Col { zh, key, required }
}

/// One request files at most this many cases; larger exports are split by the sender.
const MAX_ROWS: usize = 5000;
/// Clock skew tolerated between the hotline system and this server.
const FUTURE_SLACK_MS: i64 = 10 * 60_000;

/// A row that passed every check, ready to file.
struct Record {
    row: usize,
    at: i64,
    report: Report,
    department: Option<String>,
}

/// `2026-11-27 09:30[:05]`, `2026/11/27 9:30`, `2026-11-27T09:30:00` (Beijing time), or an
/// Excel date-time serial (days since 1899-12-30, as a workbook stores dates) → unix ms.
pub fn parse_call_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if let Ok(serial) = s.parse::<f64>() {
        // 36526 = 2000-01-01 … 2958465 = 9999-12-31. A workbook cannot tell a date typed
        // without a time from midnight, so a whole number is taken as that day's 00:00; smaller
        // numbers are not call times (a bare year, a typo) and are refused.
        if !(36_526.0..2_958_466.0).contains(&serial) {
            return None;
        }
        let secs = ((serial - 25_569.0) * 86_400.0).round() as i64;
        return Some(secs * 1000 - gongzhi_domain::calendar::CST_OFFSET_MS);
    }
    let (date, time) = s.split_once([' ', 'T'])?;
    let date = Date::parse(date)?;
    let time = time.trim().split(['.', '+', 'Z']).next()?;
    let mut parts = time.split(':');
    let mut num = |max: i64| -> Option<Option<i64>> {
        match parts.next() {
            None => Some(None),
            Some(p) if (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()) => {
                let v: i64 = p.parse().ok()?;
                (v <= max).then_some(Some(v))
            }
            Some(_) => None,
        }
    };
    let h = num(23)??;
    let m = num(59)??;
    let sec = num(59)?.unwrap_or(0);
    if parts.next().is_some() {
        return None;
    }
    Some(start_of(date) + ((h * 60 + m) * 60 + sec) * 1000)
}

/// Why a cell is refused, in Chinese and English.
type Reason = (String, String);

fn reason(zh: impl Into<String>, en: impl Into<String>) -> Reason {
    (zh.into(), en.into())
}

/// What rows are checked against, read once per file.
struct Known {
    /// Active leaf categories: code → (name, deadline class).
    categories: HashMap<String, (String, DeadlineClass)>,
    category_names: HashMap<String, Vec<String>>,
    departments: HashMap<String, String>,
    department_names: HashMap<String, Vec<String>>,
    grids: Option<std::sync::Arc<gongzhi_geo::GridIndex>>,
    /// The importer may dispatch anywhere, so unlocated cases stay within its sight.
    citywide: bool,
    now: i64,
}

async fn known(st: &AppState, user: &User, now: i64) -> ApiResult<Known> {
    let categories: HashMap<String, (String, DeadlineClass)> = st
        .store
        .categories()
        .await?
        .into_iter()
        .filter(|c| c.accepts_reports())
        .map(|c| (c.code, (c.name, c.deadline_class)))
        .collect();
    let departments: HashMap<String, String> = st
        .store
        .departments()
        .await?
        .into_iter()
        .map(|d| (d.code, d.name))
        .collect();
    Ok(Known {
        category_names: by_name(categories.iter().map(|(k, v)| (k.as_str(), v.0.as_str()))),
        department_names: by_name(departments.iter().map(|(k, v)| (k.as_str(), v.as_str()))),
        categories,
        departments,
        grids: st.grids.current(),
        citywide: user.may(Action::DispatchCase, &Target::Everything).is_ok(),
        now,
    })
}

/// Codes by exact name, for cells that give a name instead of a code.
fn by_name<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> HashMap<String, Vec<String>> {
    let mut out: HashMap<String, Vec<String>> = HashMap::new();
    for (code, name) in items {
        out.entry(name.to_string())
            .or_default()
            .push(code.to_string());
    }
    out
}

/// A code, or an exact name naming exactly one code; `what` is (类别, category) or the like.
fn resolve<V>(
    value: &str,
    codes: &HashMap<String, V>,
    names: &HashMap<String, Vec<String>>,
    what: (&str, &str),
) -> Result<String, Reason> {
    if codes.contains_key(value) {
        return Ok(value.to_string());
    }
    match names.get(value) {
        Some(v) if v.len() == 1 => Ok(v[0].clone()),
        Some(v) => Err(reason(
            format!("名称对应多个{}（{}），请填写代码", what.0, v.join("、")),
            format!(
                "the name matches several {}s ({}); give the code",
                what.1,
                v.join(", ")
            ),
        )),
        None => Err(reason(
            format!("没有代码或名称为“{value}”的{}", what.0),
            format!("no {} with code or name \"{value}\"", what.1),
        )),
    }
}

fn check_time(v: &str, now: i64) -> Result<i64, Reason> {
    match parse_call_time(v) {
        None => Err(reason(
            "来电时间格式应为 2026-11-27 09:30（或 Excel 日期时间）",
            "the call time must look like 2026-11-27 09:30 (or be an Excel date-time)",
        )),
        Some(t) if t > now + FUTURE_SLACK_MS => Err(reason(
            "来电时间晚于当前时间",
            "the call time is in the future",
        )),
        Some(t) => Ok(t),
    }
}

fn check_content(v: &str) -> Result<String, Reason> {
    if v.chars().count() > 2000 {
        return Err(reason(
            "诉求内容不能超过2000字",
            "the content must be at most 2000 characters",
        ));
    }
    Ok(v.to_string())
}

fn number(s: &str) -> Result<Option<f64>, ()> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(Some)
        .ok_or(())
}

/// The optional point: both coordinates or neither; inside a grid the importer dispatches for,
/// or absent only for a city-wide importer. Errors name the column at fault.
fn check_point(
    k: &Known,
    user: &User,
    lon: &str,
    lat: &str,
) -> Result<Option<(f64, f64)>, (usize, Reason)> {
    let lon_n =
        number(lon).map_err(|()| (LON, reason("经度不是数字", "the longitude is not a number")))?;
    let lat_n =
        number(lat).map_err(|()| (LAT, reason("纬度不是数字", "the latitude is not a number")))?;
    match (lon_n, lat_n) {
        (Some(lon), Some(lat)) => {
            let hit = k
                .grids
                .as_ref()
                .and_then(|g| g.locate(lon, lat).map(|s| s.code));
            match hit {
                Some(g) if user.may(Action::DispatchCase, &Target::Grid(g)).is_ok() => {
                    Ok(Some((lon, lat)))
                }
                Some(g) => Err((
                    LON,
                    reason(
                        format!("该位置在网格 {g}，不在您的派遣管辖范围内"),
                        format!("that point lies in grid {g}, outside your dispatch scope"),
                    ),
                )),
                None => Err((
                    LON,
                    reason(
                        "该经纬度不在本市任何网格内",
                        "that point is in no grid of this city",
                    ),
                )),
            }
        }
        (None, None) if k.citywide => Ok(None),
        (None, None) => Err((
            LON,
            reason(
                "请填写经度、纬度：未定位的案件只有全市账号能看到和派遣",
                "give the longitude and latitude: a case without a point is seen and dispatched only by city-wide accounts",
            ),
        )),
        (None, Some(_)) | (Some(_), None) => Err((
            if lon_n.is_none() { LON } else { LAT },
            reason(
                "经度和纬度须同时填写",
                "give both longitude and latitude, or neither",
            ),
        )),
    }
}

/// The cell of column `c`: a required one that is empty, or a value `check` refuses, is
/// recorded in `errors`.
fn cell<T>(
    errors: &mut RowErrors,
    row: &Row<'_>,
    c: usize,
    check: impl FnOnce(&str) -> Result<T, Reason>,
) -> Option<T> {
    let v = row.get(c);
    let result = if v.is_empty() && COLS[c].required {
        Err(reason(
            format!("{}必填，不能为空", COLS[c].zh),
            format!("{} is required", COLS[c].key),
        ))
    } else {
        check(v)
    };
    result
        .map_err(|(zh, en)| errors.push(row.raw.row, COLS[c].zh, v, zh, en))
        .ok()
}

/// Checks one row; `None` when something in it was wrong (recorded in `errors`).
fn check_row(k: &Known, user: &User, row: &Row<'_>, errors: &mut RowErrors) -> Option<Record> {
    let at = cell(errors, row, TIME, |v| check_time(v, k.now));
    let phone = cell(errors, row, PHONE, |v| {
        Phone::parse(v).map_err(|e| reason(e.message_zh(), e.message_en()))
    });
    let point = match check_point(k, user, row.get(LON), row.get(LAT)) {
        Ok(p) => Some(p),
        Err((c, (zh, en))) => {
            errors.push(row.raw.row, COLS[c].zh, row.get(c), zh, en);
            None
        }
    };
    // Without a point the address is all a dispatcher has to locate the case.
    let address = if point.is_some_and(|p| p.is_some()) {
        Some(row.get(ADDRESS).to_string())
    } else {
        cell(errors, row, ADDRESS, |v| Ok(v.to_string()))
    };
    let content = cell(errors, row, CONTENT, check_content);
    let category = cell(errors, row, CATEGORY, |v| {
        resolve(
            v,
            &k.categories,
            &k.category_names,
            ("末级问题类别", "leaf category"),
        )
    });
    let department = cell(errors, row, DEPARTMENT, |v| match v {
        "" => Ok(None),
        v => resolve(
            v,
            &k.departments,
            &k.department_names,
            ("职能部门", "department"),
        )
        .map(Some),
    });
    let category = category?;
    let point = point?;
    Some(Record {
        row: row.raw.row,
        at: at?,
        department: department?,
        report: Report {
            category,
            lon: point.map(|p| p.0),
            lat: point.map(|p| p.1),
            address: address?,
            description: content?,
            emergency: false,
            channel: Some(Channel::Hotline),
            reporter_phone: Some(phone?),
            street: None,
            photos: Vec::new(),
        },
    })
}

/// Checks every row; all errors at once, or the records to file.
async fn validate(st: &AppState, user: &User, bytes: &[u8], now: i64) -> ApiResult<Vec<Record>> {
    let table = import_table::read(bytes)?;
    let source = import_table::map_columns(&table.headers, &COLS, &[])?;
    if table.rows.is_empty() || table.rows.len() > MAX_ROWS {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_rejected",
            format!(
                "文件须有 1–{MAX_ROWS} 行热线记录，实际 {} 行",
                table.rows.len()
            ),
            format!(
                "a file must hold 1–{MAX_ROWS} hotline records; it holds {}",
                table.rows.len()
            ),
        );
        e.body.field = Some("file".into());
        return Err(e);
    }
    let k = known(st, user, now).await?;
    let lookups = st.store.lookups().await?;
    let mut errors = RowErrors::default();
    // The same call twice in one file is one case, not two.
    let mut seen: HashMap<(i64, String, String), usize> = HashMap::new();
    let mut records = Vec::new();
    for raw in &table.rows {
        let row = Row::new(raw, &source);
        errors.check_shape(raw, &table.headers);
        let Some(r) = check_row(&k, user, &row, &mut errors) else {
            continue;
        };
        // The row's own checks passed; intake's, run dry, must pass too.
        if let Err(e) = app::prepare(st, &lookups, &r.report) {
            let column = match &e {
                app::AppError::BadInput { field, .. } => match *field {
                    "category" => CATEGORY,
                    "description" => CONTENT,
                    "lat" | "lon" => LON,
                    _ => ADDRESS,
                },
                app::AppError::OutsideGrids => LON,
                _ => ADDRESS,
            };
            let e = ApiError::from(e);
            errors.push(
                raw.row,
                COLS[column].zh,
                row.get(column),
                e.body.message.clone(),
                e.body.message_en.clone(),
            );
            continue;
        }
        let phone = r
            .report
            .reporter_phone
            .as_ref()
            .map(|p| p.as_str().to_string());
        let key = (
            r.at,
            phone.unwrap_or_default(),
            r.report.description.clone(),
        );
        if let Some(first) = seen.get(&key) {
            errors.push(
                raw.row,
                COLS[CONTENT].zh,
                row.get(CONTENT),
                format!("与第{first}行重复：来电时间、号码和内容都相同"),
                format!("duplicate of row {first}: same call time, number and content"),
            );
            continue;
        }
        seen.insert(key, raw.row);
        records.push(r);
    }
    errors.into_result("12345热线", "hotline", table.rows.len())?;
    Ok(records)
}

#[derive(Clone, Debug, Serialize)]
pub struct FiledRow {
    pub row: usize,
    pub id: i64,
    pub ticket: String,
    /// Shown once: the hotline passes it to the caller to track and rate the case.
    pub lookup_code: String,
    pub state: CaseState,
    pub department: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct HotlineDone {
    pub count: usize,
    pub cases: Vec<FiledRow>,
}

async fn file_one(st: &AppState, user: &User, r: Record) -> ApiResult<FiledRow> {
    let (who, label) = actor_of(user);
    // With a department named the hotline centre has decided: registered and dispatched there
    // by the importer as an override, in the same transaction as the report.
    let routing = match r.department {
        Some(department) => Routing::To {
            department,
            by: who,
            label: label.clone(),
        },
        None => Routing::ByRules,
    };
    let filed = app::intake(st, &Actor::System, &label, r.report, routing, r.at).await?;
    let case = filed.case;
    Ok(FiledRow {
        row: r.row,
        id: case.id,
        ticket: case.ticket.clone(),
        lookup_code: filed.lookup_code,
        state: case.case.state,
        department: case.case.department.clone(),
    })
}

/// Checks the whole file, then files every row in order.
pub async fn import(st: &AppState, user: &User, bytes: &[u8]) -> ApiResult<HotlineDone> {
    user.may(Action::DispatchCase, &home_target(user))?;
    let records = validate(st, user, bytes, now_millis()).await?;
    let mut cases = Vec::with_capacity(records.len());
    for r in records {
        let row = r.row;
        match file_one(st, user, r).await {
            Ok(f) => cases.push(f),
            Err(e) => return Err(stopped_at(e, row, &cases)),
        }
    }
    st.store
        .record_audit(
            &user.actor(),
            "import",
            "hotline",
            &format!("{} cases", cases.len()),
        )
        .await?;
    Ok(HotlineDone {
        count: cases.len(),
        cases,
    })
}

/// Filing failed after the checks passed (the database): say which rows are already cases, so
/// that the sender removes them before sending the rest again.
fn stopped_at(mut e: ApiError, row: usize, done: &[FiledRow]) -> ApiError {
    let rows: Vec<String> = done.iter().map(|f| f.row.to_string()).collect();
    let tickets: Vec<&str> = done.iter().map(|f| f.ticket.as_str()).collect();
    let (zh, en) = if done.is_empty() {
        (
            "未建立任何案件".to_string(),
            "no case was filed".to_string(),
        )
    } else {
        (
            format!(
                "第{}行已建立案件（{}），再次导入前请删去这些行",
                rows.join("、"),
                tickets.join("、")
            ),
            format!(
                "rows {} were filed ({}); remove them before importing again",
                rows.join(", "),
                tickets.join(", ")
            ),
        )
    };
    let reason = (e.body.message.clone(), e.body.message_en.clone());
    e.body.rows = vec![RowError {
        row,
        column: String::new(),
        value: String::new(),
        message: reason.0.clone(),
        message_en: reason.1.clone(),
    }];
    e.body.message = format!("第{row}行建立案件失败：{}；{zh}", reason.0);
    e.body.message_en = format!("filing row {row} failed: {}; {en}", reason.1);
    e
}

async fn import_api(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<HotlineDone>)> {
    Ok((StatusCode::CREATED, Json(import(&st, &user, &body).await?)))
}

async fn template(ApiUser(_user): ApiUser) -> ApiResult<Response> {
    let headers: Vec<&str> = COLS.iter().map(|c| c.zh).collect();
    let bytes = gongzhi_sheets::write_table("12345热线", &headers, &[]).map_err(sheet_error)?;
    Ok(xlsx_attachment(bytes, "hotline-template.xlsx"))
}

#[derive(Template)]
#[template(path = "hotline.html")]
struct HotlinePage {
    c: Chrome,
    filed: Vec<FiledRow>,
    error: Option<String>,
    rows: Vec<RowError>,
}

fn hotline_page(t: Lang, user: &User, outcome: Option<ApiResult<HotlineDone>>) -> Response {
    let (filed, err) = match outcome {
        Some(Ok(done)) => (done.cases, None),
        Some(Err(e)) => (Vec::new(), Some(e)),
        None => (Vec::new(), None),
    };
    let mut resp = render(&HotlinePage {
        c: Chrome::new(t, user, "/hotline", t.s("热线导入", "Hotline import")),
        filed,
        error: err.as_ref().map(|e| service::message(e, t.is_en())),
        rows: err
            .as_ref()
            .map(|e| e.body.rows.clone())
            .unwrap_or_default(),
    });
    if let Some(e) = err {
        *resp.status_mut() = e.status;
    }
    resp
}

async fn show(PageUser(user): PageUser, headers: HeaderMap) -> Response {
    hotline_page(lang_of(&headers), &user, None)
}

async fn upload(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let done = async {
        let up = read_upload(form).await?;
        user.check_csrf(&up.csrf)?;
        import(&st, &user, &up.file).await
    }
    .await;
    hotline_page(lang_of(&headers), &user, Some(done))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gongzhi_domain::calendar::format_cst;

    #[test]
    fn call_times_as_text_and_as_excel_serials() {
        let t = parse_call_time("2026-11-27 09:30").unwrap();
        assert_eq!(format_cst(t), "2026-11-27 09:30");
        assert_eq!(parse_call_time("2026/11/27 9:30:00"), Some(t));
        assert_eq!(parse_call_time("2026-11-27T09:30:00"), Some(t));
        // 2026-11-27 is day 46353 after 1899-12-30; 09:30 is 0.395833… of a day.
        assert_eq!(parse_call_time("46353.395833333336"), Some(t));
        for bad in [
            "2026-11-27",
            "2026-13-01 09:30",
            "2026-11-27 24:00",
            "昨天",
            "-5",
        ] {
            assert_eq!(parse_call_time(bad), None, "{bad}");
        }
    }
}
