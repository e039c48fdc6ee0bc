//! `gongzhi import cadres FILE`: the operator loads a community cadre roster (社区干部名册,
//! .xlsx or .csv with the headers 姓名, 性别, 出生日期, 学历, 职务, 所属社区, 任职日期) on the
//! server's console, through the same check and write as `POST /api/v1/imports/cadres`: a bad
//! file is refused whole, every bad row named, and nothing is written.

use anyhow::{Context, bail};
use gongzhi_domain::calendar::date_of;
use gongzhi_server::ServerConfig;
use gongzhi_server::cadre_roster::import::{Importer, import_cadres};
use std::path::Path;

use crate::context::open_store;

/// True for the kind names that mean the cadre roster.
pub fn is_cadres(kind: &str) -> bool {
    matches!(
        kind.trim().to_ascii_lowercase().as_str(),
        "cadres"
            | "cadre"
            | "cadre-roster"
            | "cadre_roster"
            | "社区干部"
            | "社区干部名册"
            | "干部名册"
    )
}

pub async fn import(config: &ServerConfig, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let store = open_store(config, false).await?;
    let today = date_of(gongzhi_store::now_millis());
    match import_cadres(&store, Importer::Console, &bytes, today).await {
        Ok(done) => {
            println!(
                "已导入社区干部 {} 人 / imported {} cadres from {}",
                done.count,
                done.count,
                file.display()
            );
            Ok(())
        }
        Err(e) => {
            eprintln!("导入被拒绝，未写入任何数据 / import refused, nothing was written");
            eprintln!("{}\n{}", e.body.message, e.body.message_en);
            for r in &e.body.rows {
                eprintln!(
                    "  第{}行 row {} · {} · {} / {}",
                    r.row, r.row, r.column, r.message, r.message_en
                );
            }
            bail!("import refused ({})", e.body.code)
        }
    }
}
