//! Importing the cadre roster from `.xlsx` / `.csv` with the Chinese headers
//! `姓名, 性别, 出生日期, 学历, 职务, 所属社区, 任职日期` — one check for the CLI
//! (`gongzhi import cadres FILE`), `POST /api/v1/imports/cadres` and the page's upload. Every
//! row is checked first; any bad cell refuses the whole file, naming its row and column in
//! Chinese and English, and nothing is written.

use crate::auth::User;
use crate::cases::import_table::{self, Col, Row, RowErrors};
use crate::error::{ApiError, ApiResult};
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::cadre_roster::{
    Cadre, CadreError, CadreField, parse_community, parse_date, parse_education, parse_gender,
    parse_name, parse_post,
};
use gongzhi_domain::calendar::Date;
use gongzhi_domain::codes::{AreaCode, AreaLevel};
use gongzhi_store::{Actor, Store};
use serde::Serialize;
use std::collections::{HashMap, HashSet};

/// The sheet's columns, in template order: the fields' Chinese headers and English keys.
pub const COLS: [Col; 7] = [
    col(CadreField::Name),
    col(CadreField::Gender),
    col(CadreField::BirthDate),
    col(CadreField::Education),
    col(CadreField::Post),
    col(CadreField::Community),
    col(CadreField::StartDate),
];

const fn col(f: CadreField) -> Col {
    Col {
        zh: match f {
            CadreField::Name => "姓名",
            CadreField::Gender => "性别",
            CadreField::BirthDate => "出生日期",
            CadreField::Education => "学历",
            CadreField::Post => "职务",
            CadreField::Community => "所属社区",
            CadreField::StartDate => "任职日期",
        },
        key: match f {
            CadreField::Name => "name",
            CadreField::Gender => "gender",
            CadreField::BirthDate => "birth_date",
            CadreField::Education => "education",
            CadreField::Post => "post",
            CadreField::Community => "community",
            CadreField::StartDate => "start_date",
        },
        required: true,
    }
}

/// The column of a field in [`COLS`].
fn index(f: CadreField) -> usize {
    CadreField::ALL.iter().position(|x| *x == f).unwrap_or(0)
}

/// Columns the export adds for people to read; an exported file imports back unchanged.
pub const NAME_COLS: [&str; 2] = ["社区名称", "离任日期"];

/// Who imports: the operator on the server's console, or a signed-in account, each of whose
/// rows must lie in its area.
#[derive(Clone, Copy)]
pub enum Importer<'a> {
    Console,
    Account(&'a User),
}

#[derive(Clone, Debug, Serialize)]
pub struct Imported {
    pub count: usize,
}

/// Checks every row of `bytes` on `today`, then writes them all in one transaction.
pub async fn import_cadres(
    store: &Store,
    who: Importer<'_>,
    bytes: &[u8],
    today: Date,
) -> ApiResult<Imported> {
    if let Importer::Account(user) = who {
        let home = crate::http::chrome::home_target(user);
        user.may(Action::ManageCadreRoster, &home)?;
    }
    let table = import_table::read(bytes)?;
    let source = import_table::map_columns(&table.headers, &COLS, &NAME_COLS)?;
    let communities: HashSet<AreaCode> = store
        .areas()
        .await?
        .into_iter()
        .filter(|a| a.code.level() == AreaLevel::Community)
        .map(|a| a.code)
        .collect();
    let mut errors = RowErrors::default();
    let mut seen: HashMap<(AreaCode, String, Date), usize> = HashMap::new();
    let mut cadres = Vec::with_capacity(table.rows.len());
    for raw in &table.rows {
        errors.check_shape(raw, &table.headers);
        let row = Row::new(raw, &source);
        let cell = |f: CadreField| row.get(index(f));
        let name = parse_name(cell(CadreField::Name));
        let gender = parse_gender(cell(CadreField::Gender));
        let birth = parse_date(cell(CadreField::BirthDate));
        let education = parse_education(cell(CadreField::Education));
        let post = parse_post(cell(CadreField::Post));
        let community = parse_community(cell(CadreField::Community)).and_then(|c| {
            if !communities.contains(&c) {
                return Err(CadreError::UnknownCommunity(c.to_string()));
            }
            match who {
                Importer::Account(user)
                    if user
                        .may(Action::ManageCadreRoster, &Target::Area(c))
                        .is_err() =>
                {
                    Err(CadreError::OutsideScope(c.to_string()))
                }
                _ => Ok(c),
            }
        });
        let start = parse_date(cell(CadreField::StartDate));
        let mut bad = |field: CadreField, e: &CadreError| {
            let i = index(field);
            errors.push(
                raw.row,
                COLS[i].zh,
                row.get(i),
                e.message_zh(),
                e.message_en(),
            );
        };
        let problems = [
            (CadreField::Name, name.as_ref().err()),
            (CadreField::Gender, gender.as_ref().err()),
            (CadreField::BirthDate, birth.as_ref().err()),
            (CadreField::Education, education.as_ref().err()),
            (CadreField::Post, post.as_ref().err()),
            (CadreField::Community, community.as_ref().err()),
            (CadreField::StartDate, start.as_ref().err()),
        ];
        if problems.iter().any(|(_, e)| e.is_some()) {
            for (field, e) in problems {
                if let Some(e) = e {
                    bad(field, e);
                }
            }
            continue;
        }
        let (
            Ok(name),
            Ok(gender),
            Ok(birth_date),
            Ok(education),
            Ok(post),
            Ok(community),
            Ok(start_date),
        ) = (name, gender, birth, education, post, community, start)
        else {
            continue;
        };
        let cadre = Cadre {
            name,
            gender,
            birth_date,
            education,
            post,
            community,
            start_date,
        };
        if let Err((field, e)) = cadre.check_dates(today) {
            bad(field, &e);
            continue;
        }
        let key = (cadre.community, cadre.name.clone(), cadre.birth_date);
        if let Some(first) = seen.get(&key) {
            bad(CadreField::Name, &CadreError::Duplicate(*first));
            continue;
        }
        seen.insert(key, raw.row);
        cadres.push(cadre);
    }
    errors.into_result("社区干部名册", "cadre roster", table.rows.len())?;
    if cadres.is_empty() {
        let mut e = ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "import_rejected",
            "文件中没有数据行，未导入任何数据",
            "the file has no data rows; nothing was imported",
        );
        e.body.field = Some("file".into());
        return Err(e);
    }
    let actor = match who {
        Importer::Console => Actor::SYSTEM,
        Importer::Account(user) => user.actor(),
    };
    let count = store.import_cadres(&cadres, &actor).await?;
    Ok(Imported { count })
}
