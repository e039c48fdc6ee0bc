//! 阳光示权, readable on a phone without an account: the published power items with search
//! (name or legal basis) and filters (owner by name, type, risk level) at `/power`, an item's
//! page with every field, its risk level explained (factors × weights) and its flowchart drawn
//! inline as SVG at `/power/items/{id}`, a print page, the drawing alone, the workbook, and
//! the JSON under `/api/v1/public/power-items`. Drafts and retired items are nobody's
//! business here: 404.

use super::api::PowerQuery;
use super::exports;
use crate::auth::lang_of;
use crate::error::{ApiError, ApiResult};
use crate::http::chrome::render;
use crate::i18n::Lang;
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::power_list::{
    FACTORS, FlowEdge, FlowNode, Flowchart, PowerState, PowerType, RiskLevel, RiskSettings,
    render_svg,
};
use gongzhi_store::{PowerFilter, PowerItemRow};
use serde::Serialize;

/// Most items the public list shows.
const MAX_PUBLIC: i64 = 2_000;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/power", get(list_page))
        .route("/power/items/{id}", get(item_page))
        .route("/power/items/{id}/print", get(print_page))
        .route("/power/items/{id}/flowchart.svg", get(svg))
        .route("/api/v1/public/power-items", get(list_json))
        .route("/api/v1/public/power-items.xlsx", get(list_xlsx))
        .route("/api/v1/public/power-items/{id}", get(item_json))
}

/// One factor of the risk explanation: its score and its weight.
#[derive(Clone, Debug, Serialize)]
pub struct FactorLine {
    pub field: &'static str,
    pub label: &'static str,
    pub label_en: &'static str,
    pub score: u8,
    pub weight: u8,
}

/// How the level follows from the factors and the city's weights and thresholds.
#[derive(Clone, Debug, Serialize)]
pub struct RiskExplained {
    pub factors: Vec<FactorLine>,
    pub score: i64,
    pub level: RiskLevel,
    pub level_label: String,
    pub high_from: u8,
    pub medium_from: u8,
    pub formula: String,
    pub formula_en: String,
}

pub fn explain(p: &PowerItemRow, s: &RiskSettings) -> RiskExplained {
    let values = p.factors.values();
    let weights = s.weights();
    RiskExplained {
        factors: FACTORS
            .iter()
            .enumerate()
            .map(|(i, (field, zh, en))| FactorLine {
                field,
                label: zh,
                label_en: en,
                score: values[i],
                weight: weights[i],
            })
            .collect(),
        score: p.risk_score,
        level: p.risk_level,
        level_label: p.risk_level.zh().into(),
        high_from: s.high_from,
        medium_from: s.medium_from,
        formula: "风险得分 = 100 × (G − 1) ÷ 4，G 为四项因素（各 1–5 分）按权重的加权几何平均 G = Π 因素^(权重 ÷ 权重之和)".into(),
        formula_en: "score = 100 × (G − 1) / 4, where G is the weighted geometric mean of the four factors (1–5 each): G = Π factor^(weight / sum of weights)".into(),
    }
}

/// An item as the public sees it: no author, no draft.
#[derive(Clone, Debug, Serialize)]
pub struct PublicItem {
    pub id: i64,
    pub owner_name: String,
    pub number: i64,
    pub name: String,
    pub power_type: PowerType,
    pub type_label: String,
    pub legal_basis: String,
    pub discretion: String,
    pub post: String,
    pub risk: RiskExplained,
    pub measures: Vec<String>,
    pub nodes: Vec<FlowNode>,
    pub edges: Vec<FlowEdge>,
    pub version: i64,
    pub published_on: Option<Date>,
    pub updated_on: Option<Date>,
}

impl PublicItem {
    /// `None` unless published.
    pub fn of(p: &PowerItemRow, s: &RiskSettings) -> Option<PublicItem> {
        if p.state != PowerState::Published {
            return None;
        }
        let chart = Flowchart::parse(&p.flowchart).unwrap_or_default();
        Some(PublicItem {
            id: p.id,
            owner_name: p.owner_name.clone(),
            number: p.number,
            name: p.name.clone(),
            power_type: p.power_type,
            type_label: p.power_type.zh().into(),
            legal_basis: p.legal_basis.clone(),
            discretion: p.discretion.clone(),
            post: p.post.clone(),
            risk: explain(p, s),
            measures: p.measures.clone(),
            nodes: chart.nodes,
            edges: chart.edges,
            version: p.version,
            published_on: p.published_at.map(date_of),
            updated_on: p.changed_at.filter(|_| p.version > 1).map(date_of),
        })
    }
}

fn public_filter(q: &PowerQuery) -> ApiResult<PowerFilter> {
    let mut f = q.apply(PowerFilter::default())?;
    f.state = Some(PowerState::Published);
    Ok(f)
}

pub async fn published(st: &AppState, q: &PowerQuery) -> ApiResult<Vec<PowerItemRow>> {
    Ok(st.store.power_items(&public_filter(q)?, MAX_PUBLIC).await?)
}

async fn one(st: &AppState, id: i64) -> ApiResult<(PowerItemRow, PublicItem)> {
    let missing = || ApiError::not_found(format!("权力事项 {id}"), format!("power item {id}"));
    let row = st.store.power_item(id).await?.ok_or_else(missing)?;
    let s = st.store.power_risk_settings().await?;
    let item = PublicItem::of(&row, &s).ok_or_else(missing)?;
    Ok((row, item))
}

/// The drawing of an item's flowchart.
pub fn drawing(row: &PowerItemRow) -> String {
    let chart = Flowchart::parse(&row.flowchart).unwrap_or_default();
    render_svg(&chart, &format!("{} 权力运行流程图", row.name))
}

async fn list_json(
    State(st): State<AppState>,
    Query(q): Query<PowerQuery>,
) -> ApiResult<Json<Vec<PublicItem>>> {
    let s = st.store.power_risk_settings().await?;
    Ok(Json(
        published(&st, &q)
            .await?
            .iter()
            .filter_map(|p| PublicItem::of(p, &s))
            .collect(),
    ))
}

async fn list_xlsx(State(st): State<AppState>, Query(q): Query<PowerQuery>) -> ApiResult<Response> {
    let rows = published(&st, &q).await?;
    Ok(crate::cases::import_table::xlsx_attachment(
        exports::items_xlsx(&rows, false)?,
        "power-list.xlsx",
    ))
}

async fn item_json(State(st): State<AppState>, Path(id): Path<i64>) -> ApiResult<Json<PublicItem>> {
    Ok(Json(one(&st, id).await?.1))
}

async fn svg(State(st): State<AppState>, Path(id): Path<i64>) -> ApiResult<Response> {
    let (row, _) = one(&st, id).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")],
        drawing(&row),
    )
        .into_response())
}

#[derive(Template)]
#[template(path = "power_public.html")]
struct ListPage {
    t: Lang,
    items: Vec<PowerItemRow>,
    owners: Vec<(String, String)>,
    types: Vec<(&'static str, String)>,
    levels: Vec<(&'static str, String)>,
    owner: String,
    power_type: String,
    level: String,
    q: String,
    query: String,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "power_public_item.html")]
struct ItemPage {
    t: Lang,
    d: PublicItem,
    svg: String,
    print: bool,
}

#[derive(Template)]
#[template(path = "public_missing.html")]
struct MissingPage {
    t: Lang,
    message: String,
}

fn missing(t: Lang, e: ApiError) -> Response {
    let msg = crate::cases::service::message(&e, t.is_en());
    e.mark(render(&MissingPage { t, message: msg }))
}

async fn list_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<PowerQuery>,
) -> Response {
    let t = lang_of(&headers);
    let r: ApiResult<Response> = async {
        let (items, error) = match published(&st, &q).await {
            Ok(items) => (items, None),
            // A bad filter in the address: the whole list, with the reason.
            Err(e) if e.status.is_client_error() => (
                published(&st, &PowerQuery::default()).await?,
                Some(crate::cases::service::message(&e, t.is_en())),
            ),
            Err(e) => return Err(e),
        };
        let mut parts = Vec::new();
        for (k, v) in [
            ("owner", &q.owner),
            ("type", &q.power_type),
            ("level", &q.level),
            ("q", &q.q),
        ] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", crate::cobuild::encode(v)));
            }
        }
        Ok(render(&ListPage {
            t,
            items,
            owners: st
                .store
                .power_owners()
                .await?
                .into_iter()
                .map(|(o, name)| (format!("{}:{}", o.kind(), o.code()), name))
                .collect(),
            types: PowerType::ALL
                .iter()
                .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
                .collect(),
            levels: RiskLevel::ALL
                .iter()
                .map(|k| (k.as_str(), t.s(k.zh(), k.en()).to_string()))
                .collect(),
            owner: q.owner.clone().unwrap_or_default(),
            power_type: q.power_type.clone().unwrap_or_default(),
            level: q.level.clone().unwrap_or_default(),
            q: q.q.clone().unwrap_or_default(),
            query: if parts.is_empty() {
                String::new()
            } else {
                format!("?{}", parts.join("&"))
            },
            error,
        }))
    }
    .await;
    r.unwrap_or_else(|e| missing(t, e))
}

async fn item_body(st: &AppState, t: Lang, id: i64, print: bool) -> Response {
    let r: ApiResult<Response> = async {
        let (row, d) = one(st, id).await?;
        Ok(render(&ItemPage {
            t,
            d,
            svg: drawing(&row),
            print,
        }))
    }
    .await;
    r.unwrap_or_else(|e| missing(t, e))
}

async fn item_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    item_body(&st, lang_of(&headers), id, false).await
}

async fn print_page(
    State(st): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    item_body(&st, lang_of(&headers), id, true).await
}
