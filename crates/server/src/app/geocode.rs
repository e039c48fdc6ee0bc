//! Geocoding at intake (地址匹配): a report given by an address and no point is placed at the
//! held place its address names — a building's address, a compound, a landmark — so it reaches
//! its grid like a report picked on the map.

use super::AppError;
use crate::state::AppState;
use gongzhi_domain::place;

/// The point of the best held place `address` names, when one locates a report (the domain
/// says which matches do) and lies in a grid.
pub async fn locate_address(st: &AppState, address: &str) -> Result<Option<(f64, f64)>, AppError> {
    let Some(text) = place::search_text(address) else {
        return Ok(None);
    };
    let Some(index) = st.grids.current() else {
        return Ok(None);
    };
    // Places outside every grid locate nothing.
    let hits: Vec<_> = st
        .store
        .search_places(&text, 10)
        .await?
        .into_iter()
        .filter(|h| index.locate(h.lon, h.lat).is_some())
        .collect();
    let ranked: Vec<_> = hits.iter().map(|h| (h.kind, h.rank)).collect();
    Ok(place::locating_hit(&ranked).map(|i| (hits[i].lon, hits[i].lat)))
}

/// Fills a report's point from its address when it has none.
pub async fn locate(st: &AppState, r: &mut super::Report) -> Result<(), AppError> {
    if r.lon.is_none()
        && r.lat.is_none()
        && let Some((lon, lat)) = locate_address(st, &r.address).await?
    {
        r.lon = Some(lon);
        r.lat = Some(lat);
    }
    Ok(())
}
