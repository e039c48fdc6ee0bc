//! Coverage (联户覆盖) by grid and community for the caller's area: as JSON, the page's table,
//! an `.xlsx` workbook and a GeoJSON layer for the grid map. Computed by the domain from the
//! store's counts; a red grid member has no coverage view (it sees its own households).

use super::{Names, forbidden, scope};
use crate::auth::User;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::red_grid::{CoverageTotals, LinkSettings, Load, coverage};
use serde::Serialize;

#[derive(Serialize, Clone)]
pub struct MemberRow {
    pub role_id: i64,
    pub name: String,
    pub households: u32,
    pub load: Load,
}

#[derive(Serialize, Clone)]
pub struct GridRow {
    pub grid: GridCode,
    pub name: String,
    pub community: AreaCode,
    pub community_name: String,
    #[serde(flatten)]
    pub totals: CoverageTotals,
    pub members: Vec<MemberRow>,
}

#[derive(Serialize, Clone)]
pub struct CommunityRow {
    pub community: AreaCode,
    pub name: String,
    #[serde(flatten)]
    pub totals: CoverageTotals,
}

#[derive(Serialize)]
pub struct CoverageReport {
    pub settings: LinkSettings,
    pub total: CoverageTotals,
    pub communities: Vec<CommunityRow>,
    pub grids: Vec<GridRow>,
}

/// The caller's coverage, narrowed to `area` or `grid`.
pub async fn report(
    st: &AppState,
    user: &User,
    area: Option<&str>,
    grid: Option<&str>,
) -> ApiResult<CoverageReport> {
    let f = scope(user, area, grid)?;
    if f.account.is_some() {
        return Err(forbidden(
            "联户覆盖情况由社区、街道和党组织查看",
            "coverage is for communities, streets and party organisations",
        ));
    }
    let settings = st.store.red_grid_settings().await?;
    let counted = st.store.red_grid_counts(&f).await?;
    let counts: Vec<_> = counted.iter().map(|(c, _)| c.clone()).collect();
    let names = Names::of(st);
    let grids: Vec<GridRow> = coverage(&counts, &settings)
        .into_iter()
        .zip(counted.iter().map(|(_, n)| n.clone()))
        .map(|(c, name)| GridRow {
            grid: c.grid,
            name,
            community: c.community,
            community_name: names.area(&c.community),
            totals: c.totals,
            members: c
                .members
                .into_iter()
                .map(|(m, load)| MemberRow {
                    role_id: m.role_id,
                    name: m.name,
                    households: m.households,
                    load,
                })
                .collect(),
        })
        .collect();
    let mut communities: Vec<CommunityRow> = Vec::new();
    for g in &grids {
        match communities.last_mut() {
            Some(c) if c.community == g.community => {
                c.totals = CoverageTotals::of([&c.totals, &g.totals]);
            }
            _ => communities.push(CommunityRow {
                community: g.community,
                name: g.community_name.clone(),
                totals: CoverageTotals::of([&g.totals]),
            }),
        }
    }
    Ok(CoverageReport {
        settings,
        total: CoverageTotals::of(grids.iter().map(|g| &g.totals)),
        communities,
        grids,
    })
}

/// A percentage as shown: two decimals, or a dash.
pub fn percent_text(p: Option<f64>) -> String {
    p.map_or_else(|| "—".to_string(), |p| format!("{p:.2}%"))
}

/// The workbook's header row.
pub const HEADERS: [&str; 10] = [
    "社区",
    "网格",
    "网格编码",
    "住户数",
    "已联户",
    "未联户",
    "红色网格员",
    "联户不足",
    "联户超出",
    "覆盖率",
];

/// The workbook's rows: each grid, then each community's subtotal, then the total.
pub fn rows(r: &CoverageReport) -> Vec<Vec<String>> {
    let line = |community: &str, grid: &str, code: &str, t: &CoverageTotals| {
        vec![
            community.to_string(),
            grid.to_string(),
            code.to_string(),
            t.households.to_string(),
            t.linked.to_string(),
            t.unlinked.to_string(),
            t.red_members.to_string(),
            t.below_min.to_string(),
            t.above_max.to_string(),
            percent_text(t.percent),
        ]
    };
    let mut out = Vec::new();
    for c in &r.communities {
        for g in r.grids.iter().filter(|g| g.community == c.community) {
            out.push(line(&c.name, &g.name, g.grid.as_str(), &g.totals));
        }
        out.push(line(&c.name, "小计", "", &c.totals));
    }
    out.push(line("合计", "", "", &r.total));
    out
}

/// The grid map's layer: each grid's outline with its coverage (no names of people).
pub fn geojson(st: &AppState, r: &CoverageReport) -> serde_json::Value {
    let names = Names::of(st);
    let mut features = Vec::with_capacity(r.grids.len());
    let shapes = match st.grids.places() {
        Some(p) => p,
        None => {
            return serde_json::json!({"type": "FeatureCollection", "features": []});
        }
    };
    for g in &r.grids {
        let Some(shape) = shapes.index().get(&g.grid) else {
            continue;
        };
        let geometry = gongzhi_geo::geojson_io::geometry_of(&shape.polygon);
        features.push(serde_json::json!({
            "type": "Feature",
            "geometry": geometry,
            "properties": {
                "code": g.grid.as_str(),
                "name": names.grid(&g.grid),
                "community": g.community_name,
                "households": g.totals.households,
                "linked": g.totals.linked,
                "unlinked": g.totals.unlinked,
                "red_members": g.totals.red_members,
                "out_of_range": g.totals.out_of_range(),
                "coverage": g.totals.percent,
            }
        }));
    }
    serde_json::json!({"type": "FeatureCollection", "features": features})
}
