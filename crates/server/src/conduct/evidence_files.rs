//! Evidence files of an investigation (PDF or images): uploaded on the report's page with their
//! note, checked by their bytes (not the name or the browser's claim), stored under the data
//! dir by content hash like case photos, logged with their hash only; downloaded by those who
//! may investigate the report, never by anyone else.

use super::ops::by;
use super::{conduct_error, investigable, write_error};
use crate::auth::{PageUser, User, lang_of};
use crate::documents;
use crate::error::{ApiError, ApiResult};
use crate::http::pages::page;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gongzhi_domain::conduct::ConductError;
use gongzhi_store::now_millis;

/// Largest evidence file accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/conduct/reports/{id}/evidence",
            post(upload).layer(crate::http::body_limit(MAX_BYTES + 64 * 1024)),
        )
        .route("/conduct/reports/{id}/evidence/{eid}", get(download))
}

/// Adds a note with an optional file to a report under investigation.
pub async fn add(
    st: &AppState,
    user: &User,
    id: i64,
    note: &str,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<i64> {
    let r = investigable(st, user, id).await?;
    r.state.add_evidence().map_err(conduct_error)?;
    let file = if bytes.is_empty() {
        None
    } else {
        let ext = documents::sniff(&bytes).map_or("bin", |(_, e)| e);
        let refused = || {
            let mut e = ApiError::from_bilingual(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                &ConductError::AttachmentType("other".into()),
            );
            e.body.field = Some("file".into());
            e
        };
        let file = documents::write(
            st,
            format!("misconduct/{id}"),
            bytes,
            refused,
            ("证据文件", "evidence file"),
        )
        .await?;
        Some((documents::clean_name(name, ext, "证据"), file))
    };
    st.store
        .add_misconduct_evidence(
            id,
            note,
            file.as_ref().map(|(n, f)| (n.as_str(), f)),
            &by(user),
            now_millis(),
        )
        .await
        .map_err(write_error)
}

async fn read_form(mut form: Multipart) -> ApiResult<(String, String, String, Vec<u8>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "form",
            format!("表单提交失败：{e}"),
            format!("the form could not be read: {e}"),
        )
    };
    let (mut csrf, mut note, mut name, mut bytes) =
        (String::new(), String::new(), String::new(), Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        match field.name() {
            Some("file") => {
                name = field.file_name().unwrap_or("").to_string();
                while let Some(chunk) = field.chunk().await.map_err(bad)? {
                    if bytes.len() + chunk.len() > MAX_BYTES {
                        return Err(ApiError::new(
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "attachment_too_large",
                            format!("证据文件不能超过 {} MB", MAX_BYTES / 1024 / 1024),
                            format!("an evidence file is at most {} MB", MAX_BYTES / 1024 / 1024),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            Some("csrf") => csrf = field.text().await.map_err(bad)?,
            Some("note") => note = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    Ok((csrf, note, name, bytes))
}

async fn upload(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let (csrf, note, name, bytes) = read_form(form).await?;
        user.check_csrf(&csrf)?;
        add(&st, &user, id, &note, &name, bytes).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/conduct/reports/{id}?done=evidence")).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match super::pages::report_page_with(&st, &user, t, id, msg).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

/// An evidence file, to those who may investigate the report.
async fn download(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    Path((id, eid)): Path<(i64, i64)>,
) -> Response {
    let result: ApiResult<Response> = async {
        investigable(&st, &user, id).await?;
        let missing = || ApiError::not_found(format!("证据 {eid}"), format!("evidence {eid}"));
        let e = st
            .store
            .misconduct_evidence(id)
            .await?
            .into_iter()
            .find(|e| e.id == eid)
            .ok_or_else(missing)?;
        let (Some(path), Some(mime)) = (e.file_path, e.file_mime) else {
            return Err(missing());
        };
        let bytes = tokio::fs::read(st.data_dir.join(&path))
            .await
            .map_err(|err| {
                tracing::error!(error = %err, path = %path, "reading an evidence file");
                missing()
            })?;
        Ok((
            [
                (header::CONTENT_TYPE, mime),
                (header::CACHE_CONTROL, "private, no-store".to_string()),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.into_response())
}
