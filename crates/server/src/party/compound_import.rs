//! 小区 import (`gongzhi import compounds FILE`, `POST /api/v1/imports/compounds`): `.xlsx` or
//! `.csv` with the Chinese headers of [`COMPOUND_HEADERS`] (or their English keys), every row
//! checked — the domain's rules, the community known, each building inside it — and written
//! all or nothing, each compound logged. A file's compound already stored (same 小区编号) is
//! updated; its buildings named are attached.

use super::export::COMPOUND_HEADERS;
use crate::cases::import_table::{Col, Row, RowErrors, map_columns, read};
use crate::error::ApiResult;
use gongzhi_domain::Bilingual;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::party::Compound;
use gongzhi_store::party::CompoundUpsert;
use gongzhi_store::{Actor, Store, StoreError};

const KEYS: [&str; 8] = [
    "code",
    "name",
    "community",
    "address",
    "lon",
    "lat",
    "property_company",
    "buildings",
];

fn columns() -> Vec<Col> {
    COMPOUND_HEADERS
        .iter()
        .zip(KEYS)
        .enumerate()
        .map(|(i, (zh, key))| Col {
            zh,
            key,
            // 编号, 名称, 所属社区, 地址 are required; position and the rest may be blank.
            required: i < 4,
        })
        .collect()
}

fn coordinate(errors: &mut RowErrors, row: usize, column: &str, v: &str) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    match v.parse::<f64>() {
        Ok(x) => Some(x),
        Err(_) => {
            errors.push(
                row,
                column,
                v,
                "须为数字（度）",
                "must be a number (degrees)",
            );
            None
        }
    }
}

/// Parses the file; `Err` lists every bad row.
pub fn parse(bytes: &[u8]) -> ApiResult<(Vec<CompoundUpsert>, Vec<usize>)> {
    let table = read(bytes)?;
    let cols = columns();
    let source = map_columns(&table.headers, &cols, &[])?;
    let mut errors = RowErrors::default();
    let mut out = Vec::new();
    let mut rows = Vec::new();
    for raw in &table.rows {
        errors.check_shape(raw, &table.headers);
        let r = Row::new(raw, &source);
        let community = match AreaCode::parse(r.get(2)) {
            Ok(a) => Some(a),
            Err(e) => {
                errors.push(
                    raw.row,
                    COMPOUND_HEADERS[2],
                    r.get(2),
                    e.message_zh(),
                    e.message_en(),
                );
                None
            }
        };
        let lon = coordinate(&mut errors, raw.row, COMPOUND_HEADERS[4], r.get(4));
        let lat = coordinate(&mut errors, raw.row, COMPOUND_HEADERS[5], r.get(5));
        let Some(community) = community else { continue };
        let c = Compound {
            code: r.get(0).into(),
            name: r.get(1).into(),
            community,
            address: r.get(3).into(),
            lon,
            lat,
            property_company: Some(r.get(6).to_string()),
        };
        match c.checked() {
            Ok(c) => {
                let buildings = r
                    .get(7)
                    .split(['、', ',', '，', ';', '；', ' '])
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect();
                out.push(CompoundUpsert {
                    compound: c,
                    buildings,
                });
                rows.push(raw.row);
            }
            Err(e) => {
                let column = match e.field().as_deref() {
                    Some("code") => COMPOUND_HEADERS[0],
                    Some("name") => COMPOUND_HEADERS[1],
                    Some("community") => COMPOUND_HEADERS[2],
                    Some("address") => COMPOUND_HEADERS[3],
                    Some("lon") => COMPOUND_HEADERS[4],
                    Some("lat") => COMPOUND_HEADERS[5],
                    Some("property_company") => COMPOUND_HEADERS[6],
                    _ => "小区",
                };
                errors.push(raw.row, column, "", e.message_zh(), e.message_en());
            }
        }
    }
    errors.into_result("小区", "compounds", table.rows.len())?;
    Ok((out, rows))
}

/// Parses and writes a compound file; returns how many compounds it holds.
pub async fn import(store: &Store, bytes: &[u8], actor: &Actor<'_>) -> ApiResult<usize> {
    let (compounds, rows) = parse(bytes)?;
    match store.import_compounds(&compounds, actor).await {
        Ok((created, updated)) => Ok(created + updated),
        Err(StoreError::Rows(problems)) => {
            // The store numbers the parsed compounds; the report names the file's rows.
            let mut errors = RowErrors::default();
            for p in &problems {
                errors.push(
                    rows.get(p.index).copied().unwrap_or(p.index + 2),
                    p.column,
                    &p.value,
                    p.message_zh.clone(),
                    p.message_en.clone(),
                );
            }
            errors.into_result("小区", "compounds", rows.len())?;
            Ok(0)
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_chinese_headers_parses_and_a_bad_row_is_named() {
        let csv = "小区编号,小区名称,所属社区,地址,经度,纬度,物业公司,楼栋编号\n\
                   320508019044-X01,彩香新村,320508019044,彩香路1号,120.6,31.3,,B1、B2\n";
        let (rows, lines) = parse(csv.as_bytes()).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].buildings, ["B1", "B2"]);
        assert_eq!(rows[0].compound.property_company, None);
        assert_eq!(lines, [2]);
        let bad = "小区编号,小区名称,所属社区,地址\nX1,,320508019044,路\nX2,名,3205,路\n";
        let e = parse(bad.as_bytes()).unwrap_err();
        let rows = &e.body.rows;
        assert_eq!((rows[0].row, rows[0].column.as_str()), (2, "小区名称"));
        assert_eq!((rows[1].row, rows[1].column.as_str()), (3, "所属社区"));
        let wrong_header = "编号,名称\nX,Y\n";
        assert!(
            parse(wrong_header.as_bytes())
                .unwrap_err()
                .body
                .message
                .contains("表头")
        );
    }
}
