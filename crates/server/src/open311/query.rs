//! `GET requests.{fmt}` parameters → [`RequestQuery`], with the spec's defaults: the most recent
//! 90 days when no dates are given, a range of at most 90 days, at most 1,000 requests a page.

use super::datetime::{self, DAY_MS};
use super::error::Open311Error;
use super::model::{RequestQuery, Status};
use super::params::Params;

/// Largest page, and the default page size.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// The default window and the longest range `start_date..end_date` may span.
pub const WINDOW_MS: i64 = 90 * DAY_MS;

pub fn request_query(p: &Params, now_ms: i64) -> Result<RequestQuery, Open311Error> {
    let extensions = p.flag("extensions")?;
    let page = number(p, "page")?.unwrap_or(1);
    let page_size = number(p, "page_size")?
        .unwrap_or(MAX_PAGE_SIZE)
        .min(MAX_PAGE_SIZE);

    // `service_request_id` overrides every other filter.
    let ids = p.list("service_request_id");
    if !ids.is_empty() {
        if ids.len() > MAX_PAGE_SIZE as usize {
            return Err(Open311Error::bad_request(
                "一次最多查询 1000 个 service_request_id",
                "at most 1000 service_request_id values per query",
            ));
        }
        return Ok(RequestQuery {
            ids,
            service_codes: Vec::new(),
            start: None,
            end: None,
            status: Vec::new(),
            page,
            page_size,
            extensions,
            full: false,
        });
    }

    let (start, end) = match (date(p, "start_date")?, date(p, "end_date")?) {
        (None, None) => (now_ms - WINDOW_MS, now_ms),
        (Some(s), None) => (s, s + WINDOW_MS),
        (None, Some(e)) => (e - WINDOW_MS, e),
        (Some(s), Some(e)) if e < s => {
            return Err(Open311Error::bad_request(
                "end_date 早于 start_date",
                "end_date is before start_date",
            ));
        }
        (Some(s), Some(e)) if e - s > WINDOW_MS => {
            return Err(Open311Error::bad_request(
                "start_date 与 end_date 之间不能超过 90 天",
                "start_date and end_date may not span more than 90 days",
            ));
        }
        (Some(s), Some(e)) => (s, e),
    };

    let mut status = Vec::new();
    for s in p.list("status") {
        match Status::parse(&s) {
            Some(v) => status.push(v),
            None => {
                return Err(Open311Error::bad_request(
                    &format!("status 只能是 open 或 closed，收到「{s}」"),
                    &format!("status must be open or closed, got '{s}'"),
                ));
            }
        }
    }

    Ok(RequestQuery {
        ids: Vec::new(),
        service_codes: p.list("service_code"),
        start: Some(start),
        end: Some(end),
        status,
        page,
        page_size,
        extensions,
        full: false,
    })
}

fn date(p: &Params, key: &str) -> Result<Option<i64>, Open311Error> {
    let Some(raw) = p.one(key)? else {
        return Ok(None);
    };
    datetime::parse(raw).map(Some).ok_or_else(|| {
        Open311Error::bad_request(
            &format!("{key} 不是带时区的 W3C 时间（例如 2026-11-27T08:00:00+08:00）：「{raw}」"),
            &format!(
                "{key} is not a W3C datetime with a time zone (e.g. 2026-11-27T08:00:00+08:00 or 2026-11-27T00:00:00Z): '{raw}'"
            ),
        )
    })
}

/// A positive whole number.
fn number(p: &Params, key: &str) -> Result<Option<u32>, Open311Error> {
    let Some(raw) = p.one(key)? else {
        return Ok(None);
    };
    let bad = || {
        Open311Error::bad_request(
            &format!("{key} 必须是正整数，收到「{raw}」"),
            &format!("{key} must be a positive whole number, got '{raw}'"),
        )
    };
    if !raw.bytes().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    // Digits only: an overflow can only mean "very large".
    let v: u64 = raw.parse().unwrap_or(u64::MAX);
    match u32::try_from(v) {
        Ok(0) => Err(bad()),
        Ok(v) => Ok(Some(v)),
        Err(_) if key == "page_size" => Ok(Some(u32::MAX)),
        Err(_) => Err(bad()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_737_600_000;

    fn q(raw: &str) -> Result<RequestQuery, Open311Error> {
        request_query(&Params::parse(raw).unwrap(), NOW)
    }

    #[test]
    fn open311_query_defaults() {
        let v = q("").unwrap();
        assert_eq!(v.start, Some(NOW - WINDOW_MS));
        assert_eq!(v.end, Some(NOW));
        assert_eq!((v.page, v.page_size, v.extensions), (1, 1000, false));
        assert!(v.ids.is_empty() && v.service_codes.is_empty() && v.status.is_empty());
    }

    #[test]
    fn open311_query_one_sided_ranges_span_90_days() {
        let v = q("start_date=2026-11-27T08:00:00%2B08:00").unwrap();
        assert_eq!((v.start, v.end), (Some(NOW), Some(NOW + WINDOW_MS)));
        let v = q("end_date=2026-11-27T00:00:00Z").unwrap();
        assert_eq!((v.start, v.end), (Some(NOW - WINDOW_MS), Some(NOW)));
    }

    #[test]
    fn open311_query_page_size_is_capped_and_checked() {
        assert_eq!(q("page_size=5000").unwrap().page_size, 1000);
        assert_eq!(q("page_size=99999999999999999999").unwrap().page_size, 1000);
        assert_eq!(q("page_size=20&page=3").unwrap().page_size, 20);
        for bad in [
            "page=0",
            "page=-1",
            "page_size=0",
            "page_size=ten",
            "page=1.5",
            "page=99999999999",
        ] {
            assert_eq!(q(bad).unwrap_err().status.as_u16(), 400, "{bad}");
        }
    }

    #[test]
    fn open311_query_ids_override_other_filters() {
        let v = q("service_request_id=1,2&status=bogus&start_date=junk&service_code=x").unwrap();
        assert_eq!(v.ids, vec!["1", "2"]);
        assert_eq!((v.start, v.end), (None, None));
        assert!(v.status.is_empty() && v.service_codes.is_empty());
    }

    #[test]
    fn open311_query_rejects_bad_ranges() {
        assert!(q("start_date=2026-11-27T00:00:00Z&end_date=2026-11-26T00:00:00Z").is_err());
        assert!(q("start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z").is_err());
        assert!(q("start_date=2026-11-27").is_err());
        assert!(q("status=pending").is_err());
        assert!(q("extensions=yes").is_err());
    }
}
