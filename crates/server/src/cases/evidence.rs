//! Handlers' evidence: steps posted from a phone with the photos picked there (the report-back,
//! a whistle check-in on site, a whistle part done). The photos are checked first, written to
//! disk, then recorded in the same transaction as the step: a refused step keeps none of them.

use crate::auth::{PageUser, User, lang_of};
use crate::cases::api::{actor_of, load_case};
use crate::cases::pages::check_photos;
use crate::cases::photos;
use crate::cases::service;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::extract::{Multipart, Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use gongzhi_domain::case::Command;
use gongzhi_store::{CaseRow, now_millis};

/// A multipart form: its text fields in order, and its `photo` files.
pub struct PostedForm {
    pub fields: Vec<(String, String)>,
    pub photos: Vec<Vec<u8>>,
}

impl PostedForm {
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Reads a multipart form; an empty file input (nothing picked) brings no photo.
pub async fn read_form(mut form: Multipart) -> ApiResult<PostedForm> {
    let bad = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            "form",
            format!("表单提交失败：{e}"),
            format!("the form could not be read: {e}"),
        )
    };
    let mut out = PostedForm {
        fields: Vec::new(),
        photos: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or("").to_string();
        if name == "photo" {
            if out.photos.len() as i64 >= photos::MAX_PHOTOS {
                return Err(photos::too_many(axum::http::StatusCode::BAD_REQUEST));
            }
            let bytes = photos::read_field(field, out.photos.len() + 1).await?;
            if !bytes.is_empty() {
                out.photos.push(bytes);
            }
            continue;
        }
        let text = field.text().await.map_err(bad)?;
        out.fields.push((name, text));
    }
    Ok(out)
}

/// Runs `cmd` on the case with `photos` as evidence of it, in one write.
pub async fn run_with_photos(
    st: &AppState,
    user: &User,
    id: i64,
    version: Option<i64>,
    cmd: Command,
    photos: &[Vec<u8>],
) -> ApiResult<CaseRow> {
    check_photos(photos)?;
    load_case(st, user, id).await?;
    let mut written = Vec::new();
    for p in photos {
        match photos::write_file(st, id, p).await {
            Ok(w) => written.push(w),
            Err(e) => {
                photos::take_back(st, &written).await;
                return Err(e);
            }
        }
    }
    let (who, label) = actor_of(user);
    let rows = written.iter().map(|(p, _)| p.clone()).collect();
    let result =
        service::run_with_evidence(st, id, version, &who, &label, cmd, rows, now_millis()).await;
    if result.is_err() {
        photos::take_back(st, &written).await;
    }
    result
}

/// 处置反馈 from the case page: the note and the after-photos picked on the phone.
pub async fn report_back(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let result = async {
        let f = read_form(form).await?;
        user.check_csrf(f.field("csrf").unwrap_or(""))?;
        let version = f.field("version").and_then(|v| v.trim().parse().ok());
        let note = f.field("note").unwrap_or("").to_string();
        run_with_photos(
            &st,
            &user,
            id,
            version,
            Command::ReportBack { note },
            &f.photos,
        )
        .await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done=report_back")).into_response(),
        Err(e) => crate::cases::pages::refused_on_case_page(&st, &user, t, id, e).await,
    }
}

/// A whistle step posted from a phone with its photos: 到场报到 (the location from "use my
/// location", photos of arrival) and 报告办结 (photos of the result). The photos belong to the
/// step, recorded with it.
pub async fn whistle_step(
    State(st): State<AppState>,
    PageUser(user): PageUser,
    headers: HeaderMap,
    Path(id): Path<i64>,
    form: Multipart,
) -> Response {
    let t = lang_of(&headers);
    let mut done = String::new();
    let result = async {
        let f = read_form(form).await?;
        user.check_csrf(f.field("csrf").unwrap_or(""))?;
        done = f.field("command").unwrap_or("").to_string();
        if !matches!(done.as_str(), "arrive_whistle" | "finish_whistle_part") {
            return Err(ApiError::bad_request(
                "command",
                "照片只能随到场报到或报告办结提交",
                "photos come with a check-in on site or a part reported done",
            ));
        }
        let cmd = crate::cases::whistles::pages::form_command(&f.fields)?;
        let version = f.field("version").and_then(|v| v.trim().parse().ok());
        run_with_photos(&st, &user, id, version, cmd, &f.photos).await
    }
    .await;
    match result {
        Ok(_) => Redirect::to(&format!("/cases/{id}?done={done}")).into_response(),
        Err(e) => crate::cases::pages::refused_on_case_page(&st, &user, t, id, e).await,
    }
}
