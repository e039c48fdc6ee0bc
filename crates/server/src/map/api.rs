//! `/api/v1/map/…`: each grid's figure over a range with the legend's classes, and the cases
//! in a box as clusters, points or heat cells.

use crate::auth::{ApiUser, User, lang_of};
use crate::cases::api::CaseQuery;
use crate::cases::import_table::{sheet_error, xlsx_attachment};
use crate::error::{ApiError, ApiResult};
use crate::i18n::Lang;
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::case::CaseState;
use gongzhi_domain::codes::GridCode;
use gongzhi_domain::metrics::Weights;
use gongzhi_domain::metrics::map::{self, Legend, MapMetric};
use gongzhi_store::CaseFilter;
use gongzhi_store::map::{BBox, CaseCell, MapCases};
use serde::{Deserialize, Serialize};

pub fn router() -> axum::Router<AppState> {
    Router::new()
        .route("/api/v1/map/grid-metrics", get(grid_metrics))
        .route("/api/v1/map/grid-metrics.xlsx", get(grid_metrics_xlsx))
        .route("/api/v1/map/cases", get(map_cases))
}

/// The query of both routes; every value arrives as text so that a bad one is refused by name.
#[derive(Deserialize, Default)]
pub struct MapQuery {
    /// `volume` (default), `overdue` or `satisfaction`.
    pub metric: Option<String>,
    /// Reported on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Reported on or before this day.
    pub to: Option<String>,
    pub area: Option<String>,
    /// States, comma-separated (codes or Chinese names).
    pub state: Option<String>,
    pub category: Option<String>,
    /// `west,south,east,north` in degrees.
    pub bbox: Option<String>,
    pub zoom: Option<String>,
    /// `cases` (default) or `whistles`: only cases on which a street blew the whistle.
    pub layer: Option<String>,
    /// `1`: heat cells instead of clusters or points.
    pub heat: Option<String>,
}

/// The caller's cases narrowed by the query's range, area, states and category, exactly as
/// the case search narrows them.
async fn filter(st: &AppState, user: &User, q: &MapQuery) -> ApiResult<CaseFilter> {
    let cq = CaseQuery {
        from: q.from.clone(),
        to: q.to.clone(),
        area: q.area.clone(),
        state: q.state.clone(),
        category: q.category.clone(),
        ..CaseQuery::default()
    };
    crate::cases::search::filter(st, user, &cq).await
}

fn metric(q: &MapQuery) -> ApiResult<MapMetric> {
    match q.metric.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(MapMetric::Volume),
        Some(m) => MapMetric::parse(m).ok_or_else(|| {
            ApiError::bad_request(
                "metric",
                format!("没有指标“{m}”（可选：案件量、超期未办结、满意率）"),
                format!("there is no metric '{m}' (volume, overdue or satisfaction)"),
            )
        }),
    }
}

#[derive(Serialize)]
pub struct GridMetrics {
    pub metric: MapMetric,
    pub metric_name: String,
    /// The legend, palest class first: its shade (0–4 on the red scale) and the range it covers.
    pub legend: Vec<LegendClass>,
    pub grids: Vec<GridFigure>,
    /// Cases in the range on all grids together.
    pub cases: u64,
}

#[derive(Serialize)]
pub struct LegendClass {
    pub shade: usize,
    pub label: String,
}

#[derive(Serialize)]
pub struct GridFigure {
    pub code: GridCode,
    pub name: String,
    pub cases: u64,
    pub overdue: u64,
    /// 满意率 in percent; `null` without valid follow-ups.
    pub satisfaction_rate: Option<f64>,
    /// The chosen metric's figure.
    pub value: Option<f64>,
    /// Its shade on the red scale, 0 (palest) – 4 (darkest); `null`: no figure (grey).
    pub shade: Option<usize>,
}

async fn grid_metrics(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<MapQuery>,
) -> ApiResult<Json<GridMetrics>> {
    Ok(Json(metrics_of(&st, &user, lang_of(&headers), &q).await?))
}

/// The headers of the grid figures' workbook.
const HEADERS: [&str; 5] = ["网格", "网格编码", "案件量", "超期未办结", "满意率（%）"];

/// The same figures as a workbook, every grid with cases in the range, busiest first.
async fn grid_metrics_xlsx(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Query(q): Query<MapQuery>,
) -> ApiResult<Response> {
    let mut m = metrics_of(&st, &user, Lang::Zh, &q).await?;
    m.grids
        .sort_by(|a, b| b.cases.cmp(&a.cases).then(a.code.cmp(&b.code)));
    let rows: Vec<Vec<String>> = m
        .grids
        .iter()
        .map(|g| {
            vec![
                g.name.clone(),
                g.code.to_string(),
                g.cases.to_string(),
                g.overdue.to_string(),
                g.satisfaction_rate
                    .map_or_else(|| "—".to_string(), |r| format!("{r:.2}")),
            ]
        })
        .collect();
    let bytes = gongzhi_sheets::write_table("网格指标", &HEADERS, &rows).map_err(sheet_error)?;
    crate::http::api_io::audit_export(&st, &user, "map-grid-metrics", "map", "xlsx", rows.len())
        .await?;
    Ok(xlsx_attachment(bytes, "map-grid-metrics.xlsx"))
}

async fn metrics_of(st: &AppState, user: &User, t: Lang, q: &MapQuery) -> ApiResult<GridMetrics> {
    let metric = metric(q)?;
    let f = filter(st, user, q).await?;
    let tallies = st.store.grid_tallies(&f).await?;
    let w = Weights::default();
    let values: Vec<f64> = tallies
        .iter()
        .filter_map(|(_, tally)| metric.value(tally, &w))
        .collect();
    let legend = Legend::of(&values);
    let places = st.grids.places();
    let grids = tallies
        .iter()
        .filter_map(|(code, tally)| {
            let code = GridCode::parse(code).ok()?;
            let value = metric.value(tally, &w);
            Some(GridFigure {
                name: places
                    .as_ref()
                    .and_then(|p| p.grid(&code))
                    .map_or_else(|| code.to_string(), |g| g.name.clone()),
                code,
                cases: tally.cases,
                overdue: tally.overdue_open,
                satisfaction_rate: MapMetric::Satisfaction.value(tally, &w),
                value,
                shade: value.map(|v| legend.shade(metric, v)),
            })
        })
        .collect();
    Ok(GridMetrics {
        metric,
        metric_name: t.s(metric.zh(), metric.en()).to_string(),
        legend: legend_classes(t, metric, &legend),
        cases: tallies.iter().map(|(_, x)| x.cases).sum(),
        grids,
    })
}

/// The legend's rows, palest first, each with the figures it covers.
fn legend_classes(t: Lang, metric: MapMetric, legend: &Legend) -> Vec<LegendClass> {
    let unit = if metric == MapMetric::Satisfaction {
        "%"
    } else {
        ""
    };
    let b = &legend.breaks;
    let mut rows: Vec<(f64, LegendClass)> = (0..=b.len())
        .map(|i| {
            let label = match (i.checked_sub(1).map(|j| b[j]), b.get(i)) {
                (None, Some(hi)) => format!("< {hi}{unit}"),
                (Some(lo), Some(hi)) => format!("{lo}{unit} – {hi}{unit}"),
                (Some(lo), None) => format!("≥ {lo}{unit}"),
                (None, None) => t.s("全部", "all").to_string(),
            };
            let at = i.checked_sub(1).map_or(f64::NEG_INFINITY, |j| b[j]);
            let shade = legend.shade(metric, if at.is_finite() { at } else { 0.0 });
            (at, LegendClass { shade, label })
        })
        .collect();
    rows.sort_by_key(|(_, c)| c.shade);
    rows.into_iter().map(|(_, c)| c).collect()
}

#[derive(Serialize)]
pub struct MapCasesAnswer {
    pub zoom: u8,
    /// `clusters`, `points` or `heat`.
    pub mode: &'static str,
    /// Cases in the box.
    pub total: i64,
    pub cells: Vec<CaseCell>,
    pub points: Vec<PointView>,
}

#[derive(Serialize)]
pub struct PointView {
    pub id: i64,
    pub ticket: String,
    pub lon: f64,
    pub lat: f64,
    /// The state's code (the point's colour) and its name.
    pub state: String,
    pub state_name: String,
    pub category_name: String,
    pub address: String,
}

fn bbox(q: &MapQuery) -> ApiResult<BBox> {
    let Some(raw) = q.bbox.as_deref().map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(BBox {
            west: -180.0,
            south: -90.0,
            east: 180.0,
            north: 90.0,
        });
    };
    let bad = || {
        ApiError::bad_request(
            "bbox",
            format!("“{raw}”不是地图范围（西,南,东,北 经纬度）"),
            format!("'{raw}' is not a box (west,south,east,north in degrees)"),
        )
    };
    let n: Vec<f64> = raw
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [west, south, east, north] = n[..] else {
        return Err(bad());
    };
    let ok = n.iter().all(|x| x.is_finite())
        && (-180.0..=180.0).contains(&west)
        && (-180.0..=180.0).contains(&east)
        && (-90.0..=90.0).contains(&south)
        && (-90.0..=90.0).contains(&north)
        && west < east
        && south < north;
    if !ok {
        return Err(bad());
    }
    Ok(BBox {
        west,
        south,
        east,
        north,
    })
}

fn zoom(q: &MapQuery) -> ApiResult<u8> {
    match q.zoom.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(12),
        Some(z) => z
            .parse::<f64>()
            .ok()
            .filter(|z| (0.0..=22.0).contains(z))
            .map(|z| z.floor() as u8)
            .ok_or_else(|| {
                ApiError::bad_request(
                    "zoom",
                    format!("“{z}”不是缩放级别（0–22）"),
                    format!("'{z}' is not a zoom level (0–22)"),
                )
            }),
    }
}

fn layer(q: &MapQuery) -> ApiResult<MapCases> {
    match q.layer.as_deref().map(str::trim).unwrap_or("") {
        "" | "cases" => Ok(MapCases::All),
        "whistles" => Ok(MapCases::Whistled),
        other => Err(ApiError::bad_request(
            "layer",
            format!("没有图层“{other}”（可选：cases 案件、whistles 吹哨报到）"),
            format!("there is no layer '{other}' (cases or whistles)"),
        )),
    }
}

async fn map_cases(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    headers: HeaderMap,
    Query(q): Query<MapQuery>,
) -> ApiResult<Json<MapCasesAnswer>> {
    let t = lang_of(&headers);
    let (bbox, zoom, kind) = (bbox(&q)?, zoom(&q)?, layer(&q)?);
    let heat = matches!(q.heat.as_deref().map(str::trim), Some("1" | "true"));
    let f = filter(&st, &user, &q).await?;
    let total = st.store.count_map_cases(&f, kind, &bbox).await?;
    let (mode, cells, points) = if heat {
        let cells = st
            .store
            .case_cells(&f, kind, &bbox, map::heat_cell(zoom))
            .await?;
        ("heat", cells, Vec::new())
    } else if map::shows_points(zoom, total) {
        let rows = st
            .store
            .case_points(&f, kind, &bbox, map::MAX_POINTS as i64)
            .await?;
        let lookups = st.store.lookups().await?;
        let points = rows
            .into_iter()
            .map(|p| PointView {
                state_name: CaseState::parse(&p.state)
                    .map_or_else(|| p.state.clone(), |s| t.s(s.zh(), s.label_en()).into()),
                category_name: lookups
                    .categories
                    .get(&p.category)
                    .map_or_else(|| p.category.clone(), |c| c.name.clone()),
                state: p.state,
                id: p.id,
                ticket: p.ticket,
                lon: p.lon,
                lat: p.lat,
                address: p.address,
            })
            .collect();
        ("points", Vec::new(), points)
    } else {
        let cells = st
            .store
            .case_cells(&f, kind, &bbox, map::cluster_cell(zoom))
            .await?;
        ("clusters", cells, Vec::new())
    };
    Ok(Json(MapCasesAnswer {
        zoom,
        mode,
        total,
        cells,
        points,
    }))
}
