//! What `gongzhi verify` runs.
//!
//! - [`verify_remote`]: an outside client of a served log. Fetches the checkpoint, every tile
//!   and entry bundle, checks the checkpoint's signature, recomputes the tree from the entries
//!   (naming the first entry whose leaf differs from the published tiles), checks the hash
//!   tiles give the signed root, checks consistency with an older checkpoint the caller kept,
//!   and checks a receipt (its signature, its inclusion proof, its consistency with the current
//!   checkpoint, and that the log holds its entry at its index).
//! - [`verify_database`]: the operator's check of the database behind the log, see
//!   `gongzhi_store::ledger::AuditReport`.
//! - [`export_tiles`]: writes the checkpoint, tiles and entry bundles as static files.

use crate::config::ServerConfig;
use crate::ledger::{LedgerKeyError, key_file, read_key};
use gongzhi_domain::Bilingual;
use gongzhi_ledger::proof::{consistency_proof, tree_hash, verify_consistency};
use gongzhi_ledger::tiles::{
    decode_bundle, encode_bundle, new_bundles, parse_tile_data, read_tile, tiles_for_size,
};
use gongzhi_ledger::{Checkpoint, Hash, Receipt, Tile, TileHashReader, Verifier, full_verify};
use gongzhi_store::Store;
use gongzhi_store::ledger::AuditReport;
use std::collections::HashMap;
use std::path::Path;

/// Verification failed, or could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyFailure {
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl VerifyFailure {
    fn new(code: &'static str, zh: impl Into<String>, en: impl Into<String>) -> VerifyFailure {
        VerifyFailure {
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }
}

impl std::fmt::Display for VerifyFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

impl std::error::Error for VerifyFailure {}

impl Bilingual for VerifyFailure {
    fn code(&self) -> &'static str {
        self.code
    }
    fn message_zh(&self) -> String {
        self.zh.clone()
    }
    fn message_en(&self) -> String {
        self.en.clone()
    }
}

/// What to check against a served log.
#[derive(Clone, Debug, Default)]
pub struct RemoteOptions {
    /// The server (`http://host:port`) or the log prefix (`…/ledger`).
    pub url: String,
    /// The verifier key; default: fetched from the server (then only self-consistency is shown).
    pub vkey: Option<Verifier>,
    /// An older signed checkpoint, verbatim.
    pub old_checkpoint: Option<String>,
    /// A receipt: a tlog-proof (its `extra` line holding the entry) or the receipt API's JSON.
    pub receipt: Option<String>,
}

/// A receipt that verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReceiptCheck {
    pub index: u64,
    pub checkpoint_size: u64,
    pub ticket: Option<String>,
    pub kind: Option<String>,
}

/// What [`verify_remote`] found (everything in it verified).
#[derive(Clone, Debug)]
pub struct RemoteReport {
    pub prefix: String,
    pub checkpoint: Checkpoint,
    pub vkey: String,
    /// The key came from the server itself, not from the caller.
    pub vkey_from_server: bool,
    pub entries: u64,
    pub tiles: usize,
    pub bundles: usize,
    /// Size of the older checkpoint this one was shown to extend.
    pub consistent_with: Option<u64>,
    pub receipt: Option<ReceiptCheck>,
}

/// An HTTP client for [`verify_remote`]: a minute per request at most.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .user_agent(concat!("gongzhi-verify/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_default()
}

/// The log prefix for a server URL: `…/ledger` unless the URL already ends with it.
pub fn ledger_prefix(url: &str) -> String {
    let u = url.trim().trim_end_matches('/');
    if u.ends_with("/ledger") {
        u.to_string()
    } else {
        format!("{u}/ledger")
    }
}

/// A verifier key given as `name+keyid+base64`, or a file holding one.
pub fn parse_vkey(arg: &str) -> Result<Verifier, VerifyFailure> {
    let text = match Verifier::parse(arg.trim()) {
        Ok(v) => return Ok(v),
        Err(_) => std::fs::read_to_string(arg).map_err(|e| {
            VerifyFailure::new(
                "ledger_bad_vkey",
                format!("验证公钥既不是 名称+编号+base64 格式，也无法作为文件读取：{e}"),
                format!("the verifier key is neither name+keyid+base64 nor a readable file: {e}"),
            )
        })?,
    };
    Verifier::parse(text.trim()).map_err(|e| {
        VerifyFailure::new(
            "ledger_bad_vkey",
            format!("验证公钥无效：{}", e.message_zh()),
            format!("invalid verifier key: {e}"),
        )
    })
}

/// The verifier of this installation's own key (configured or in the data dir); never
/// generates one.
pub fn local_verifier(config: &ServerConfig) -> Result<Verifier, LedgerKeyError> {
    match &config.ledger_key {
        Some(k) => Ok(k.verifier()),
        None => Ok(read_key(&key_file(&config.data_dir))?.verifier()),
    }
}

fn fetch_failure(url: &str, why: String) -> VerifyFailure {
    VerifyFailure::new(
        "ledger_fetch_failed",
        format!("获取 {url} 失败：{why}"),
        format!("fetching {url} failed: {why}"),
    )
}

async fn get(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, VerifyFailure> {
    let resp = client
        .get(url)
        .send()
        .await
        .map_err(|e| fetch_failure(url, e.to_string()))?;
    if !resp.status().is_success() {
        return Err(fetch_failure(url, format!("HTTP {}", resp.status())));
    }
    Ok(resp
        .bytes()
        .await
        .map_err(|e| fetch_failure(url, e.to_string()))?
        .to_vec())
}

/// Fetches `paths` under `prefix`, eight at a time.
async fn get_all(
    client: &reqwest::Client,
    prefix: &str,
    paths: Vec<String>,
) -> Result<HashMap<String, Vec<u8>>, VerifyFailure> {
    let mut out = HashMap::with_capacity(paths.len());
    let mut set = tokio::task::JoinSet::new();
    let mut queue = paths.into_iter();
    loop {
        while set.len() < 8 {
            let Some(path) = queue.next() else { break };
            let client = client.clone();
            let url = format!("{prefix}/{path}");
            set.spawn(async move { (path, get(&client, &url).await) });
        }
        let Some(done) = set.join_next().await else {
            break;
        };
        let (path, data) = done.map_err(|e| fetch_failure(prefix, e.to_string()))?;
        out.insert(path, data?);
    }
    Ok(out)
}

fn bad(code: &'static str, zh: String, en: String) -> VerifyFailure {
    VerifyFailure::new(code, zh, en)
}

/// Verifies a served log as any outside client would; see the module docs.
pub async fn verify_remote(
    client: &reqwest::Client,
    o: &RemoteOptions,
) -> Result<RemoteReport, VerifyFailure> {
    let prefix = ledger_prefix(&o.url);
    let (verifier, from_server) = match &o.vkey {
        Some(v) => (v.clone(), false),
        None => {
            let text = get(client, &format!("{prefix}/vkey")).await?;
            (parse_vkey(String::from_utf8_lossy(&text).trim())?, true)
        }
    };
    let verifiers = [verifier.clone()];
    let signed =
        String::from_utf8(get(client, &format!("{prefix}/checkpoint")).await?).map_err(|_| {
            bad(
                "ledger_bad_checkpoint",
                "检查点不是 UTF-8 文本".into(),
                "the checkpoint is not UTF-8 text".into(),
            )
        })?;
    let cp = Checkpoint::open(&signed, &verifiers).map_err(|e| {
        bad(
            "ledger_bad_checkpoint",
            format!("检查点签名无效：{}", e.message_zh()),
            format!("the checkpoint does not verify: {e}"),
        )
    })?;

    let tiles = tiles_for_size(cp.size);
    let bundles = new_bundles(0, cp.size);
    let paths: Vec<String> = tiles
        .iter()
        .map(|t| t.path())
        .chain(bundles.iter().map(|b| b.path()))
        .collect();
    let fetched = get_all(client, &prefix, paths).await?;
    let mut tile_data: HashMap<Tile, Vec<u8>> = HashMap::new();
    let mut leaves: Vec<Hash> = Vec::with_capacity(usize::try_from(cp.size).unwrap_or(0));
    for t in &tiles {
        let data = fetched[&t.path()].clone();
        let hashes = parse_tile_data(&data, t.width).map_err(|e| {
            bad(
                "ledger_bad_tile",
                format!("瓦片 {t} 无效：{}", e.message_zh()),
                format!("tile {t} is malformed: {e}"),
            )
        })?;
        if t.level == 0 {
            leaves.extend(hashes);
        }
        tile_data.insert(*t, data);
    }
    let mut entries: Vec<Vec<u8>> = Vec::with_capacity(leaves.len());
    for b in &bundles {
        let data = &fetched[&b.path()];
        let got = decode_bundle(data).map_err(|e| {
            bad(
                "ledger_bad_bundle",
                format!("条目包 {b} 无效：{}", e.message_zh()),
                format!("entry bundle {b} is malformed: {e}"),
            )
        })?;
        if got.len() != b.width as usize {
            return Err(bad(
                "ledger_bad_bundle",
                format!("条目包 {b} 有 {} 条记录，应为 {} 条", got.len(), b.width),
                format!(
                    "entry bundle {b} holds {} entries, not {}",
                    got.len(),
                    b.width
                ),
            ));
        }
        entries.extend(got.into_iter().map(<[u8]>::to_vec));
    }
    full_verify(
        entries.iter().map(Vec::as_slice),
        &signed,
        &verifiers,
        Some(&leaves),
    )
    .map_err(|e| {
        bad(
            "ledger_entries_mismatch",
            format!("由条目重新计算的树与已签名的检查点不符：{}", e.message_zh()),
            format!(
                "the tree recomputed from the entries does not match the signed checkpoint: {e}"
            ),
        )
    })?;
    let reader = TileHashReader::new(cp.size, |t: &Tile| {
        tile_data.get(t).cloned().ok_or("not fetched")
    });
    let tiles_root = tree_hash(cp.size, &reader).map_err(|e| {
        bad(
            "ledger_bad_tile",
            format!("无法由瓦片计算根哈希：{}", e.message_zh()),
            format!("cannot compute the root from the tiles: {e}"),
        )
    })?;
    if tiles_root != cp.root {
        return Err(bad(
            "ledger_bad_tile",
            "哈希瓦片给出的根哈希与已签名的不符".into(),
            "the hash tiles give a root other than the signed one".into(),
        ));
    }
    let consistent = |old: &Checkpoint, what_zh: &str, what_en: &str| {
        if old.origin != cp.origin {
            return Err(bad(
                "ledger_other_log",
                format!("{what_zh}来自另一个账本（{}）", old.origin),
                format!("{what_en} is from another log ({})", old.origin),
            ));
        }
        if old.size > cp.size {
            return Err(bad(
                "ledger_rolled_back",
                format!(
                    "{what_zh}（{} 条）比当前检查点（{} 条）大：账本被回滚",
                    old.size, cp.size
                ),
                format!(
                    "{what_en} ({} entries) is larger than the current checkpoint ({}): the log was rolled back",
                    old.size, cp.size
                ),
            ));
        }
        let proof = consistency_proof(old.size, cp.size, &reader).map_err(|e| {
            bad(
                "ledger_bad_tile",
                format!("无法由瓦片生成一致性证明：{}", e.message_zh()),
                format!("cannot build the consistency proof from the tiles: {e}"),
            )
        })?;
        verify_consistency(old.size, cp.size, &old.root, &cp.root, &proof).map_err(|e| {
            bad(
                "ledger_inconsistent",
                format!(
                    "当前检查点与{what_zh}（{} 条）不一致：{}",
                    old.size,
                    e.message_zh()
                ),
                format!(
                    "the current checkpoint is not consistent with {what_en} ({} entries): {e}",
                    old.size
                ),
            )
        })
    };
    let mut consistent_with = None;
    if let Some(text) = &o.old_checkpoint {
        let old = Checkpoint::open(text, &verifiers).map_err(|e| {
            bad(
                "ledger_bad_checkpoint",
                format!("旧检查点签名无效：{}", e.message_zh()),
                format!("the old checkpoint does not verify: {e}"),
            )
        })?;
        consistent(&old, "旧检查点", "the old checkpoint")?;
        consistent_with = Some(old.size);
    }
    let mut receipt_check = None;
    if let Some(text) = &o.receipt {
        let r = parse_receipt(text)?;
        let entry = r.extra.clone().ok_or_else(|| {
            bad(
                "receipt_without_entry",
                "回执中没有条目（extra 行）".into(),
                "the receipt carries no entry (extra line)".into(),
            )
        })?;
        let rcp = r.verify(&entry, &verifiers).map_err(|e| {
            bad(
                "receipt_invalid",
                format!("回执无效：{}", e.message_zh()),
                format!("the receipt does not verify: {e}"),
            )
        })?;
        consistent(&rcp, "回执中的检查点", "the receipt's checkpoint")?;
        let held = usize::try_from(r.index).ok().and_then(|i| entries.get(i));
        if held != Some(&entry) {
            return Err(bad(
                "receipt_entry_mismatch",
                format!("账本第 {} 条记录与回执中的条目不符", r.index),
                format!("ledger entry {} is not the receipt's entry", r.index),
            ));
        }
        let v: Option<serde_json::Value> = serde_json::from_slice(&entry).ok();
        receipt_check = Some(ReceiptCheck {
            index: r.index,
            checkpoint_size: rcp.size,
            ticket: v
                .as_ref()
                .and_then(|v| v["case"].as_str().map(str::to_string)),
            kind: v
                .as_ref()
                .and_then(|v| v["kind"].as_str().map(str::to_string)),
        });
    }
    Ok(RemoteReport {
        prefix,
        vkey: verifier.encode(),
        vkey_from_server: from_server,
        entries: entries.len() as u64,
        tiles: tiles.len(),
        bundles: bundles.len(),
        checkpoint: cp,
        consistent_with,
        receipt: receipt_check,
    })
}

/// A tlog-proof, or the receipt API's JSON (its `receipt` field).
pub fn parse_receipt(text: &str) -> Result<Receipt, VerifyFailure> {
    let proof = if text.trim_start().starts_with('{') {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| {
            bad(
                "receipt_malformed",
                format!("回执 JSON 无效：{e}"),
                format!("the receipt JSON is malformed: {e}"),
            )
        })?;
        v["receipt"].as_str().map(str::to_string).ok_or_else(|| {
            bad(
                "receipt_malformed",
                "回执 JSON 中没有 receipt 字段".into(),
                "the receipt JSON has no receipt field".into(),
            )
        })?
    } else {
        text.to_string()
    };
    Receipt::parse(&proof).map_err(|e| {
        bad(
            "receipt_malformed",
            format!("回执格式错误：{}", e.message_zh()),
            format!("the receipt is malformed: {e}"),
        )
    })
}

/// The operator's check of the database; see `Store::ledger_audit`. This is what
/// `gongzhi verify --database` runs.
pub async fn verify_database(
    store: &Store,
    verifiers: &[Verifier],
) -> Result<AuditReport, gongzhi_store::StoreError> {
    store.ledger_audit(verifiers).await
}

/// What [`export_tiles`] wrote.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExportReport {
    pub size: u64,
    pub written: usize,
    pub kept: usize,
}

fn io_failure(path: &Path, e: std::io::Error) -> VerifyFailure {
    VerifyFailure::new(
        "export_failed",
        format!("写入 {} 失败：{e}", path.display()),
        format!("writing {} failed: {e}", path.display()),
    )
}

fn write_file(path: &Path, data: &[u8]) -> Result<(), VerifyFailure> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| io_failure(dir, e))?;
    }
    let tmp = path.with_extension("tmp-export");
    std::fs::write(&tmp, data).map_err(|e| io_failure(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| io_failure(path, e))
}

/// Writes the latest checkpoint, the verifier key, and every tile and entry bundle of its tree
/// under `dir` in the tlog-tiles layout, for any static web server. Full tiles already there are
/// kept (they never change), so repeated exports only write what is new.
pub async fn export_tiles(
    store: &Store,
    verifier: &Verifier,
    dir: &Path,
) -> Result<ExportReport, VerifyFailure> {
    let store_failure = |e: gongzhi_store::StoreError| {
        VerifyFailure::new("export_failed", e.message_zh(), e.message_en())
    };
    let cp = store
        .ledger_latest_checkpoint()
        .await
        .map_err(store_failure)?
        .ok_or_else(|| {
            VerifyFailure::new(
                "ledger_no_checkpoint",
                "账本还没有已签名的检查点",
                "the ledger has no signed checkpoint yet",
            )
        })?;
    let mut report = ExportReport {
        size: cp.size,
        written: 0,
        kept: 0,
    };
    for t in tiles_for_size(cp.size) {
        let path = dir.join(t.path());
        if !t.is_partial() && path.exists() {
            report.kept += 1;
            continue;
        }
        let data = store
            .ledger_with_hashes(|r| read_tile(&t, r))
            .await
            .map_err(store_failure)?
            .map_err(|e| {
                VerifyFailure::new(
                    "export_failed",
                    format!("读取瓦片 {t} 失败：{e}"),
                    format!("reading tile {t}: {e}"),
                )
            })?;
        write_file(&path, &data)?;
        report.written += 1;
    }
    for b in new_bundles(0, cp.size) {
        let path = dir.join(b.path());
        if !b.is_partial() && path.exists() {
            report.kept += 1;
            continue;
        }
        let first = b.first_entry();
        let entries = store
            .ledger_entries(first..first + u64::from(b.width))
            .await
            .map_err(store_failure)?;
        let data = encode_bundle(&entries)
            .map_err(|e| VerifyFailure::new("export_failed", e.message_zh(), e.to_string()))?;
        write_file(&path, &data)?;
        report.written += 1;
    }
    write_file(
        &dir.join("vkey"),
        format!("{}\n", verifier.encode()).as_bytes(),
    )?;
    // The checkpoint last: a client reading it finds every tile it names.
    write_file(&dir.join("checkpoint"), cp.signed_note.as_bytes())?;
    report.written += 2;
    Ok(report)
}
