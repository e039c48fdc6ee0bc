use geo::orient::Direction;
use geo::{GeodesicArea, MultiPolygon, Orient};

/// Area of a (multi)polygon in square metres, measured geodesically on the WGS84 ellipsoid
/// (Karney's algorithm). Coordinates are longitude/latitude in degrees. Ring orientation does
/// not matter (each polygon is oriented first: geodesic area reads a clockwise exterior as
/// "the rest of the Earth"); holes are subtracted.
pub fn area_m2(shape: &MultiPolygon<f64>) -> f64 {
    shape
        .iter()
        .map(|p| p.orient(Direction::Default).geodesic_area_signed().abs())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Polygon, polygon};

    #[test]
    fn one_hundredth_degree_square_near_suzhou() {
        let p: Polygon<f64> = polygon![
            (x: 120.60, y: 31.30),
            (x: 120.61, y: 31.30),
            (x: 120.61, y: 31.31),
            (x: 120.60, y: 31.31),
            (x: 120.60, y: 31.30),
        ];
        // 0.01° of longitude at 31.3°N ≈ 951.6 m, 0.01° of latitude ≈ 1108.6 m.
        let a = area_m2(&MultiPolygon::new(vec![p]));
        assert!((a - 1_055_000.0).abs() < 3_000.0, "area {a}");
    }

    #[test]
    fn orientation_does_not_change_the_area_and_holes_subtract() {
        let ccw: Polygon<f64> = polygon![
            (x: 120.0, y: 31.0), (x: 120.01, y: 31.0), (x: 120.01, y: 31.01), (x: 120.0, y: 31.01),
        ];
        let cw: Polygon<f64> = polygon![
            (x: 120.0, y: 31.0), (x: 120.0, y: 31.01), (x: 120.01, y: 31.01), (x: 120.01, y: 31.0),
        ];
        let a = area_m2(&MultiPolygon::new(vec![ccw.clone()]));
        let b = area_m2(&MultiPolygon::new(vec![cw]));
        assert!((a - b).abs() < a * 1e-9, "{a} vs {b}");
        let holed: Polygon<f64> = polygon!(
            exterior: [
                (x: 120.0, y: 31.0), (x: 120.01, y: 31.0), (x: 120.01, y: 31.01), (x: 120.0, y: 31.01),
            ],
            interiors: [[
                (x: 120.004, y: 31.004), (x: 120.004, y: 31.006), (x: 120.006, y: 31.006), (x: 120.006, y: 31.004),
            ]],
        );
        let h = area_m2(&MultiPolygon::new(vec![holed]));
        assert!(h < a && h > a * 0.95, "holed {h} vs {a}");
        assert_eq!(area_m2(&MultiPolygon::new(vec![])), 0.0);
    }
}
