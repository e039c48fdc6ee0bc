//! `gongzhi import calendar FILE`: the operator loads next year's official holiday schedule on
//! the server's console, through the same check and write as the import page and the API.
//! Running servers on the same database count on it within seconds.

use anyhow::{Context, bail};
use gongzhi_server::ServerConfig;
use gongzhi_server::app::{AppError, load_calendar};
use gongzhi_server::error::ApiError;
use gongzhi_store::Actor;
use std::path::Path;

use crate::context::open_store;

/// True for the kind names that mean the working-day calendar.
pub fn is_calendar(kind: &str) -> bool {
    matches!(
        kind.trim().to_ascii_lowercase().as_str(),
        "calendar" | "holidays" | "日历" | "工作日历" | "节假日"
    )
}

pub async fn import(config: &ServerConfig, file: &Path) -> anyhow::Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let store = open_store(config, false).await?;
    // A database the server has not started on yet gets the shipped years first, so that
    // loading one year does not leave the others out.
    gongzhi_server::cases::setup::ensure_defaults(&store).await?;
    let source = file.display().to_string();
    match load_calendar(&store, &Actor::SYSTEM, &bytes, &source).await {
        Ok(done) => {
            let years: Vec<String> = done.years.iter().map(i32::to_string).collect();
            println!(
                "已载入{}年工作日历，共{}天 / loaded the working-day calendar for {}: {} days",
                years.join("、"),
                done.days,
                years.join(", "),
                done.days
            );
            Ok(())
        }
        Err(AppError::Store(e)) => Err(e).context("writing the calendar"),
        Err(e) => {
            let e = ApiError::from(e);
            eprintln!("导入被拒绝，未写入任何数据 / import refused, nothing was written");
            eprintln!("{}\n{}", e.body.message, e.body.message_en);
            bail!("import refused ({})", e.body.code)
        }
    }
}
