//! Importing a power list from .xlsx: the owner is given (or the caller's own list); every row
//! is checked by the domain (its flowchart too) and against the numbers already on the list;
//! one bad row refuses the whole file naming each row and column in Chinese and English, and
//! nothing is written. Otherwise all items are stored in one transaction.

use super::api::ImportQuery;
use super::exports::{COLS, NAME_COLS};
use super::ops::{self, Measures, PowerItemInput};
use super::{forbidden, scope};
use crate::auth::User;
use crate::cases::import_table::{self, Row, RowErrors};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_store::now_millis;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct Imported {
    pub count: usize,
    pub ids: Vec<i64>,
}

fn column_of(field: &str) -> &'static str {
    COLS.iter()
        .find(|c| c.key == field)
        .map(|c| c.zh)
        .unwrap_or(COLS[1].zh)
}

fn int(s: &str) -> Option<i64> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.fract() == 0.0)
        .map(|v| v as i64)
}

pub async fn import(
    st: &AppState,
    user: &User,
    q: &ImportQuery,
    bytes: &[u8],
) -> ApiResult<Imported> {
    scope(user)?;
    let owner = ops::owner_of(st, user, q.owner_kind.as_deref(), q.owner.as_deref()).await?;
    if !owner.managed_by(&user.principal()) {
        return Err(forbidden(
            "您不能管理这份权力清单",
            "you may not keep this power list",
        ));
    }
    let table = import_table::read(bytes)?;
    let source = import_table::map_columns(&table.headers, &COLS, &NAME_COLS)?;
    let taken = st.store.power_numbers(&owner).await?;
    let mut next = taken.last().copied().unwrap_or(0) + 1;
    let mut seen: HashMap<i64, usize> = HashMap::new();
    let mut errors = RowErrors::default();
    let mut drafts = Vec::new();
    for raw in &table.rows {
        errors.check_shape(raw, &table.headers);
        let row = Row::new(raw, &source);
        let number = match row.get(0) {
            "" => {
                let n = next;
                next += 1;
                Some(n)
            }
            s => int(s),
        };
        let Some(number) = number else {
            errors.push(
                raw.row,
                COLS[0].zh,
                row.get(0),
                "编号应为整数",
                "the number is a whole number",
            );
            continue;
        };
        if taken.contains(&number) {
            errors.push(
                raw.row,
                COLS[0].zh,
                row.get(0),
                format!("本清单已有编号为 {number} 的事项"),
                format!("the list already has an item numbered {number}"),
            );
            continue;
        }
        if let Some(first) = seen.insert(number, raw.row) {
            errors.push(
                raw.row,
                COLS[0].zh,
                row.get(0),
                format!("与第{first}行编号重复"),
                format!("the same number as row {first}"),
            );
            continue;
        }
        let mut bad_factor = false;
        let mut factor = |i: usize| {
            let v = int(row.get(i));
            if v.is_none() {
                bad_factor = true;
                errors.push(
                    raw.row,
                    COLS[i].zh,
                    row.get(i),
                    "应为 1 至 5 的整数",
                    "must be a whole number from 1 to 5",
                );
            }
            v
        };
        let input = PowerItemInput {
            number: Some(number),
            name: row.get(1).into(),
            power_type: row.get(2).into(),
            legal_basis: row.get(3).into(),
            discretion: row.get(4).into(),
            post: row.get(5).into(),
            importance: factor(6),
            discretion_level: factor(7),
            likelihood: factor(8),
            harm: factor(9),
            measures: Measures::Text(row.get(10).into()),
            flowchart: row.get(11).into(),
            ..Default::default()
        };
        if bad_factor {
            continue;
        }
        match ops::draft_of(&input, owner.clone(), number) {
            Ok(d) => drafts.push(d),
            Err(e) => {
                let field = e.body.field.clone().unwrap_or_default();
                let col = column_of(&field);
                let value = COLS
                    .iter()
                    .position(|c| c.zh == col)
                    .map(|i| row.get(i))
                    .unwrap_or("");
                errors.push(
                    raw.row,
                    col,
                    value,
                    e.body.message.clone(),
                    e.body.message_en.clone(),
                );
            }
        }
    }
    errors.into_result("权力清单", "power list", table.rows.len())?;
    if drafts.is_empty() {
        return Err(ApiError::bad_request(
            "file",
            "文件中没有事项",
            "the file holds no items",
        ));
    }
    let publish = q
        .publish
        .as_deref()
        .is_some_and(|p| p == "1" || p == "true");
    let ids = st
        .store
        .import_power_items(&drafts, publish, &ops::by(user), now_millis())
        .await?;
    st.store
        .record_audit(
            &user.actor(),
            "import",
            "power_items",
            &format!("{} records", ids.len()),
        )
        .await?;
    Ok(Imported {
        count: ids.len(),
        ids,
    })
}
