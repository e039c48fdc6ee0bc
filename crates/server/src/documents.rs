//! Uploaded documents (a notice's attachments, an investigation's evidence): PDF or a photo
//! type, told by their bytes; kept under the data dir by content hash, durable before any row
//! names them; shown under a cleaned file name.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use gongzhi_store::NewPhoto;
use sha2::{Digest, Sha256};
use std::io::Write;

/// Longest file name kept.
const MAX_NAME: usize = 100;

/// The type of a document by its magic number: PDF or one of the photo types.
pub fn sniff(bytes: &[u8]) -> Option<(&'static str, &'static str)> {
    if bytes.starts_with(b"%PDF-") {
        Some(("application/pdf", "pdf"))
    } else {
        crate::cases::photos::sniff(bytes)
    }
}

/// The name shown for a file: its last path part, without control characters or quotes,
/// clipped; `{stem}.{ext}` when nothing is left.
pub fn clean_name(name: &str, ext: &str, stem: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(MAX_NAME)
        .collect();
    let clean = clean.trim().to_string();
    if clean.is_empty() {
        format!("{stem}.{ext}")
    } else {
        clean
    }
}

/// Writes `bytes` under `rel_dir` by content hash and syncs file and directory. `refused` is
/// the 415 answer for a type that is not a document; `what` names the file in the 500 answer.
pub async fn write(
    st: &AppState,
    rel_dir: String,
    bytes: Vec<u8>,
    refused: impl FnOnce() -> ApiError,
    what: (&str, &str),
) -> ApiResult<NewPhoto> {
    let (mime, ext) = sniff(&bytes).ok_or_else(refused)?;
    let sha = Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    let rel = format!("{rel_dir}/{sha}.{ext}");
    let dir = st.data_dir.join(&rel_dir);
    let path = st.data_dir.join(&rel);
    let size = bytes.len() as i64;
    tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        if std::fs::exists(&path)? {
            return Ok(());
        }
        std::fs::create_dir_all(&dir)?;
        let mut f = std::fs::File::create(&path)?;
        f.write_all(&bytes)?;
        f.sync_all()?;
        std::fs::File::open(&dir)?.sync_all()
    })
    .await
    .map_err(|e| e.to_string())
    .and_then(|r| r.map_err(|e| e.to_string()))
    .map_err(|e| {
        tracing::error!(error = %e, file = what.1, "writing an uploaded document");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            format!("保存{}失败", what.0),
            format!("saving the {} failed", what.1),
        )
    })?;
    Ok(NewPhoto {
        path: rel,
        mime: mime.to_string(),
        size,
        sha256: sha,
    })
}
