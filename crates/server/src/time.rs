//! Times are shown in Beijing time (UTC+8, no daylight saving), whatever the server's zone.

use gongzhi_domain::calendar::cst_datetime;

/// `2026-11-27 16:43:05` for unix milliseconds.
pub fn local(millis: i64) -> String {
    cst_datetime(millis)
        .strftime("%Y-%m-%d %H:%M:%S")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_beijing_time() {
        assert_eq!(local(0), "1970-01-01 08:00:00");
        // 2026-11-27T16:00:00Z
        assert_eq!(local(1_795_795_200_000), "2026-11-28 00:00:00");
    }
}
