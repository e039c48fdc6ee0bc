//! Photos on cases: at most 9 per case, at most 5 MB each, JPEG/PNG/WebP recognised by their
//! bytes (not by the name or the browser's claim), stored under the data dir by content hash.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use sha2::{Digest, Sha256};
use std::io::Write;

pub const MAX_PHOTOS: i64 = 9;
pub const MAX_BYTES: usize = 5 * 1024 * 1024;

/// The image type of `bytes` by its magic number.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(("image/jpeg", "jpg"))
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(("image/png", "png"))
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some(("image/webp", "webp"))
    } else {
        None
    }
}

/// Reads one multipart photo field chunk by chunk, refusing it as soon as it passes
/// [`MAX_BYTES`]: a large upload is never held whole. `n` is its 1-based position.
pub async fn read_field(
    mut field: axum::extract::multipart::Field<'_>,
    n: usize,
) -> ApiResult<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(chunk) = field.chunk().await.map_err(|e| {
        ApiError::bad_request(
            "photo",
            format!("第{n}张照片上传失败：{e}"),
            format!("photo {n} could not be read: {e}"),
        )
    })? {
        if out.len() + chunk.len() > MAX_BYTES {
            return Err(too_large(n));
        }
        out.extend_from_slice(&chunk);
    }
    Ok(out)
}

/// A refusal for one photo too many, checked before the photo is read: 400 for a form that
/// brings ten at once, 409 for a case that already has nine.
pub fn too_many(status: StatusCode) -> ApiError {
    let mut e = ApiError::new(
        status,
        if status == StatusCode::CONFLICT {
            "conflict"
        } else {
            "bad_request"
        },
        format!("最多上传{MAX_PHOTOS}张照片"),
        format!("at most {MAX_PHOTOS} photos"),
    );
    e.body.field = Some("photo".into());
    e
}

fn too_large(n: usize) -> ApiError {
    let mut e = ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "photo_too_large",
        format!("第{n}张照片超过{}MB", MAX_BYTES / 1024 / 1024),
        format!("photo {n} is larger than {} MB", MAX_BYTES / 1024 / 1024),
    );
    e.body.field = Some("photo".into());
    e
}

/// Checks one photo and writes it under the case's directory by content hash, durable (file
/// and directory synced) before any row names it. Says whether this call created the file, so
/// that a refused row can take back only what it wrote.
pub async fn write_file(
    st: &AppState,
    case_id: i64,
    bytes: &[u8],
) -> ApiResult<(gongzhi_store::NewPhoto, bool)> {
    write_into(st, &format!("photos/{case_id}"), bytes).await
}

/// Writes the photos of a report not yet filed (it has no id), each request in a directory of
/// its own, so that a refused report takes back exactly its files. All or none: a bad photo
/// removes the ones written before it.
pub async fn write_for_report(
    st: &AppState,
    photos: &[Vec<u8>],
) -> ApiResult<Vec<(gongzhi_store::NewPhoto, bool)>> {
    let mut nonce = [0u8; 8];
    getrandom::fill(&mut nonce).expect("operating system random source");
    let dir = format!(
        "photos/reports/{}",
        nonce.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let mut written = Vec::new();
    for p in photos {
        match write_into(st, &dir, p).await {
            Ok(w) => written.push(w),
            Err(e) => {
                take_back(st, &written).await;
                return Err(e);
            }
        }
    }
    Ok(written)
}

pub(crate) async fn write_into(
    st: &AppState,
    dir_rel: &str,
    bytes: &[u8],
) -> ApiResult<(gongzhi_store::NewPhoto, bool)> {
    if bytes.len() > MAX_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "photo_too_large",
            format!("照片不能超过{}MB", MAX_BYTES / 1024 / 1024),
            format!("a photo may be at most {} MB", MAX_BYTES / 1024 / 1024),
        ));
    }
    let (mime, ext) = sniff(bytes).ok_or_else(|| {
        let mut e = ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_a_photo",
            "只接受 JPEG、PNG 或 WebP 格式的照片",
            "only JPEG, PNG or WebP photos are accepted",
        );
        e.body.field = Some("photo".into());
        e
    })?;
    let sha = Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let dir = st.data_dir.join(dir_rel);
    let rel = format!("{dir_rel}/{sha}.{ext}");
    let path = st.data_dir.join(&rel);
    let data = bytes.to_vec();
    let write = tokio::task::spawn_blocking(move || -> std::io::Result<bool> {
        // The same photo twice on one case is one file: a refused second row must not remove it.
        if std::fs::exists(&path)? {
            return Ok(false);
        }
        std::fs::create_dir_all(&dir)?;
        let mut f = std::fs::File::create(&path)?;
        f.write_all(&data)?;
        f.sync_all()?;
        std::fs::File::open(&dir)?.sync_all()?;
        Ok(true)
    })
    .await
    .map_err(|e| {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "保存照片失败",
            format!("saving the photo failed: {e}"),
        )
    })?;
    let created = write.map_err(|e| {
        tracing::error!(error = %e, "writing photo");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "保存照片失败",
            "saving the photo failed",
        )
    })?;
    Ok((
        gongzhi_store::NewPhoto {
            path: rel,
            mime: mime.to_string(),
            size: bytes.len() as i64,
            sha256: sha,
        },
        created,
    ))
}

/// Files `report` with `photos` (checked and written to disk first) in the report's own
/// transaction: a report is never acknowledged without its photos, nor kept without them.
pub async fn file_with_photos(
    st: &AppState,
    who: &gongzhi_domain::case::Actor,
    label: &gongzhi_store::EventActor,
    mut report: crate::app::Report,
    photos: &[Vec<u8>],
) -> ApiResult<crate::app::Filed> {
    let written = write_for_report(st, photos).await?;
    report.photos = written.iter().map(|(p, _)| p.clone()).collect();
    let filed =
        crate::cases::service::file(st, who, label, report, gongzhi_store::now_millis()).await;
    if filed.is_err() {
        take_back(st, &written).await;
    }
    filed
}

/// Removes the files this request created for photos whose rows were refused.
pub async fn take_back(st: &AppState, written: &[(gongzhi_store::NewPhoto, bool)]) {
    for (p, created) in written {
        if !created {
            continue;
        }
        let target = st.data_dir.join(&p.path);
        if let Err(io) = tokio::fs::remove_file(&target).await {
            tracing::warn!(error = %io, path = %target.display(), "removing a refused photo");
        }
    }
}

/// Checks and stores one photo for a case, recorded against its latest event.
pub async fn save(st: &AppState, case_id: i64, bytes: &[u8]) -> ApiResult<i64> {
    let written = write_file(st, case_id, bytes).await?;
    let p = &written.0;
    match st
        .store
        .add_case_photo(case_id, &p.path, &p.mime, p.size, &p.sha256, MAX_PHOTOS)
        .await
    {
        Ok(id) => Ok(id),
        Err(e) => {
            // Refused (a tenth photo raced in): nothing of it stays on disk.
            take_back(st, std::slice::from_ref(&written)).await;
            Err(e.into())
        }
    }
}

/// A stored photo's bytes and type.
pub async fn read(st: &AppState, photo_id: i64) -> ApiResult<(i64, String, Vec<u8>)> {
    let p = st.store.case_photo(photo_id).await?.ok_or_else(|| {
        ApiError::not_found(format!("照片 {photo_id}"), format!("photo {photo_id}"))
    })?;
    let bytes = tokio::fs::read(st.data_dir.join(&p.path))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, path = %p.path, "reading photo");
            ApiError::not_found(format!("照片 {photo_id}"), format!("photo {photo_id}"))
        })?;
    Ok((p.case_id, p.mime, bytes))
}

#[cfg(test)]
mod tests {
    use super::sniff;

    #[test]
    fn recognises_images_by_their_bytes() {
        assert_eq!(
            sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]).unwrap().0,
            "image/jpeg"
        );
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest").unwrap().0, "image/png");
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 ").unwrap().0, "image/webp");
        assert!(sniff(b"<svg onload=alert(1)>").is_none());
        assert!(sniff(b"GIF89a").is_none());
    }
}
