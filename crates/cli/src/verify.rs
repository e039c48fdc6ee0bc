//! `gongzhi verify`: the ledger checked as an outside client would (`--url`), or the database
//! behind it checked against its own log (`--database` / the data dir). Any failure exits
//! non-zero with a message in Chinese and English naming what is wrong.

use crate::context::open_store;
use anyhow::{Context, bail};
use gongzhi_domain::Bilingual;
use gongzhi_server::ServerConfig;
use gongzhi_server::ledger::verify::{
    RemoteOptions, client, export_tiles, local_verifier, parse_vkey, verify_database, verify_remote,
};
use std::path::PathBuf;

/// The arguments of `gongzhi verify`.
pub struct VerifyArgs {
    pub url: Option<String>,
    pub vkey: Option<String>,
    pub checkpoint: Option<PathBuf>,
    pub receipt: Option<PathBuf>,
    pub export_tiles: Option<PathBuf>,
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("读取 reading {}", path.display()))
}

pub async fn run(config: &ServerConfig, a: VerifyArgs) -> anyhow::Result<()> {
    let vkey = a
        .vkey
        .as_deref()
        .map(parse_vkey)
        .transpose()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    match &a.url {
        Some(url) => {
            if a.export_tiles.is_some() {
                bail!(
                    "--export-tiles 用于本地数据库，不能与 --url 同用 / --export-tiles works on the local database, not with --url"
                );
            }
            let opts = RemoteOptions {
                url: url.clone(),
                vkey,
                old_checkpoint: a.checkpoint.as_ref().map(read).transpose()?,
                receipt: a.receipt.as_ref().map(read).transpose()?,
            };
            let r = verify_remote(&client(), &opts).await.map_err(|e| {
                anyhow::anyhow!(
                    "账本核验失败 / ledger verification failed: {e} [{}]",
                    e.code()
                )
            })?;
            println!(
                "账本核验通过 / ledger verified: {} ({} 条记录 entries, {} 个瓦片 tiles, {} 个条目包 bundles)",
                r.prefix, r.entries, r.tiles, r.bundles
            );
            println!(
                "检查点 checkpoint: {} · 大小 size {} · 根 root {}",
                r.checkpoint.origin,
                r.checkpoint.size,
                r.checkpoint.root.to_base64()
            );
            println!("验证公钥 verifier key: {}", r.vkey);
            if r.vkey_from_server {
                println!(
                    "注意：验证公钥取自被检查的服务器本身；请用 --vkey 指定您信任的公钥 / note: the key came from the server being checked; pass --vkey with a key you trust"
                );
            }
            if let Some(old) = r.consistent_with {
                println!(
                    "与旧检查点（{old} 条）一致，未被改写 / consistent with the old checkpoint of size {old}: nothing was rewritten"
                );
            }
            if let Some(rc) = &r.receipt {
                println!(
                    "回执有效 / receipt valid: 第 {} 条记录 entry {} · 案件 case {} · {} · 检查点 checkpoint {}",
                    rc.index,
                    rc.index,
                    rc.ticket.as_deref().unwrap_or("?"),
                    rc.kind.as_deref().unwrap_or("?"),
                    rc.checkpoint_size
                );
            }
            Ok(())
        }
        None => {
            if a.checkpoint.is_some() || a.receipt.is_some() {
                bail!(
                    "--checkpoint 与 --receipt 需要 --url / --checkpoint and --receipt need --url"
                );
            }
            let verifier = match vkey {
                Some(v) => v,
                None => local_verifier(config).map_err(|e| {
                    anyhow::anyhow!(
                        "{}（可用 --vkey 指定）/ {} (or pass --vkey)",
                        e.message_zh(),
                        e.message_en()
                    )
                })?,
            };
            let store = open_store(config, false).await?;
            let report = verify_database(&store, std::slice::from_ref(&verifier)).await?;
            if !report.is_ok() {
                for p in report.problems.iter().take(100) {
                    eprintln!("✗ {}\n  {}", p.message_zh(), p.message_en());
                }
                if report.problems_total > 100 {
                    eprintln!(
                        "… 另有 {} 个问题 / {} more problems",
                        report.problems_total - 100,
                        report.problems_total - 100
                    );
                }
                bail!(
                    "账本核验失败：发现 {} 个问题 / ledger verification failed: {} problems found",
                    report.problems_total,
                    report.problems_total
                );
            }
            println!(
                "账本核验通过 / ledger verified: {} 条记录 entries ({} 条待入账 pending), {} 个事件 events, {} 个检查点 checkpoints",
                report.size, report.pending, report.events, report.checkpoints
            );
            if let Some(c) = &report.checkpoint {
                println!(
                    "检查点 checkpoint: {} · 大小 size {} · 根 root {}",
                    c.origin,
                    c.size,
                    c.root.to_base64()
                );
            }
            if let Some(dir) = &a.export_tiles {
                let e = export_tiles(&store, &verifier, dir)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                println!(
                    "已导出瓦片 / tiles exported to {}: {} 个文件写入 written, {} 个未变 kept (tree size {})",
                    dir.display(),
                    e.written,
                    e.kept,
                    e.size
                );
            }
            Ok(())
        }
    }
}
