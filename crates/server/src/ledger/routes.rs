//! The public read API of the log (C2SP tlog-tiles, no authentication) and case receipts.
//!
//! - `GET /ledger/checkpoint` — the latest signed checkpoint (`text/plain; charset=utf-8`).
//! - `GET /ledger/tile/<L>/<N>[.p/<W>]` — hash tiles; `GET /ledger/tile/entries/<N>[.p/<W>]` —
//!   entry bundles (`application/octet-stream`). Full tiles never change and are cached for a
//!   year (`immutable`); partial tiles and the checkpoint only briefly.
//! - `GET /ledger/vkey` — the note verifier key `name+keyid+base64`.
//! - `GET /ledger/proof/inclusion?index=I&size=S`, `GET /ledger/proof/consistency?old=M&new=N`
//!   — proofs as JSON with base64 hashes, for sizes up to the latest checkpoint.
//! - `GET /api/v1/cases/{id}/receipt`, `GET /api/v1/public/cases/{code}/receipt` — a C2SP
//!   tlog-proof for one of the case's entries (default: the latest one the current checkpoint
//!   covers; `?seq=N` for another), the entry on its `extra` line. JSON by default;
//!   `?format=text` gives the bare tlog-proof file.

use crate::auth::ApiUser;
use crate::cases::api::{actor_of, load_case};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gongzhi_domain::case;
use gongzhi_ledger::proof::{consistency_proof, inclusion_proof};
use gongzhi_ledger::tiles::{encode_bundle, read_tile};
use gongzhi_ledger::{Receipt, TilePath};
use gongzhi_store::CaseRow;
use gongzhi_store::ledger::StoredCheckpoint;
use gongzhi_store::ledger::entry::REPORTER_PHONE_LABEL;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Full tiles and bundles never change.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The checkpoint moves every second while cases change.
pub const CHECKPOINT_CACHE: &str = "public, max-age=1";
/// A partial tile is replaced by a wider one as the log grows.
pub const PARTIAL_CACHE: &str = "public, max-age=10";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/ledger/checkpoint", get(checkpoint))
        .route("/ledger/vkey", get(vkey))
        .route("/ledger/tile/{*path}", get(tile))
        .route("/ledger/proof/inclusion", get(inclusion))
        .route("/ledger/proof/consistency", get(consistency))
        .route("/api/v1/cases/{id}/receipt", get(case_receipt))
        .route("/api/v1/public/cases/{code}/receipt", get(public_receipt))
}

fn with_headers(
    body: impl IntoResponse,
    content_type: &'static str,
    cache: &'static str,
) -> Response {
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    r
}

fn ledger_error(e: impl std::fmt::Display, zh: &str) -> ApiError {
    tracing::error!(error = %e, "ledger read");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "ledger_read_failed",
        format!("{zh}失败"),
        format!("reading the ledger failed: {e}"),
    )
}

async fn latest(st: &AppState) -> ApiResult<StoredCheckpoint> {
    st.store.ledger_latest_checkpoint().await?.ok_or_else(|| {
        ApiError::not_found(
            "账本检查点（尚未签署）",
            "ledger checkpoint (none signed yet)",
        )
    })
}

async fn checkpoint(State(st): State<AppState>) -> ApiResult<Response> {
    let c = latest(&st).await?;
    Ok(with_headers(
        c.signed_note,
        "text/plain; charset=utf-8",
        CHECKPOINT_CACHE,
    ))
}

async fn vkey(State(st): State<AppState>) -> Response {
    with_headers(
        format!("{}\n", st.ledger.verifier().encode()),
        "text/plain; charset=utf-8",
        "public, max-age=3600",
    )
}

async fn tile(State(st): State<AppState>, Path(path): Path<String>) -> ApiResult<Response> {
    let full = format!("tile/{path}");
    let parsed = TilePath::parse(&full)
        .map_err(|_| ApiError::not_found(format!("瓦片 {full}"), format!("tile {full}")))?;
    let size = latest(&st).await?.size;
    let missing = || {
        ApiError::not_found(
            format!("瓦片 {full}（当前检查点大小 {size}）"),
            format!("tile {full} (the checkpoint's tree size is {size})"),
        )
    };
    let (data, partial) = match parsed {
        TilePath::Hashes(t) => {
            if !t.within(size) {
                return Err(missing());
            }
            let data = st
                .store
                .ledger_with_hashes(|r| read_tile(&t, r))
                .await?
                .map_err(|e| ledger_error(e, "读取瓦片"))?;
            (data, t.is_partial())
        }
        TilePath::Entries(b) => {
            if !b.tile().within(size) {
                return Err(missing());
            }
            let first = b.first_entry();
            let entries = st
                .store
                .ledger_entries(first..first + u64::from(b.width))
                .await?;
            let data = encode_bundle(&entries).map_err(|e| ledger_error(e, "读取条目包"))?;
            (data, b.is_partial())
        }
    };
    Ok(with_headers(
        data,
        "application/octet-stream",
        if partial { PARTIAL_CACHE } else { IMMUTABLE },
    ))
}

#[derive(Deserialize)]
struct InclusionQuery {
    index: u64,
    size: u64,
}

#[derive(Serialize)]
pub struct InclusionBody {
    pub index: u64,
    pub size: u64,
    /// Base64 hashes, the leaf's sibling first.
    pub proof: Vec<String>,
}

fn too_big(size: u64, published: u64) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "ledger_size_unpublished",
        format!("树大小 {size} 超过最新检查点的大小 {published}"),
        format!("tree size {size} is beyond the latest checkpoint's size {published}"),
    )
}

async fn inclusion(
    State(st): State<AppState>,
    Query(q): Query<InclusionQuery>,
) -> ApiResult<Response> {
    let published = latest(&st).await?.size;
    if q.size > published {
        return Err(too_big(q.size, published));
    }
    if q.index >= q.size {
        return Err(ApiError::bad_request(
            "index",
            format!("序号 {} 不在大小为 {} 的树中", q.index, q.size),
            format!("index {} is not in a tree of size {}", q.index, q.size),
        ));
    }
    let proof = st
        .store
        .ledger_with_hashes(|r| inclusion_proof(q.index, q.size, r))
        .await?
        .map_err(|e| ledger_error(e, "生成包含证明"))?;
    Ok(with_headers(
        axum::Json(InclusionBody {
            index: q.index,
            size: q.size,
            proof: proof.iter().map(|h| h.to_base64()).collect(),
        }),
        "application/json",
        IMMUTABLE,
    ))
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    old: u64,
    new: u64,
}

#[derive(Serialize)]
pub struct ConsistencyBody {
    pub old: u64,
    pub new: u64,
    pub proof: Vec<String>,
}

async fn consistency(
    State(st): State<AppState>,
    Query(q): Query<ConsistencyQuery>,
) -> ApiResult<Response> {
    let published = latest(&st).await?.size;
    if q.new > published {
        return Err(too_big(q.new, published));
    }
    if q.old > q.new {
        return Err(ApiError::bad_request(
            "old",
            format!("旧大小 {} 大于新大小 {}", q.old, q.new),
            format!("old size {} is larger than new size {}", q.old, q.new),
        ));
    }
    let proof = st
        .store
        .ledger_with_hashes(|r| consistency_proof(q.old, q.new, r))
        .await?
        .map_err(|e| ledger_error(e, "生成一致性证明"))?;
    Ok(with_headers(
        axum::Json(ConsistencyBody {
            old: q.old,
            new: q.new,
            proof: proof.iter().map(|h| h.to_base64()).collect(),
        }),
        "application/json",
        IMMUTABLE,
    ))
}

#[derive(Deserialize)]
pub struct ReceiptQuery {
    /// The event (by its sequence number in the case); default the latest one signed.
    pub seq: Option<i64>,
    /// `text`: the bare tlog-proof file.
    pub format: Option<String>,
}

/// A receipt for one case event.
#[derive(Clone, Debug, Serialize)]
pub struct ReceiptBody {
    pub ticket: String,
    pub seq: i64,
    pub kind: String,
    pub index: u64,
    pub checkpoint_size: u64,
    /// The entry: canonical JSON, see docs/ledger-entry.md.
    pub entry: String,
    /// The C2SP tlog-proof, the entry on its `extra` line.
    pub receipt: String,
    /// The stored event still derives this entry.
    pub matches_event: bool,
    /// On a `reported` entry, the per-field salts of the report's own details the reader may
    /// see (label → hex): `SHA-256(salt ‖ text)` is the hash in the entry.
    pub openings: BTreeMap<String, String>,
    /// Labels whose salts the reader may not have (the reporter's phone number, to anyone but
    /// the reporter's own account): with the salt, its hash is tested against every number in
    /// milliseconds. The entry and the proof are whole without them.
    pub withheld: Vec<String>,
    /// The log's verifier key.
    pub vkey: String,
}

/// Builds the receipt for `seq` (or the case's latest signed entry), as `reader` may see it.
pub async fn receipt_for(
    st: &AppState,
    row: &CaseRow,
    seq: Option<i64>,
    reader: &case::Actor,
) -> ApiResult<ReceiptBody> {
    let cp = latest(st).await?;
    let entries = st.store.ledger_case_entries(row.id).await?;
    let chosen = match seq {
        Some(s) => entries.iter().find(|e| e.seq == s).ok_or_else(|| {
            ApiError::not_found(
                format!("案件 {} 的第 {s} 个事件", row.ticket),
                format!("event {s} of case {}", row.ticket),
            )
        })?,
        None => entries
            .iter()
            .rev()
            .find(|e| e.index.is_some_and(|i| i < cp.size))
            .or(entries.last())
            .ok_or_else(|| {
                ApiError::not_found(
                    format!("案件 {} 的账本记录", row.ticket),
                    format!("ledger entries of case {}", row.ticket),
                )
            })?,
    };
    let Some(index) = chosen.index.filter(|&i| i < cp.size) else {
        return Err(ApiError::new(
            StatusCode::CONFLICT,
            "ledger_pending",
            "该事件尚未写入已签名的账本，请一秒后再试",
            "the event is not in a signed checkpoint yet; try again in a second",
        ));
    };
    let mut receipt = st
        .store
        .ledger_with_hashes(|r| Receipt::build(index, &cp.signed_note, r))
        .await?
        .map_err(|e| ledger_error(e, "生成回执"))?;
    receipt.extra = Some(chosen.entry.clone());
    let mut openings: BTreeMap<String, String> = st
        .store
        .ledger_case_entry_openings(row.id, chosen.seq)
        .await?
        .map(|o| o.openings.into_iter().collect())
        .unwrap_or_default();
    let mut withheld = Vec::new();
    if !case::may_see_reporter_phone(&row.case, reader)
        && openings.remove(REPORTER_PHONE_LABEL).is_some()
    {
        withheld.push(REPORTER_PHONE_LABEL.to_string());
    }
    Ok(ReceiptBody {
        ticket: row.ticket.clone(),
        seq: chosen.seq,
        kind: chosen.kind.clone(),
        index,
        checkpoint_size: cp.size,
        entry: String::from_utf8_lossy(&chosen.entry).into_owned(),
        receipt: receipt.encode(),
        matches_event: chosen.matches_event,
        openings,
        withheld,
        vkey: st.ledger.verifier().encode(),
    })
}

fn respond(body: ReceiptBody, q: &ReceiptQuery) -> Response {
    if q.format.as_deref() == Some("text") {
        let mut r = with_headers(body.receipt, "text/plain; charset=utf-8", "no-store");
        if let Ok(v) = HeaderValue::from_str(&format!(
            "attachment; filename=\"receipt-{}-{}.tlog-proof\"",
            body.ticket, body.seq
        )) {
            r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
        return r;
    }
    let mut r = axum::Json(body).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

async fn case_receipt(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ReceiptQuery>,
) -> ApiResult<Response> {
    let row = load_case(&st, &user, id).await?;
    let (reader, _) = actor_of(&user);
    Ok(respond(receipt_for(&st, &row, q.seq, &reader).await?, &q))
}

/// The receipt for the holder of a lookup code: the entry and its proof, and of the salts
/// only the description's, so the reporter can prove what they wrote. The others are withheld
/// (the address and point are for staff, the phone for the reporter's own account, through
/// `/api/v1/cases/{id}/receipt`): with them, whoever held a code could test guesses of those
/// short values offline.
async fn public_receipt(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Query(q): Query<ReceiptQuery>,
) -> ApiResult<Response> {
    let row = crate::cases::public_view::case_by_code(&st, ip, &code).await?;
    // Holding the lookup code makes the caller the reporter for the case's rules, but does not
    // show that the phone number is theirs.
    let reader = case::Actor::Public { is_reporter: true };
    let mut body = receipt_for(&st, &row, q.seq, &reader).await?;
    let hidden: Vec<String> = body
        .openings
        .keys()
        .filter(|label| *label != PUBLIC_OPENING)
        .cloned()
        .collect();
    for label in hidden {
        body.openings.remove(&label);
        body.withheld.push(label);
    }
    body.withheld.sort();
    body.withheld.dedup();
    Ok(respond(body, &q))
}

/// The one field a lookup code opens on a receipt: the reporter's own words, which a guess
/// cannot reproduce.
pub const PUBLIC_OPENING: &str = "data.description";
