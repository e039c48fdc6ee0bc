//! Static assets compiled into the binary: no CDN, no files to deploy.

use axum::Router;
use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const ASSETS: &[(&str, &str, &[u8])] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/app.css"),
    ),
    (
        "cards.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/cards.js"),
    ),
    (
        "case.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/case.js"),
    ),
    (
        "confirm.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/confirm.js"),
    ),
    (
        "map.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/map.js"),
    ),
    (
        "places.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/places.js"),
    ),
    (
        "red_grid_map.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/red_grid_map.js"),
    ),
    (
        "red_grid_visit.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/red_grid_visit.js"),
    ),
    (
        "report.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/report.js"),
    ),
    (
        "scorecards.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/scorecards.js"),
    ),
    (
        "vendor/echarts/echarts.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/echarts/echarts.min.js"),
    ),
    (
        "vendor/leaflet/leaflet.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/vendor/leaflet/leaflet.js"),
    ),
    (
        "vendor/leaflet/leaflet.css",
        "text/css; charset=utf-8",
        include_bytes!("../../assets/vendor/leaflet/leaflet.css"),
    ),
    (
        "vendor/leaflet/images/layers.png",
        "image/png",
        include_bytes!("../../assets/vendor/leaflet/images/layers.png"),
    ),
    (
        "vendor/leaflet/images/layers-2x.png",
        "image/png",
        include_bytes!("../../assets/vendor/leaflet/images/layers-2x.png"),
    ),
    (
        "vendor/leaflet/images/marker-icon.png",
        "image/png",
        include_bytes!("../../assets/vendor/leaflet/images/marker-icon.png"),
    ),
    (
        "vendor/leaflet/images/marker-icon-2x.png",
        "image/png",
        include_bytes!("../../assets/vendor/leaflet/images/marker-icon-2x.png"),
    ),
    (
        "vendor/leaflet/images/marker-shadow.png",
        "image/png",
        include_bytes!("../../assets/vendor/leaflet/images/marker-shadow.png"),
    ),
    (
        "emergency.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/emergency.js"),
    ),
    (
        "map_heat.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/map_heat.js"),
    ),
    (
        "map_layers.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../../assets/map_layers.js"),
    ),
];

pub fn router<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{*path}", get(asset))
}

async fn asset(Path(path): Path<String>) -> Response {
    match ASSETS.iter().find(|(p, _, _)| *p == path) {
        Some((_, mime, bytes)) => (
            [
                (header::CONTENT_TYPE, *mime),
                (header::CACHE_CONTROL, "public, max-age=3600"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
