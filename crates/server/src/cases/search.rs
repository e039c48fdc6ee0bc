//! Case search (案件查询): the query's search fields — ticket, lookup code, words in the address
//! or description, category, state, department, area, reported dates — checked and turned into
//! the store's filter on top of what the access policy lists for the caller. The store applies
//! all of it in SQL, so a page, its count and the export see the same cases.

use crate::auth::User;
use crate::cases::api::{CaseQuery, case_filter};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{List, Listing};
use gongzhi_domain::calendar::{Date, start_of};
use gongzhi_domain::case::CaseState;
use gongzhi_domain::codes::AreaLevel;
use gongzhi_store::{AreaRow, CaseFilter, CategoryRow, DepartmentRow};

/// The caller's cases narrowed by every field of the query; a bad field is refused by name.
pub async fn filter(st: &AppState, user: &User, q: &CaseQuery) -> ApiResult<CaseFilter> {
    let mut f = case_filter(user, q)?;
    if let Some(s) = nonempty(&q.state) {
        f.states = states(s)?;
    }
    if let Some(t) = nonempty(&q.ticket) {
        f.ticket_contains = Some(t.to_uppercase());
    }
    if let Some(code) = nonempty(&q.lookup) {
        // A code that cannot be one finds nothing rather than everything.
        f.lookup_hash = Some(
            gongzhi_store::lookup_digest(st.store.pii(), code).ok_or_else(|| {
                ApiError::bad_request(
                    "lookup",
                    format!("“{code}”不是查询码（12位字母数字）"),
                    format!("'{code}' is not a lookup code (12 letters and digits)"),
                )
            })?,
        );
    }
    if let Some(text) = nonempty(&q.q) {
        f.text = Some(text.to_string());
    }
    if let Some(c) = nonempty(&q.category) {
        f.categories = category_codes(st, c).await?;
    }
    if let Some(d) = nonempty(&q.department)
        && !st.store.lookups().await?.departments.contains_key(d)
    {
        return Err(ApiError::bad_request(
            "department",
            format!("没有部门“{d}”"),
            format!("there is no department '{d}'"),
        ));
    }
    let from = date("from", &q.from)?;
    let to = date("to", &q.to)?;
    if let (Some(a), Some(b)) = (from, to)
        && a > b
    {
        return Err(ApiError::bad_request(
            "to",
            "截止日期早于起始日期",
            "the end date is before the start date",
        ));
    }
    f.reported_from = from.map(start_of);
    // Up to the end of the day given, in Beijing time.
    f.reported_to = to.map(|d| start_of(d.succ()) - 1);
    Ok(f)
}

fn nonempty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// `state=dispatched,in_progress` (codes or Chinese names).
fn states(s: &str) -> ApiResult<Vec<String>> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            CaseState::parse(x)
                .map(|st| st.as_str().to_string())
                .ok_or_else(|| {
                    ApiError::bad_request(
                        "state",
                        format!("没有状态“{x}”"),
                        format!("there is no state '{x}'"),
                    )
                })
        })
        .collect()
}

fn date(field: &'static str, v: &Option<String>) -> ApiResult<Option<Date>> {
    let Some(s) = nonempty(v) else {
        return Ok(None);
    };
    Date::parse(s).map(Some).ok_or_else(|| {
        ApiError::bad_request(
            field,
            format!("“{s}”不是日期（年-月-日，如 2026-11-27）"),
            format!("'{s}' is not a date (year-month-day, e.g. 2026-11-27)"),
        )
    })
}

/// The query again as a URL query string, without the page: for paging links and the export.
pub fn query_string(q: &CaseQuery) -> String {
    let overdue = q.overdue.unwrap_or(false).then(|| "true".to_string());
    [
        ("ticket", &q.ticket),
        ("lookup", &q.lookup),
        ("q", &q.q),
        ("category", &q.category),
        ("state", &q.state),
        ("department", &q.department),
        ("area", &q.area),
        ("grid", &q.grid),
        ("from", &q.from),
        ("to", &q.to),
        ("overdue", &overdue),
    ]
    .into_iter()
    .filter_map(|(k, v)| nonempty(v).map(|v| format!("{k}={}", escape(v))))
    .collect::<Vec<_>>()
    .join("&")
}

/// Percent-encodes a query value.
pub fn escape(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The codes a category filter stands for: a minor category itself, a major one with each
/// of its minor ones; an unknown code is a 400 naming `category`.
pub async fn category_codes(st: &AppState, c: &str) -> ApiResult<Vec<String>> {
    let lookups = st.store.lookups().await?;
    let Some(cat) = lookups.categories.get(c) else {
        return Err(ApiError::bad_request(
            "category",
            format!("没有类别“{c}”"),
            format!("there is no category '{c}'"),
        ));
    };
    Ok(lookups
        .categories
        .values()
        .filter(|x| x.parent.as_deref() == Some(cat.code.as_str()))
        .map(|x| x.code.clone())
        .chain([cat.code.clone()])
        .collect())
}

/// A major category with its minor ones, for one `<optgroup>`.
pub struct CategoryGroup {
    pub major: CategoryRow,
    pub minors: Vec<CategoryRow>,
}

/// What the search form offers: names, each with the code it sends.
pub struct Choices {
    pub categories: Vec<CategoryGroup>,
    pub departments: Vec<DepartmentRow>,
    /// Streets and communities within the caller's listing, street before its communities.
    pub areas: Vec<AreaRow>,
    pub states: Vec<CaseState>,
}

pub async fn choices(st: &AppState, user: &User) -> ApiResult<Choices> {
    let all = st.store.categories().await?;
    let categories = all
        .iter()
        .filter(|c| c.parent.is_none())
        .map(|major| CategoryGroup {
            major: major.clone(),
            minors: all
                .iter()
                .filter(|c| c.parent.as_deref() == Some(major.code.as_str()))
                .cloned()
                .collect(),
        })
        .collect();
    let own = user.listing(List::Cases);
    let areas = st
        .store
        .areas()
        .await?
        .into_iter()
        .filter(|a| matches!(a.level, AreaLevel::Street | AreaLevel::Community))
        .filter(|a| match &own {
            Listing::Area(own) => own.contains(&a.code),
            // A grid worker's own grid is narrower than any area.
            Listing::Grid(_) | Listing::Nothing => false,
            _ => true,
        })
        .collect();
    // A department lists its own cases only: offering the others would only be refused.
    let departments = st
        .store
        .departments()
        .await?
        .into_iter()
        .filter(|d| match &own {
            Listing::Department(code) => d.code == *code,
            _ => true,
        })
        .collect();
    Ok(Choices {
        categories,
        departments,
        areas,
        // Merged cases are found through the case they joined.
        states: CaseState::ALL
            .into_iter()
            .filter(|s| *s != CaseState::Merged)
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_keeps_every_search_field_and_drops_the_page() {
        let q = CaseQuery {
            ticket: Some(" 2026 ".into()),
            q: Some("幸福路 8号".into()),
            category: Some("E01".into()),
            from: Some("2026-11-01".into()),
            overdue: Some(true),
            page: Some(3),
            state: Some(String::new()),
            ..Default::default()
        };
        assert_eq!(
            query_string(&q),
            "ticket=2026&q=%E5%B9%B8%E7%A6%8F%E8%B7%AF%208%E5%8F%B7&category=E01&from=2026-11-01&overdue=true"
        );
    }

    #[test]
    fn bad_states_and_dates_are_refused_by_name() {
        assert_eq!(states("dispatched, 处置中").unwrap().len(), 2);
        assert_eq!(
            states("dispatched,nope").unwrap_err().body.field.as_deref(),
            Some("state")
        );
        assert!(date("from", &Some("2026-02-30".into())).is_err());
        assert_eq!(
            date("to", &Some("2026-2-3".into())).unwrap(),
            Date::new(2026, 2, 3)
        );
    }
}
