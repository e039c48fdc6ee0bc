//! The case write path's part: when a case is (or becomes) an emergency, its emergency row and
//! its first alerts to every responsible level are written in the case's own transaction; when
//! the case closes, the emergency ends.

use crate::Millis;
use crate::exec::{Cols, Exec};
use crate::sql::{Arg, Sql};
use gongzhi_domain::case::Case;
use gongzhi_domain::emergency::{Minutes, Place, first_stage, next_stage};

/// The city's escalation minutes, read in the caller's transaction.
pub(crate) async fn minutes_in<X: Exec>(x: &mut X) -> Result<Minutes, crate::StoreError> {
    let row = x
        .fetch_optional(&Sql::new(
            "SELECT minutes FROM emergency_settings WHERE id = 1",
        ))
        .await?;
    Ok(match row {
        Some(r) => Minutes::from_text(&r.text("minutes")?).unwrap_or_default(),
        None => Minutes::default(),
    })
}

/// Keeps the emergency of `case` in step with it: started (titled by the category's name)
/// when the case is an open emergency without one, ended when the case closes.
pub(crate) async fn sync<X: Exec>(
    x: &mut X,
    case: &Case,
    at: Millis,
) -> Result<(), crate::StoreError> {
    let mut q = Sql::new("SELECT id, closed_at FROM emergencies WHERE case_id = ");
    q.bind(Arg::Int(case.id));
    let existing = x.fetch_optional(&q).await?;
    if let Some(row) = existing {
        if !case.state.is_open() && row.opt_int("closed_at")?.is_none() {
            let mut q = Sql::new("UPDATE emergencies SET next_at = NULL, closed_at = ");
            q.bind(Arg::Int(at))
                .push(" WHERE id = ")
                .bind(Arg::Int(row.int("id")?));
            x.execute(&q).await?;
        }
        return Ok(());
    }
    if !case.emergency || !case.state.is_open() {
        return Ok(());
    }
    let place = Place {
        community: case.community,
        grid: case.grid,
        department: case.department.clone(),
    };
    let stage = first_stage(&place);
    let minutes = minutes_in(x).await?;
    let next_at = next_stage(&place, stage, at, &[], minutes)
        .ok()
        .map(|(t, _)| t);
    let mut q = Sql::new(
        "INSERT INTO emergencies (case_id, drill, title, community_code, grid_code, department_code, lon, lat, reported_at, stage, stage_at, next_at, started_by) SELECT ",
    );
    q.bind(Arg::Int(case.id))
        .push(", 0, COALESCE((SELECT name FROM categories WHERE code = c.category_code), c.category_code), ")
        .bind(Arg::OptText(case.community.map(|c| c.as_str().to_string())))
        .push(", ")
        .bind(Arg::OptText(case.grid.map(|g| g.as_str().to_string())))
        .push(", ")
        .bind(Arg::OptText(case.department.clone()))
        .push(", c.lon, c.lat, ")
        .bind(Arg::Int(at))
        .push(", ")
        .bind(Arg::Text(stage.as_str().into()))
        .push(", ")
        .bind(Arg::Int(at))
        .push(", ")
        .bind(Arg::OptInt(next_at))
        .push(", ")
        .bind(Arg::Text("案件".into()))
        .push(" FROM cases c WHERE c.id = ")
        .bind(Arg::Int(case.id))
        .push(" RETURNING id");
    let id = x.fetch_one(&q).await?.int("id")?;
    let rows: Vec<Vec<Arg>> = place
        .responsible()
        .into_iter()
        .map(|(tier, r)| {
            vec![
                Arg::Int(id),
                Arg::Text(tier.as_str().into()),
                Arg::Text(r.to_string()),
                Arg::Text("alert".into()),
                Arg::Int(at),
            ]
        })
        .collect();
    let mut q =
        Sql::new("INSERT INTO emergency_alerts (emergency_id, tier, recipient, kind, at) VALUES ");
    q.values(rows);
    x.execute(&q).await?;
    Ok(())
}
