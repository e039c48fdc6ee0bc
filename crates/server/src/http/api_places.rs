//! `/api/v1` place names and addresses (地名地址): the public map layer and the address search
//! of the resident report page.

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::throttle::ClientIp;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use gongzhi_domain::codes::{AreaCode, AreaLevel, GridCode};
use gongzhi_domain::place;
use gongzhi_store::PlaceHit;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/public/places.geojson", get(public_places))
        .route("/api/v1/places/search", get(search))
}

/// Hits a search answers with.
const LIMIT: usize = 10;

/// Roads, community and compound labels and landmarks for the public report map: names and
/// shapes, nothing personal; built once per load of the places.
async fn public_places(State(st): State<AppState>) -> ApiResult<impl IntoResponse> {
    let places = st.grids.places().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "地图数据尚未载入",
            "the map is not loaded yet",
        )
    })?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/geo+json"),
            (header::CACHE_CONTROL, "public, max-age=300"),
        ],
        places.public_places_geojson(),
    ))
}

#[derive(Deserialize)]
struct SearchQuery {
    q: Option<String>,
}

/// One answer, with the names of where it is.
#[derive(Serialize)]
pub struct SearchHit {
    pub name: String,
    pub kind: place::PlaceKind,
    pub kind_name: &'static str,
    pub kind_name_en: &'static str,
    /// A building's full address; empty for other places.
    pub address: String,
    pub community: Option<String>,
    pub street: Option<String>,
    /// The street's code, to preselect it on the report form.
    pub street_code: Option<AreaCode>,
    pub grid: Option<GridCode>,
    pub lon: f64,
    pub lat: f64,
    pub rank: place::MatchRank,
}

/// The address search (地名地址检索): building addresses, compounds, roads and landmarks whose
/// name is, begins with or contains the text, or that the text names; exact and prefix
/// matches first, at most ten. Public (the report page), limited per address.
async fn search(
    State(st): State<AppState>,
    ClientIp(ip): ClientIp,
    Query(q): Query<SearchQuery>,
) -> ApiResult<Json<Vec<SearchHit>>> {
    st.throttle.search.take(ip)?;
    let text = q.q.as_deref().and_then(place::search_text).ok_or_else(|| {
        ApiError::bad_request(
            "q",
            "请输入要查找的地址或地名",
            "type an address or a place name to look for",
        )
    })?;
    let hits = st.store.search_places(&text, LIMIT).await?;
    let places = st.grids.places();
    let area_name = |code: Option<AreaCode>| {
        code.and_then(|c| places.as_ref()?.area(&c).map(|a| a.name.clone()))
    };
    Ok(Json(
        hits.into_iter()
            .map(|h: PlaceHit| {
                // Where the place stands: its grid's community, else the area it was imported
                // under (a road's is its district: no community, no street).
                let grid = h.grid.or_else(|| {
                    places
                        .as_ref()
                        .and_then(|p| p.index().locate(h.lon, h.lat).map(|g| g.code))
                });
                let community = match (h.area.level(), grid) {
                    (AreaLevel::Community, _) => Some(h.area),
                    (_, Some(g)) if !h.kind.is_line() => Some(g.community()),
                    _ => None,
                };
                let street = match h.area.level() {
                    AreaLevel::Street => Some(h.area),
                    _ => community.and_then(|c| c.parent()),
                };
                SearchHit {
                    kind_name: h.kind.zh(),
                    kind_name_en: h.kind.en(),
                    community: area_name(community),
                    street: area_name(street),
                    street_code: street,
                    grid: grid.filter(|_| !h.kind.is_line()),
                    name: h.name,
                    kind: h.kind,
                    address: h.address,
                    lon: h.lon,
                    lat: h.lat,
                    rank: h.rank,
                }
            })
            .collect(),
    ))
}
