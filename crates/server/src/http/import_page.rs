//! The import page: upload a file, see what was written or every row that stopped it.

use crate::auth::{PageUser, User, lang_of};
use crate::error::{ApiError, RowError};
use crate::http::api_io::import_allowed;
use crate::http::calendar_api::load_and_apply;
use crate::http::chrome::{Chrome, render};
use crate::http::pages::page;
use crate::i18n::Lang;
use crate::imports::{DataKind, import};
use crate::state::AppState;
use askama::Template;
use axum::Router;
use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/import",
        get(show)
            .post(upload)
            .layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
    )
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    kinds: Vec<(&'static str, &'static str)>,
    ok: Option<String>,
    error: Option<String>,
    rows: Vec<RowError>,
}

/// The working-day calendar's choice in the kind list: not a sheet kind, it has its own load
/// (`calendar_api`) and no template.
const CALENDAR: &str = "calendar";

fn kinds(t: Lang) -> Vec<(&'static str, &'static str)> {
    DataKind::ALL
        .iter()
        .map(|k| (k.as_str(), t.s(k.zh(), k.as_str())))
        .chain([(
            CALENDAR,
            t.s("工作日历（节假日安排）", "Working-day calendar"),
        )])
        .collect()
}

fn page_for(t: Lang, user: &User, ok: Option<String>, error: Option<ApiError>) -> Response {
    let (error, rows, status) = match error {
        Some(e) => (
            Some(if t.is_en() {
                e.body.message_en.clone()
            } else {
                e.body.message.clone()
            }),
            e.body.rows.clone(),
            Some(e.status),
        ),
        None => (None, Vec::new(), None),
    };
    let mut resp = render(&ImportPage {
        c: Chrome::new(t, user, "/import", t.s("导入", "Import")),
        kinds: kinds(t),
        ok,
        error,
        rows,
    });
    if let Some(s) = status {
        *resp.status_mut() = s;
    }
    resp
}

async fn show(PageUser(user): PageUser, headers: HeaderMap) -> Response {
    let t = lang_of(&headers);
    page_for(t, &user, None, None)
}

struct Upload {
    csrf: String,
    kind: String,
    allow_gaps: bool,
    file: Vec<u8>,
}

async fn read_upload(mut form: Multipart) -> Result<Upload, ApiError> {
    let mut up = Upload {
        csrf: String::new(),
        kind: String::new(),
        allow_gaps: false,
        file: Vec::new(),
    };
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "file",
            format!("上传失败：{e}"),
            format!("upload failed: {e}"),
        )
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "csrf" => up.csrf = field.text().await.map_err(bad)?,
            "kind" => up.kind = field.text().await.map_err(bad)?,
            "allow_gaps" => up.allow_gaps = field.text().await.map_err(bad)? == "true",
            "file" => up.file = field.bytes().await.map_err(bad)?.to_vec(),
            _ => {}
        }
    }
    Ok(up)
}

async fn upload(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let up = read_upload(form).await?;
        user.check_csrf(&up.csrf)?;
        if up.kind == CALENDAR {
            let done = load_and_apply(&st, &user, &up.file, "import page").await?;
            let years = done.years.iter().map(i32::to_string).collect::<Vec<_>>();
            return Ok(if t.is_en() {
                format!(
                    "Loaded the working-day calendar for {}: {} days, in force now.",
                    years.join(", "),
                    done.days
                )
            } else {
                format!(
                    "已载入{}年工作日历，共{}天，已生效。",
                    years.join("、"),
                    done.days
                )
            });
        }
        let kind = DataKind::parse(&up.kind)?;
        import_allowed(&user, kind)?;
        if up.file.is_empty() {
            return Err(ApiError::bad_request(
                "file",
                "请选择要导入的文件",
                "choose a file to import",
            ));
        }
        let done = import(
            &st.store,
            Some(&st.grids),
            crate::imports::Region::Of(&user),
            kind,
            up.file,
            up.allow_gaps,
            |_, _| {},
        )
        .await?;
        st.store
            .record_audit(
                &user.actor(),
                "import",
                kind.as_str(),
                &format!("{} records", done.count),
            )
            .await?;
        let mut msg = if t.is_en() {
            format!("Imported {} {} records.", done.count, kind.as_str())
        } else {
            format!("已导入{}{}条。", kind.zh(), done.count)
        };
        let notes = if t.is_en() {
            &done.notes_en
        } else {
            &done.notes_zh
        };
        if !notes.is_empty() {
            msg.push(' ');
            msg.push_str(&notes.join(if t.is_en() { "; " } else { "；" }));
        }
        Ok(msg)
    }
    .await;
    match result {
        Ok(msg) => page_for(t, &user, Some(msg), None),
        Err(e) if e.status.as_u16() == 403 => page(t, &user, Err(e)),
        Err(e) => page_for(t, &user, None, Some(e)),
    }
}
