//! First-start defaults for the closed loop: the category tree and the official calendar are
//! written to the database once, then edited there; the rules' configuration is read back.

use gongzhi_domain::calendar::{Date, DayKind, WorkCalendar};
use gongzhi_domain::case::{LoopConfig, categories};
use gongzhi_store::{CategoryRow, Store, StoreError};

/// Seeds the shipped category tree and calendar when their tables are empty.
pub async fn ensure_defaults(store: &Store) -> Result<(), StoreError> {
    if store.categories().await?.is_empty() {
        let mut rows: Vec<CategoryRow> = categories::MAJORS
            .iter()
            .map(|m| CategoryRow {
                code: m.code.to_string(),
                parent: None,
                name: m.name.to_string(),
                kind: m.kind.as_str().to_string(),
                deadline_class: gongzhi_domain::case::DeadlineClass::General,
                default_department: None,
                guidance: String::new(),
                active: true,
            })
            .collect();
        rows.extend(categories::CATEGORIES.iter().map(|c| CategoryRow {
            code: c.code.to_string(),
            parent: Some(c.major_code().to_string()),
            name: c.name.to_string(),
            kind: c.kind().as_str().to_string(),
            deadline_class: c.deadline_class,
            default_department: c.department.map(str::to_string),
            guidance: c.guidance.to_string(),
            active: true,
        }));
        store.upsert_categories(&rows).await?;
    }
    // Per shipped year, so that a year an operator loaded before the first start does not keep
    // the shipped ones out; a year already stored is the city's and stays as it is.
    let stored = stored_calendar(store).await?;
    let missing: Vec<_> = WorkCalendar::official()
        .days()
        .filter(|d| !stored.covers(d.date))
        .collect();
    if !missing.is_empty() {
        let rows: Vec<(String, String, String)> = missing
            .into_iter()
            .map(|d| {
                (
                    d.date.to_string(),
                    d.kind.as_str().to_string(),
                    d.name.clone(),
                )
            })
            .collect();
        store.upsert_holidays(&rows).await?;
    }
    Ok(())
}

/// The loop configuration in force: shipped defaults with the stored calendar and the city's
/// stored settings.
pub async fn loop_config(store: &Store) -> Result<LoopConfig, StoreError> {
    let mut cfg = LoopConfig {
        calendar: stored_calendar(store).await?,
        ..LoopConfig::default()
    };
    apply_settings(&mut cfg, &store.loop_settings().await?);
    Ok(cfg)
}

/// The stored setting key of `LoopConfig::verification_by_grid`.
pub const VERIFICATION_BY_GRID: &str = "verification_by_grid";

/// Applies the stored settings over the defaults; a key this server does not know is left
/// alone (a newer server may have written it).
pub fn apply_settings(cfg: &mut LoopConfig, settings: &[(String, String)]) {
    for (key, value) in settings {
        if key == VERIFICATION_BY_GRID {
            cfg.verification_by_grid = value == "true";
        }
    }
}

/// The calendar in the `holidays` table, which administrators extend year by year.
pub async fn stored_calendar(store: &Store) -> Result<WorkCalendar, StoreError> {
    let rows = store.holidays().await?;
    let mut days = Vec::with_capacity(rows.len());
    for (date, kind, name) in rows {
        let (Some(d), Some(k)) = (Date::parse(&date), DayKind::parse(&kind)) else {
            return Err(StoreError::Corrupt(format!(
                "stored calendar: {date},{kind},{name}"
            )));
        };
        days.push((d, k, name));
    }
    Ok(WorkCalendar::new(days))
}
