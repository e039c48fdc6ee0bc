//! `/api/v1` imports (raw file body), exports and empty templates.

use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::http::api_population::{ListQuery, list_region};
use crate::imports::{DataKind, ExportRegion, ImportDone, export, import};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use gongzhi_domain::access::{Action, Target};
use gongzhi_sheets::{Format, Kind};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/imports/{kind}",
            post(import_file).layer(crate::http::body_limit(crate::http::IMPORT_BODY_LIMIT)),
        )
        .route("/api/v1/exports/{kind}", get(export_file))
        .route("/api/v1/templates/{kind}", get(template_file))
}

/// The permission an import of this kind needs, over the caller's own region.
pub fn import_allowed(user: &User, kind: DataKind) -> ApiResult<()> {
    let here = crate::http::chrome::home_target(user);
    match kind {
        DataKind::Grids | DataKind::Places | DataKind::Sheet(Kind::Areas) => {
            user.may(Action::ImportGeo, &here)
        }
        // Departments are the whole city's: only an account that may import for the city.
        DataKind::Sheet(Kind::Departments) => user.may(Action::ImportGeo, &Target::Everything),
        DataKind::Sheet(_) | DataKind::Compounds => {
            // Population rows may land anywhere in the file's references, so only accounts
            // that may import for the whole city import through this route.
            user.may(Action::ImportPopulation, &Target::Everything)
        }
    }
}

#[derive(Deserialize)]
struct ImportQuery {
    #[serde(default)]
    allow_gaps: bool,
}

async fn import_file(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(kind): Path<String>,
    Query(q): Query<ImportQuery>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<ImportDone>)> {
    let kind = DataKind::parse(&kind)?;
    import_allowed(&user, kind)?;
    if body.is_empty() {
        return Err(ApiError::bad_request(
            "file",
            "上传的文件为空",
            "the uploaded file is empty",
        ));
    }
    let done = import(
        &st.store,
        Some(&st.grids),
        crate::imports::Region::Of(&user),
        kind,
        body.to_vec(),
        q.allow_gaps,
        |_, _| {},
    )
    .await?;
    st.store
        .record_audit(
            &user.actor(),
            "import",
            kind.as_str(),
            &format!("{} records", done.count),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(done)))
}

#[derive(Deserialize)]
struct ExportQuery {
    format: Option<String>,
    grid: Option<String>,
    area: Option<String>,
}

fn attachment(bytes: Vec<u8>, mime: &str, filename: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

async fn export_file(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Path(kind): Path<String>,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let kind = DataKind::parse(&kind)?;
    let lq = ListQuery {
        grid: q.grid.clone(),
        area: q.area.clone(),
        ..Default::default()
    };
    let action = match kind {
        DataKind::Sheet(Kind::Households | Kind::Residents | Kind::Buildings) => Action::ExportData,
        _ => Action::ViewGrid,
    };
    let (area, grid) = list_region(&user, action, &lq)?;
    let region = ExportRegion { area, grid };
    if kind.is_geojson() {
        let done = export(&st.store, kind, region, Format::Xlsx).await?;
        audit_export(
            &st,
            &user,
            kind.as_str(),
            &region_label(&region),
            "geojson",
            done.rows,
        )
        .await?;
        return Ok(attachment(
            done.bytes,
            "application/geo+json",
            &format!("{}.geojson", kind.as_str()),
        ));
    }
    let format = match q.format.as_deref().unwrap_or("xlsx") {
        "xlsx" => Format::Xlsx,
        "csv" => Format::Csv,
        other => {
            return Err(ApiError::bad_request(
                "format",
                format!("不支持的格式：{other}（xlsx 或 csv）"),
                format!("unsupported format: {other} (xlsx or csv)"),
            ));
        }
    };
    let done = export(&st.store, kind, region, format).await?;
    audit_export(
        &st,
        &user,
        kind.as_str(),
        &region_label(&region),
        format.extension(),
        done.rows,
    )
    .await?;
    let mime = match format {
        Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Format::Csv => "text/csv; charset=utf-8",
    };
    Ok(attachment(
        done.bytes,
        mime,
        &format!("{}.{}", kind.as_str(), format.extension()),
    ))
}

/// How an export's region reads in the audit log.
pub fn region_label(region: &ExportRegion) -> String {
    match (region.grid, region.area) {
        (Some(g), _) => format!("grid:{g}"),
        (None, Some(a)) => format!("area:{a}"),
        (None, None) => "all".to_string(),
    }
}

/// Every file that leaves the server is on the audit log before it is sent: who took what
/// kind of data, for which region, how many rows.
pub async fn audit_export(
    st: &AppState,
    user: &User,
    what: &str,
    region: &str,
    format: &str,
    rows: usize,
) -> ApiResult<()> {
    st.store
        .record_audit(
            &user.actor(),
            "export",
            what,
            &format!("region={region} format={format} rows={rows}"),
        )
        .await?;
    Ok(())
}

async fn template_file(ApiUser(_user): ApiUser, Path(kind): Path<String>) -> ApiResult<Response> {
    let kind = DataKind::parse(&kind)?;
    if kind == DataKind::Compounds {
        let bytes =
            gongzhi_sheets::write_table("小区", &crate::party::export::COMPOUND_HEADERS, &[])
                .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
        return Ok(attachment(
            bytes,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "compounds-template.xlsx",
        ));
    }
    let DataKind::Sheet(kind) = kind else {
        return Err(ApiError::bad_request(
            "kind",
            "网格请使用 GeoJSON 文件，没有表格模板",
            "grids are GeoJSON files; there is no spreadsheet template",
        ));
    };
    let bytes = gongzhi_sheets::template(kind)
        .map_err(|e| ApiError::from_bilingual(StatusCode::INTERNAL_SERVER_ERROR, &e))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &format!("{}-template.xlsx", kind.as_str()),
    ))
}
