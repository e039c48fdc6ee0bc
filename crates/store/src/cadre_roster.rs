//! The community cadre roster (`cadre_roster`, decision 024). The domain
//! (`gongzhi_domain::cadre_roster`) checks every row; the import writes a whole file in one
//! transaction, so a refused file changes nothing.

use crate::cases::AssertSql;
use crate::db::Store;
use crate::error::StoreError;
use crate::sql::{Arg, CHUNK, Sql};
use crate::{Actor, Millis};
use gongzhi_domain::cadre_roster::{Cadre, CadrePost, Education};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::population::Gender;
use serde::Serialize;
use sqlx::Row;

#[derive(Clone, Debug, Serialize)]
pub struct CadreRow {
    pub id: i64,
    #[serde(flatten)]
    pub cadre: Cadre,
    /// The first day no longer in post.
    pub left_on: Option<Date>,
    pub community_name: Option<String>,
    pub updated_at: Millis,
}

/// Which cadres a list or report holds.
#[derive(Clone, Debug, Default)]
pub struct CadreFilter {
    /// Inside this area (any level).
    pub area: Option<AreaCode>,
    /// In post on this day; `None`: everyone on the roster, past or present.
    pub serving_on: Option<Date>,
}

const COLUMNS: &str = "c.id, c.name, c.gender, c.birth_date, c.education, c.post,
    c.community_code, c.start_date, c.left_on, c.updated_at, a.name AS community_name";

fn corrupt(col: &str, v: &str) -> StoreError {
    StoreError::corrupt(format!("cadre_roster.{col}: {v}"))
}

fn date(r: &sqlx::any::AnyRow, col: &str) -> Result<Date, StoreError> {
    let s: String = r.try_get(col)?;
    Date::parse(&s).ok_or_else(|| corrupt(col, &s))
}

fn cadre_row(r: &sqlx::any::AnyRow) -> Result<CadreRow, StoreError> {
    let text = |col: &str| -> Result<String, StoreError> { Ok(r.try_get(col)?) };
    let (gender, education, post, community) = (
        text("gender")?,
        text("education")?,
        text("post")?,
        text("community_code")?,
    );
    let left: Option<String> = r.try_get("left_on")?;
    Ok(CadreRow {
        id: r.try_get("id")?,
        cadre: Cadre {
            name: text("name")?,
            gender: Gender::parse(&gender).map_err(|_| corrupt("gender", &gender))?,
            birth_date: date(r, "birth_date")?,
            education: Education::parse(&education)
                .ok_or_else(|| corrupt("education", &education))?,
            post: CadrePost::parse(&post).ok_or_else(|| corrupt("post", &post))?,
            community: AreaCode::parse(&community).map_err(|_| corrupt("community", &community))?,
            start_date: date(r, "start_date")?,
        },
        left_on: left
            .map(|l| Date::parse(&l).ok_or_else(|| corrupt("left_on", &l)))
            .transpose()?,
        community_name: r.try_get("community_name")?,
        updated_at: r.try_get("updated_at")?,
    })
}

impl Store {
    /// Writes a checked roster file in one transaction: a cadre already on the roster (same
    /// community, name and birth date) is updated and back in post, anyone else is added. The
    /// import is recorded in the audit log. Returns how many rows were written.
    pub async fn import_cadres(
        &self,
        cadres: &[Cadre],
        by: &Actor<'_>,
    ) -> Result<usize, StoreError> {
        let now = crate::now_millis();
        let mut tx = self.write_tx().await?;
        for part in cadres.chunks(CHUNK) {
            let mut sql = Sql::new(
                "INSERT INTO cadre_roster (name, gender, birth_date, education, post, community_code,
                    start_date, left_on, created_at, updated_at) VALUES ",
            );
            sql.values(part.iter().map(|c| {
                vec![
                    Arg::Text(c.name.clone()),
                    Arg::Text(c.gender.as_str().into()),
                    Arg::Text(c.birth_date.to_string()),
                    Arg::Text(c.education.as_str().into()),
                    Arg::Text(c.post.as_str().into()),
                    Arg::Text(c.community.to_string()),
                    Arg::Text(c.start_date.to_string()),
                    Arg::OptText(None),
                    Arg::Int(now),
                    Arg::Int(now),
                ]
            }));
            sql.push(
                " ON CONFLICT (community_code, name, birth_date) DO UPDATE SET
                    gender = excluded.gender, education = excluded.education, post = excluded.post,
                    start_date = excluded.start_date, left_on = NULL, updated_at = excluded.updated_at",
            );
            sql.query(self.backend).execute(&mut *tx).await?;
        }
        by.record(
            &mut tx,
            "import",
            "cadre_roster",
            &format!("{} records", cadres.len()),
        )
        .await?;
        tx.commit().await?;
        Ok(cadres.len())
    }

    /// The roster inside an area, by community, then post, then name.
    pub async fn cadre_roster(&self, f: &CadreFilter) -> Result<Vec<CadreRow>, StoreError> {
        let mut sql = Sql::new(&format!(
            "SELECT {COLUMNS} FROM cadre_roster c LEFT JOIN areas a ON a.code = c.community_code
             WHERE 1 = 1"
        ));
        if let Some(a) = &f.area {
            sql.push(" AND c.community_code LIKE ")
                .bind(Arg::Text(format!("{}%", crate::geo_data::area_prefix(a))));
        }
        if let Some(day) = f.serving_on {
            let day = day.to_string();
            sql.push(" AND c.start_date <= ")
                .bind(Arg::Text(day.clone()))
                .push(" AND (c.left_on IS NULL OR c.left_on > ")
                .bind(Arg::Text(day))
                .push(")");
        }
        sql.push(" ORDER BY c.community_code, c.post, c.name, c.id LIMIT 100000");
        let rows = sql.query(self.backend).fetch_all(&self.pool).await?;
        rows.iter().map(cadre_row).collect()
    }

    pub async fn cadre(&self, id: i64) -> Result<Option<CadreRow>, StoreError> {
        let row = sqlx::query(AssertSql::new(format!(
            "SELECT {COLUMNS} FROM cadre_roster c LEFT JOIN areas a ON a.code = c.community_code
             WHERE c.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(cadre_row).transpose()
    }

    /// Marks a cadre no longer in post from `left_on` (or back in post, with `None`).
    pub async fn set_cadre_left(
        &self,
        id: i64,
        left_on: Option<Date>,
        by: &Actor<'_>,
    ) -> Result<(), StoreError> {
        let mut tx = self.write_tx().await?;
        let n = sqlx::query("UPDATE cadre_roster SET left_on = $1, updated_at = $2 WHERE id = $3")
            .bind(left_on.map(|d| d.to_string()))
            .bind(crate::now_millis())
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n != 1 {
            return Err(StoreError::not_found(
                format!("社区干部 {id}"),
                format!("cadre {id}"),
            ));
        }
        by.record(
            &mut tx,
            "cadre_left",
            &format!("cadre_roster/{id}"),
            &left_on.map(|d| d.to_string()).unwrap_or_default(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
