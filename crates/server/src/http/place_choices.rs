//! The areas and grids a list can be narrowed to, by name, within what the caller may see:
//! filters offer them as choices instead of asking for typed codes.

use crate::grid_index::Places;
use gongzhi_domain::access::Region;
use gongzhi_domain::codes::AreaCode;

/// Beyond this many grids one list is not usable: the grid is then typed as its code.
const MAX_GRID_CHOICES: usize = 2_000;

#[derive(Default)]
pub struct PlaceChoices {
    /// (area code, "街道 · 社区" name), a parent before its children.
    pub areas: Vec<(String, String)>,
    /// (grid code, "社区 · 网格" name).
    pub grids: Vec<(String, String)>,
    /// Too many grids to list: the grid filter is a code field.
    pub grids_typed: bool,
}

pub fn place_choices(places: Option<&Places>, region: &Region) -> PlaceChoices {
    let Some(p) = places else {
        return PlaceChoices {
            grids_typed: true,
            ..PlaceChoices::default()
        };
    };
    let area_name = |code: &AreaCode| p.area(code).map(|a| a.name.clone());
    let mut areas: Vec<(String, String)> = match region {
        Region::Everything => p.areas().collect::<Vec<_>>(),
        Region::Area(r) => p.areas().filter(|a| r.contains(&a.code)).collect(),
        Region::Grid(_) | Region::Nothing => Vec::new(),
    }
    .into_iter()
    .map(|a| {
        let name = match a.parent.and_then(|c| area_name(&c)) {
            Some(parent) => format!("{parent} · {}", a.name),
            None => a.name.clone(),
        };
        (a.code.to_string(), name)
    })
    .collect();
    areas.sort();
    let mut grids: Vec<_> = match region {
        Region::Everything => p.grids().collect(),
        Region::Area(r) => p
            .grids()
            .filter(|g| r.contains(&g.code.community()))
            .collect(),
        Region::Grid(g) => p.grid(g).into_iter().collect(),
        Region::Nothing => Vec::new(),
    };
    if grids.len() > MAX_GRID_CHOICES {
        return PlaceChoices {
            areas,
            grids: Vec::new(),
            grids_typed: true,
        };
    }
    grids.sort_by_key(|g| g.code.to_string());
    let grids = grids
        .into_iter()
        .map(|g| {
            let community = area_name(&g.code.community()).unwrap_or_default();
            let name = if g.name.starts_with(&community) {
                g.name.clone()
            } else {
                format!("{community} · {}", g.name)
            };
            (g.code.to_string(), name)
        })
        .collect();
    PlaceChoices {
        areas,
        grids,
        grids_typed: false,
    }
}
