//! Loading a year's official schedule: every server reads the `holidays` table, so a year
//! written here is in force everywhere once each server reloads (see the server's
//! `cases::calendar`).

use std::collections::BTreeSet;

use gongzhi_domain::calendar::CalendarDay;

use crate::audit::Actor;
use crate::db::Store;
use crate::error::StoreError;

impl Store {
    /// Replaces the stored schedule of every year that `days` mentions by `days`, in one
    /// transaction with its audit entry: a corrected notice loaded again drops the days it no
    /// longer lists, and years the file does not mention stay as they are. Returns the years.
    pub async fn replace_calendar_years(
        &self,
        actor: &Actor<'_>,
        days: &[CalendarDay],
        source: &str,
    ) -> Result<Vec<i32>, StoreError> {
        let years: BTreeSet<i32> = days.iter().map(|d| d.date.year()).collect();
        let mut tx = self.write_tx().await?;
        for year in &years {
            // Dates are stored as `YYYY-MM-DD` text, so a year is a range of strings.
            sqlx::query("DELETE FROM holidays WHERE date >= $1 AND date <= $2")
                .bind(format!("{year:04}-01-01"))
                .bind(format!("{year:04}-12-31"))
                .execute(&mut *tx)
                .await?;
        }
        for day in days {
            sqlx::query("INSERT INTO holidays (date, kind, name) VALUES ($1, $2, $3)")
                .bind(day.date.to_string())
                .bind(day.kind.as_str())
                .bind(&day.name)
                .execute(&mut *tx)
                .await?;
        }
        let years: Vec<i32> = years.into_iter().collect();
        let listed = years
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(",");
        actor
            .record(
                &mut tx,
                "calendar.import",
                &format!("calendar:{listed}"),
                &format!("{} days from {source}", days.len()),
            )
            .await?;
        tx.commit().await?;
        Ok(years)
    }
}
