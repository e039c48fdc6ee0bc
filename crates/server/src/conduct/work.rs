//! Supervision's work on its home page and desk: new reports (已接收, waiting to be accepted),
//! signals waiting for review, and the investigations it is assigned to — tiles beside the
//! cases' (`cases::work`).

use super::pages::DeskTile;
use super::{ops, scope, supervises};
use crate::auth::User;
use crate::cases::work::Tile;
use crate::error::ApiResult;
use crate::i18n::Lang;
use crate::state::AppState;
use gongzhi_domain::conduct::ReportState;
use gongzhi_store::MisconductFilter;

/// (new reports, signals waiting, my open investigations).
async fn counts(st: &AppState, user: &User) -> ApiResult<(i64, i64, i64)> {
    let f = scope(user)?;
    let new = st
        .store
        .count_misconduct_reports(&MisconductFilter {
            state: Some(ReportState::Received),
            ..f.clone()
        })
        .await?;
    let mine = st
        .store
        .count_misconduct_reports(&MisconductFilter {
            state: Some(ReportState::Investigating),
            investigator: Some(user.account.id),
            ..f
        })
        .await?;
    let signals = ops::signals(st, user).await?.0.len() as i64;
    Ok((new, signals, mine))
}

/// The home page's tiles: none unless the caller is discipline supervision.
pub async fn tiles(st: &AppState, user: &User) -> ApiResult<Vec<Tile>> {
    if !supervises(user) {
        return Ok(Vec::new());
    }
    let (new, signals, mine) = counts(st, user).await?;
    Ok(vec![
        Tile {
            key: "misconduct_new",
            zh: "新举报",
            en: "New reports",
            count: new,
            href: "/conduct?state=received".into(),
            alert: false,
        },
        Tile {
            key: "misconduct_signals",
            zh: "待复核线索",
            en: "Signals to review",
            count: signals,
            href: "/conduct/signals".into(),
            alert: signals > 0,
        },
        Tile {
            key: "misconduct_mine",
            zh: "我承办的调查",
            en: "My investigations",
            count: mine,
            href: "/conduct?state=investigating&mine=1".into(),
            alert: false,
        },
    ])
}

/// The same counts on the desk page.
pub async fn desk_tiles(st: &AppState, user: &User, t: Lang) -> ApiResult<Vec<DeskTile>> {
    Ok(tiles(st, user)
        .await?
        .into_iter()
        .map(|x| DeskTile {
            key: x.key,
            label: t.s(x.zh, x.en).to_string(),
            count: x.count,
            href: x.href,
            alert: x.alert,
        })
        .collect())
}
