//! Possible duplicates (重复诉求): an open case of the same category within 50 m and 7 days of a
//! new report. The reporter may follow it (counted as a supporter) instead of filing again.

/// How near and how recent a case must be to be suggested.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DuplicateRule {
    pub radius_m: f64,
    pub window_ms: i64,
}

impl Default for DuplicateRule {
    fn default() -> Self {
        DuplicateRule {
            radius_m: 50.0,
            window_ms: 7 * 86_400_000,
        }
    }
}

/// Great-circle distance in metres between two WGS84 points (haversine; accurate to well under a
/// metre at these distances).
pub fn distance_m(lon1: f64, lat1: f64, lon2: f64, lat2: f64) -> f64 {
    const R: f64 = 6_371_008.8;
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * R * a.sqrt().asin()
}

impl DuplicateRule {
    /// Is an open case at (`lon`, `lat`) reported at `reported_at` a possible duplicate of a
    /// new report of the same category at (`new_lon`, `new_lat`) at `now`?
    pub fn matches(
        &self,
        new_lon: f64,
        new_lat: f64,
        now: i64,
        lon: f64,
        lat: f64,
        reported_at: i64,
    ) -> bool {
        now - reported_at <= self.window_ms
            && distance_m(new_lon, new_lat, lon, lat) <= self.radius_m
    }

    /// A box (in degrees) around a point that surely contains every point within the radius,
    /// for the database to narrow the search before `matches` decides.
    pub fn search_box(&self, lon: f64, lat: f64) -> (f64, f64, f64, f64) {
        let dlat = self.radius_m / 111_000.0 * 1.5;
        let dlon = dlat / lat.to_radians().cos().max(0.01);
        (lon - dlon, lat - dlat, lon + dlon, lat + dlat)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifty_metres_and_seven_days() {
        let r = DuplicateRule::default();
        // 0.0004° of latitude is about 44.5 m; 0.0005° about 55.6 m.
        assert!(r.matches(120.6, 31.3, 1_000, 120.6, 31.3004, 0));
        assert!(!r.matches(120.6, 31.3, 1_000, 120.6, 31.3005, 0));
        assert!(!r.matches(120.6, 31.3, 8 * 86_400_000, 120.6, 31.3, 0));
        let d = distance_m(120.6, 31.3, 120.6, 31.3004);
        assert!((d - 44.48).abs() < 0.1, "{d}");
        let (w, s, e, n) = r.search_box(120.6, 31.3);
        assert!(w < 120.5995 && e > 120.6005 && s < 31.2996 && n > 31.3004);
    }
}
