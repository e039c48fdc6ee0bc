//! A notice's attachments (PDF or images): uploaded on the staff page, checked by their bytes
//! (not by the name or the browser's claim), stored under the data dir by content hash like case
//! photos, logged with their hash; served on the public page while the notice is public and not
//! withdrawn.

use super::ops::{by, own};
use super::public::PublicNotice;
use super::{invalid, today, write_error};
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
use gongzhi_domain::notice_board::{NoticeError, NoticeState, PublicStatus};
use gongzhi_store::now_millis;

/// Largest attachment accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/notices/{id}/attachments",
            post(upload).layer(crate::http::body_limit(MAX_BYTES + 64 * 1024)),
        )
        .route(
            "/c/{community}/notices/{id}/attachments/{aid}",
            get(download),
        )
}

/// Attaches a file to a notice the caller may act on (not withdrawn).
pub async fn attach(
    st: &AppState,
    user: &User,
    id: i64,
    name: &str,
    bytes: Vec<u8>,
) -> ApiResult<i64> {
    let n = own(st, user, id).await?;
    if n.state == NoticeState::Withdrawn {
        return Err(write_error(gongzhi_store::NoticeWriteError::Refused(
            NoticeError::WrongState {
                state: n.state,
                action: "changed",
            },
        )));
    }
    if bytes.is_empty() {
        return Err(invalid(NoticeError::Blank("attachment")));
    }
    let ext = documents::sniff(&bytes).map_or("bin", |(_, e)| e);
    let name = documents::clean_name(name, ext, "附件");
    let refused = || {
        let mut e = ApiError::from_bilingual(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &NoticeError::AttachmentType("other".into()),
        );
        e.body.field = Some("attachment".into());
        e
    };
    let file = documents::write(
        st,
        format!("notices/{id}"),
        bytes,
        refused,
        ("附件", "attachment"),
    )
    .await?;
    st.store
        .add_notice_attachment(id, &name, &file, &by(user), now_millis())
        .await
        .map_err(write_error)
}

async fn read_form(mut form: Multipart) -> ApiResult<(String, String, Vec<u8>)> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "form",
            format!("表单提交失败：{e}"),
            format!("the form could not be read: {e}"),
        )
    };
    let (mut csrf, mut name, mut bytes) = (String::new(), String::new(), Vec::new());
    while let Some(mut field) = form.next_field().await.map_err(bad)? {
        if field.name() == Some("attachment") {
            name = field.file_name().unwrap_or("").to_string();
            while let Some(chunk) = field.chunk().await.map_err(bad)? {
                if bytes.len() + chunk.len() > MAX_BYTES {
                    return Err(ApiError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        "attachment_too_large",
                        format!("附件不能超过 {} MB", MAX_BYTES / 1024 / 1024),
                        format!("an attachment is at most {} MB", MAX_BYTES / 1024 / 1024),
                    ));
                }
                bytes.extend_from_slice(&chunk);
            }
        } else if field.name() == Some("csrf") {
            csrf = field.text().await.map_err(bad)?;
        }
    }
    Ok((csrf, name, bytes))
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
        let (csrf, name, bytes) = read_form(form).await?;
        user.check_csrf(&csrf)?;
        attach(&st, &user, id, &name, bytes).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/notices/{id}?done=attached")).into_response(),
        Err(e) => {
            let msg = crate::cases::service::message(&e, t.is_en());
            match super::pages::edit_page(&st, &user, t, id, msg).await {
                Ok(p) => e.mark(p),
                Err(_) => page(t, &user, Err(e)),
            }
        }
    }
}

/// A public notice's attachment, read through a community in its audience; not once withdrawn.
async fn download(
    State(st): State<AppState>,
    Path((community, id, aid)): Path<(String, i64, i64)>,
) -> Response {
    let result: ApiResult<Response> = async {
        let missing = || ApiError::not_found(format!("附件 {aid}"), format!("attachment {aid}"));
        let code = crate::http::api_geo::parse_area("community", &community)?;
        let n = st.store.notice(id).await?.ok_or_else(missing)?;
        let public = PublicNotice::of(&n, today()).map(|p| p.status);
        let reaches = n.audience == code || n.audience.contains(&code);
        if !reaches || matches!(public, None | Some(PublicStatus::Withdrawn)) {
            return Err(missing());
        }
        let a = st
            .store
            .notice_attachments(id)
            .await?
            .into_iter()
            .find(|a| a.id == aid)
            .ok_or_else(missing)?;
        let bytes = tokio::fs::read(st.data_dir.join(&a.path))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, path = %a.path, "reading a notice attachment");
                missing()
            })?;
        Ok((
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=3600".to_string()),
            ],
            bytes,
        )
            .into_response())
    }
    .await;
    result.unwrap_or_else(|e| e.into_response())
}
