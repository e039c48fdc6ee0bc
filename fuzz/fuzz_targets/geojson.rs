//! GeoJSON import: `read_grids` (a FeatureCollection of grids) and `read_geometry` (one stored
//! boundary). Properties: whatever is accepted writes back out and reads back to the same
//! grids (`read_grids(&write_grids(g)) == g`, as geojson_io documents), and the R-tree index
//! finds a grid exactly where the linear scan does.
#![no_main]

use gongzhi_geo::GridIndex;
use gongzhi_geo::geojson_io::{geometry_of, read_geometry, read_grids, write_grids};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };

    if let Ok(shape) = read_geometry(text) {
        let again = geometry_of(&shape).to_string();
        let back = read_geometry(&again).expect("a written geometry reads back");
        assert_eq!(back, shape, "geometry round trip changed it: {again}");
    }

    let Ok(grids) = read_grids(text) else {
        return;
    };
    let written = write_grids(&grids);
    let back = read_grids(&written).expect("written grids read back");
    assert_eq!(back, grids, "grid round trip changed them: {written}");

    // Probe the index at the first vertex and at the middle of each grid's bounding box.
    let probes: Vec<(f64, f64)> = grids
        .iter()
        .take(8)
        .flat_map(|g| {
            let first = g.polygon.0[0].exterior().0[0];
            let mid = g.bbox().map(|b| b.center());
            std::iter::once((first.x, first.y)).chain(mid.map(|c| (c.x, c.y)))
        })
        .collect();
    let index = GridIndex::new(grids);
    for (lon, lat) in probes {
        assert_eq!(
            index.locate(lon, lat).is_some(),
            index.locate_linear(lon, lat).is_some(),
            "index and linear scan disagree at ({lon}, {lat})"
        );
    }
});
