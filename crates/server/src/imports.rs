//! Imports and exports, shared by the web pages, the JSON API and the CLI so that every path
//! applies the same checks: parse → validate (codes, topology, references) → write all or nothing.

use crate::error::{ApiError, RowError};
use crate::grid_index::SharedGridIndex;
use crate::import_stream::{Streamed, import_kind};
use axum::http::StatusCode;
use geo::MultiPolygon;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::codes::AreaCode;
use gongzhi_geo::{GridShape, geojson_io, places_io, topology};
use gongzhi_sheets::{Format, ImportReport, Kind, Records};
use gongzhi_store::records::{
    AreaRecord, BuildingRecord, DepartmentRecord, GridRecord, HouseholdRecord, PlaceRecord,
    ResidentRecord,
};
use gongzhi_store::{HouseholdFilter, Page, ResidentFilter, Store};
use std::collections::HashMap;
use std::io::Cursor;

/// Where an import may write. Every record of a file must lie inside, or nothing is written
/// (security finding 6: a district account renamed the city and its departments).
#[derive(Clone, Copy)]
pub enum Region<'a> {
    /// The operator on the server's own console (the CLI).
    Anywhere,
    /// A signed-in account: the policy's `ImportGeo` decides for each area and grid;
    /// departments are the whole city's.
    Of(&'a crate::auth::User),
}

impl Region<'_> {
    pub(crate) fn check(&self, row: usize, target: Target, what: &str) -> Result<(), ApiError> {
        let Region::Of(user) = self else {
            return Ok(());
        };
        user.may(Action::ImportGeo, &target).map_err(|_| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                "outside_scope",
                format!("第{row}条记录（{what}）不在您的管辖范围内，整个文件未导入"),
                format!("record {row} ({what}) is outside your area; nothing was imported"),
            )
        })
    }

    fn check_records(&self, records: &Records) -> Result<(), ApiError> {
        match records {
            Records::Areas(v) => v.iter().enumerate().try_for_each(|(i, a)| {
                self.check(i + 1, Target::Area(a.code), &format!("区划 {}", a.code))
            }),
            Records::Departments(v) => v.iter().enumerate().try_for_each(|(i, d)| {
                self.check(i + 1, Target::Everything, &format!("部门 {}", d.code))
            }),
            // Population files are checked by `import_allowed` (city-wide accounts only).
            _ => Ok(()),
        }
    }
}

/// What can be imported: a spreadsheet kind, or grids or place names (地名地址) as GeoJSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DataKind {
    Sheet(Kind),
    Grids,
    Places,
    /// 小区 with their buildings (`crate::party::compound_import`).
    Compounds,
}

impl DataKind {
    pub fn parse(s: &str) -> Result<DataKind, ApiError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "grids" | "grid" | "网格" => Ok(DataKind::Grids),
            "places" | "place" | "地名地址" | "地名" => Ok(DataKind::Places),
            "compounds" | "compound" | "小区" => Ok(DataKind::Compounds),
            other => Kind::parse(other).map(DataKind::Sheet).map_err(|_| {
                ApiError::bad_request(
                    "kind",
                    format!("未知的数据类型：{s}（可选 areas、grids、places、departments、buildings、households、residents、compounds）"),
                    format!("unknown kind: {s} (one of areas, grids, places, departments, buildings, households, residents, compounds)"),
                )
            }),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DataKind::Sheet(k) => k.as_str(),
            DataKind::Grids => "grids",
            DataKind::Places => "places",
            DataKind::Compounds => "compounds",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            DataKind::Sheet(k) => k.zh(),
            DataKind::Grids => "网格",
            DataKind::Places => "地名地址",
            DataKind::Compounds => "小区",
        }
    }

    /// A GeoJSON file, not a spreadsheet.
    pub fn is_geojson(self) -> bool {
        matches!(self, DataKind::Grids | DataKind::Places)
    }

    pub const ALL: [DataKind; 8] = [
        DataKind::Sheet(Kind::Areas),
        DataKind::Grids,
        DataKind::Places,
        DataKind::Sheet(Kind::Departments),
        DataKind::Sheet(Kind::Buildings),
        DataKind::Sheet(Kind::Households),
        DataKind::Sheet(Kind::Residents),
        DataKind::Compounds,
    ];
}

#[derive(Clone, Debug, serde::Serialize)]
pub struct ImportDone {
    pub kind: &'static str,
    pub count: usize,
    /// Findings accepted on purpose (gaps with `allow_gaps`), in Chinese and English.
    pub notes_zh: Vec<String>,
    pub notes_en: Vec<String>,
}

/// A refused import as the API error, with every listed bad row.
pub fn report_error(report: &ImportReport) -> ApiError {
    let rows = report
        .row_errors
        .iter()
        .map(|r| RowError {
            row: r.row,
            column: r.column.clone(),
            value: r.value.clone(),
            message: r.message_zh.clone(),
            message_en: r.message_en.clone(),
        })
        .collect();
    ApiError::from_bilingual(StatusCode::UNPROCESSABLE_ENTITY, report).with_rows(rows)
}

/// Imports one file. Nothing is written unless every row and every check passes.
///
/// `grids` is the server's grid index, kept current after areas, grids and places; the CLI,
/// a process that ends with the import, has none to keep.
pub async fn import(
    store: &Store,
    grids: Option<&SharedGridIndex>,
    region: Region<'_>,
    kind: DataKind,
    bytes: Vec<u8>,
    allow_gaps: bool,
    mut progress: impl FnMut(usize, Option<usize>) + Send + 'static,
) -> Result<ImportDone, ApiError> {
    let unkept = SharedGridIndex::default();
    match kind {
        DataKind::Grids => {
            import_grids(store, grids.unwrap_or(&unkept), region, &bytes, allow_gaps).await
        }
        DataKind::Places => import_places(store, grids.unwrap_or(&unkept), region, &bytes).await,
        DataKind::Compounds => {
            let actor = match region {
                Region::Anywhere => gongzhi_store::Actor {
                    id: None,
                    name: "命令行导入",
                },
                Region::Of(user) => user.actor(),
            };
            let count = crate::party::compound_import::import(store, &bytes, &actor).await?;
            Ok(ImportDone {
                kind: "compounds",
                count,
                notes_zh: Vec::new(),
                notes_en: Vec::new(),
            })
        }
        DataKind::Sheet(kind) => {
            let format = Format::sniff(&bytes);
            let count = match Streamed::of(kind) {
                Some(streamed) => {
                    import_kind(
                        store,
                        region,
                        streamed,
                        format,
                        Cursor::new(bytes),
                        progress,
                    )
                    .await?
                }
                None => {
                    let records = tokio::task::spawn_blocking(move || {
                        gongzhi_sheets::parse_kind(kind, format, Cursor::new(&bytes), &mut progress)
                    })
                    .await
                    .map_err(|e| {
                        ApiError::new(
                            StatusCode::INTERNAL_SERVER_ERROR,
                            "internal",
                            "导入任务异常",
                            format!("import task failed: {e}"),
                        )
                    })?
                    .map_err(|report| report_error(&report))?;
                    region.check_records(&records)?;
                    write_records(store, &records).await?
                }
            };
            if kind == Kind::Areas
                && let Some(grids) = grids
            {
                // Area names label maps and scorecards from memory.
                grids.reload(store).await?;
            }
            Ok(ImportDone {
                kind: kind.as_str(),
                count,
                notes_zh: Vec::new(),
                notes_en: Vec::new(),
            })
        }
    }
}

/// Imports a spreadsheet file read as a stream from disk (the CLI): a file of a million rows is
/// never held in memory whole. Departments, a short list, are read whole.
pub async fn import_sheet_file(
    store: &Store,
    kind: Kind,
    path: &std::path::Path,
    progress: impl FnMut(usize, Option<usize>) + Send + 'static,
) -> Result<ImportDone, ApiError> {
    use std::io::{BufReader, Read};
    let unreadable = |e: std::io::Error| {
        ApiError::bad_request(
            "file",
            format!("无法读取文件 {}：{e}", path.display()),
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let mut head = Vec::new();
    (&mut file)
        .take(8)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    let format = Format::sniff(&head);
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let input = BufReader::with_capacity(1 << 16, file);
    let region = Region::Anywhere;
    let count = match Streamed::of(kind) {
        Some(streamed) => import_kind(store, region, streamed, format, input, progress).await?,
        None => {
            let bytes = std::fs::read(path).map_err(unreadable)?;
            return import(
                store,
                None,
                region,
                DataKind::Sheet(kind),
                bytes,
                false,
                progress,
            )
            .await;
        }
    };
    Ok(ImportDone {
        kind: kind.as_str(),
        count,
        notes_zh: Vec::new(),
        notes_en: Vec::new(),
    })
}

/// Writes parsed records; a reference the store cannot resolve refuses the whole batch.
pub async fn write_records(store: &Store, records: &Records) -> Result<usize, ApiError> {
    Ok(match records {
        Records::Areas(v) => store.upsert_areas(v).await?,
        Records::Departments(v) => store.upsert_departments(v).await?,
        Records::Buildings(v) => store.import_buildings(v).await?,
        Records::Households(v) => store.import_households(v).await?,
        Records::Residents(v) => store.import_residents(v).await?,
    })
}

async fn community_boundaries(
    store: &Store,
) -> Result<HashMap<AreaCode, MultiPolygon<f64>>, ApiError> {
    let mut out = HashMap::new();
    for (code, text) in store.area_geometries().await? {
        if code.level() == gongzhi_domain::codes::AreaLevel::Community
            && let Ok(mp) = geojson_io::read_geometry(&text)
        {
            out.insert(code, mp);
        }
    }
    Ok(out)
}

fn utf8(bytes: &[u8]) -> Result<&str, ApiError> {
    std::str::from_utf8(bytes).map_err(|_| {
        ApiError::bad_request(
            "file",
            "GeoJSON 文件须为 UTF-8 编码",
            "a GeoJSON file must be UTF-8",
        )
    })
}

/// Place names (地名地址) from GeoJSON: every place inside the importer's region, every area
/// held, or nothing is written; the map's place layer is rebuilt.
async fn import_places(
    store: &Store,
    index: &SharedGridIndex,
    region: Region<'_>,
    bytes: &[u8],
) -> Result<ImportDone, ApiError> {
    let incoming =
        places_io::read_places(utf8(bytes)?).map_err(|e| ApiError::invalid("file", &e))?;
    for (i, p) in incoming.iter().enumerate() {
        region.check(i + 1, Target::Area(p.area), &format!("地名 {}", p.name))?;
    }
    let records: Vec<PlaceRecord> = incoming
        .iter()
        .map(|p| {
            let at = p.geometry.anchor();
            PlaceRecord {
                kind: p.kind,
                name: p.name.clone(),
                area: p.area,
                lon: at.x,
                lat: at.y,
                geometry_geojson: p.geometry.to_geojson(),
            }
        })
        .collect();
    let count = store.import_places(&records).await?;
    index.reload(store).await?;
    Ok(ImportDone {
        kind: "places",
        count,
        notes_zh: Vec::new(),
        notes_en: Vec::new(),
    })
}

async fn import_grids(
    store: &Store,
    index: &SharedGridIndex,
    region: Region<'_>,
    bytes: &[u8],
    allow_gaps: bool,
) -> Result<ImportDone, ApiError> {
    let incoming =
        geojson_io::read_grids(utf8(bytes)?).map_err(|e| ApiError::invalid("file", &e))?;
    for (i, g) in incoming.iter().enumerate() {
        region.check(i + 1, Target::Grid(g.code), &format!("网格 {}", g.code))?;
    }
    // Check the new grids together with the stored grids they do not replace.
    let replacing: std::collections::HashSet<_> = incoming.iter().map(|g| g.code).collect();
    let mut all: Vec<GridShape> = store
        .grids()
        .await?
        .iter()
        .filter(|g| !replacing.contains(&g.code))
        .filter_map(crate::grid_index::shape_of)
        .collect();
    all.extend(incoming.iter().cloned());
    let boundaries = community_boundaries(store).await?;
    let mut report = tokio::task::spawn_blocking(move || topology::check(&all, &boundaries))
        .await
        .map_err(|e| {
            ApiError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "拓扑检查异常",
                format!("topology task failed: {e}"),
            )
        })?;
    // Judge this file only: findings among stored grids alone are not its doing.
    let touched: std::collections::HashSet<AreaCode> =
        incoming.iter().map(|g| g.code.community()).collect();
    report
        .overlaps
        .retain(|o| replacing.contains(&o.a) || replacing.contains(&o.b));
    report.outside.retain(|o| replacing.contains(&o.grid));
    report.gaps.retain(|g| touched.contains(&g.community));
    if let Some(refusal) = report.refusal(allow_gaps) {
        return Err(ApiError::invalid("file", &refusal));
    }
    let records: Vec<GridRecord> = incoming
        .iter()
        .map(|g| GridRecord {
            code: g.code,
            name: g.name.clone(),
            geometry_geojson: geojson_io::geometry_of(&g.polygon).to_string(),
            area_m2: g.area_m2(),
        })
        .collect();
    let count = store.import_grids(&records).await?;
    index.reload(store).await?;
    let (notes_zh, notes_en) = if report.gaps.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let gaps_only = topology::TopologyReport {
            gaps: report.gaps.clone(),
            ..Default::default()
        };
        (gaps_only.lines_zh(), gaps_only.lines_en())
    };
    Ok(ImportDone {
        kind: "grids",
        count,
        notes_zh,
        notes_en,
    })
}

/// Where an export looks; `None` means the whole city.
#[derive(Clone, Copy, Debug, Default)]
pub struct ExportRegion {
    pub area: Option<AreaCode>,
    pub grid: Option<gongzhi_domain::codes::GridCode>,
}

/// An export file and how many records it holds (for the audit log).
pub struct Exported {
    pub bytes: Vec<u8>,
    pub rows: usize,
}

/// Everything of one kind in a region as a file: `.xlsx`/`.csv` (masked) or GeoJSON for grids.
pub async fn export(
    store: &Store,
    kind: DataKind,
    region: ExportRegion,
    format: Format,
) -> Result<Exported, ApiError> {
    let all = Page {
        offset: 0,
        limit: i64::MAX / 2,
    };
    let records = match kind {
        DataKind::Grids => {
            let rows = match (region.grid, region.area) {
                (Some(g), _) => store.grid(&g).await?.into_iter().collect(),
                (None, Some(a)) => store.grids_in(&a).await?,
                (None, None) => store.grids().await?,
            };
            let shapes: Vec<GridShape> = rows
                .iter()
                .filter_map(crate::grid_index::shape_of)
                .collect();
            return Ok(Exported {
                bytes: gongzhi_geo::geojson_io::write_grids(&shapes).into_bytes(),
                rows: shapes.len(),
            });
        }
        DataKind::Compounds => {
            let rows = store
                .compounds(&gongzhi_store::party::CompoundFilter {
                    area: region.area.or(region.grid.map(|g| g.community())),
                    name: None,
                })
                .await?;
            let mut cells = Vec::with_capacity(rows.len());
            for c in &rows {
                let b = store.compound_buildings(c.id).await?;
                cells.push(crate::party::export::compound_cells(c, &b));
            }
            if format == Format::Csv {
                return Err(ApiError::bad_request(
                    "format",
                    "小区只能导出为 .xlsx",
                    "compounds export as .xlsx only",
                ));
            }
            let bytes = gongzhi_sheets::write_table(
                "小区",
                &crate::party::export::COMPOUND_HEADERS,
                &cells,
            )
            .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
            return Ok(Exported {
                bytes,
                rows: cells.len(),
            });
        }
        DataKind::Places => {
            let places = store.places().await?;
            let features: Vec<String> = places
                .iter()
                .filter(|p| region.area.is_none_or(|a| a.contains(&p.area)))
                .filter_map(crate::place_layer::feature_of)
                .collect();
            return Ok(Exported {
                rows: features.len(),
                bytes: geojson_io::collection_of(features.iter().map(String::as_str)).into_bytes(),
            });
        }
        DataKind::Sheet(Kind::Areas) => Records::Areas(
            store
                .areas()
                .await?
                .into_iter()
                .filter(|a| region.area.is_none_or(|r| r.contains(&a.code)))
                .map(|a| AreaRecord {
                    code: a.code,
                    name: a.name,
                    urban_rural: None,
                })
                .collect(),
        ),
        DataKind::Sheet(Kind::Departments) => Records::Departments(
            store
                .departments()
                .await?
                .into_iter()
                .map(|d| DepartmentRecord {
                    code: d.code,
                    name: d.name,
                })
                .collect(),
        ),
        DataKind::Sheet(Kind::Buildings) => {
            let rows = match region.grid {
                Some(g) => store.buildings_in_grid(&g).await?,
                None => store.buildings(region.area.as_ref()).await?,
            };
            Records::Buildings(
                rows.into_iter()
                    .map(|b| BuildingRecord {
                        code: b.code,
                        grid: b.grid,
                        name: b.name,
                        address: b.address,
                        lon: b.lon,
                        lat: b.lat,
                        floors: u16::try_from(b.floors).unwrap_or(u16::MAX),
                    })
                    .collect(),
            )
        }
        DataKind::Sheet(Kind::Households) => {
            let f = HouseholdFilter {
                area: region.area,
                grid: region.grid,
                building_code: None,
                page: all,
            };
            Records::Households(
                store
                    .households(&f)
                    .await?
                    .into_iter()
                    .map(|h| HouseholdRecord {
                        code: h.code,
                        building_code: h.building_code,
                        room: h.room,
                        kind: h.kind,
                    })
                    .collect(),
            )
        }
        DataKind::Sheet(Kind::Residents) => {
            let f = ResidentFilter {
                area: region.area,
                grid: region.grid,
                page: all,
                ..Default::default()
            };
            Records::Residents(
                store
                    .residents(&f)
                    .await?
                    .into_iter()
                    .map(|r| ResidentRecord {
                        id_number: r.id_number,
                        name: r.name,
                        phone: r.phone,
                        household_code: r.household_code,
                        relation: r.relation,
                        political_status: r.political_status,
                    })
                    .collect(),
            )
        }
    };
    let bytes = gongzhi_sheets::export(&records, format, false)
        .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    Ok(Exported {
        bytes,
        rows: records.len(),
    })
}
