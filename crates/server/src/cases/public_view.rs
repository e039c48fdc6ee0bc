//! What a lookup code shows, to the reporter or to whoever guessed it: the case's state,
//! dates, category and community, and a timeline of event kinds. No address, coordinates or
//! description, no staff or officer names, no notes, no ledger salts: the reporter knows
//! what they reported, and anyone else learns only that some case of that kind exists in
//! that community (decision 012).

use crate::cases::views::TimelineEntry;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::case::CaseState;
use gongzhi_store::{CaseEventRow, CaseRow};
use serde::Serialize;
use std::net::IpAddr;

#[derive(Clone, Debug, Serialize)]
pub struct PublicCaseView {
    pub ticket: String,
    pub state: CaseState,
    pub state_label: String,
    pub open: bool,
    pub category: String,
    pub category_name: String,
    /// The community (社区) the case lies in: as coarse as a location gets here.
    pub community: Option<String>,
    pub community_name: Option<String>,
    pub reported_at: i64,
    pub reported_at_text: String,
    pub deadline: Option<i64>,
    pub deadline_text: Option<String>,
    pub closed_at: Option<i64>,
    pub closed_at_text: Option<String>,
    pub supporters: i64,
    pub rating: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicEvent {
    pub seq: i64,
    pub kind: String,
    /// The event's kind in words (`Event::public_zh`), nothing of its content.
    pub summary: String,
    pub at: i64,
    pub at_text: String,
    pub ledger_index: Option<u64>,
    pub ledger_verified: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicCase {
    pub case: PublicCaseView,
    pub timeline: Vec<PublicEvent>,
}

/// The case a lookup code opens, counted against the caller's address: a code that opens
/// nothing spends one of the address's attempts (`RateLimit::LOOKUP`), one that opens a case
/// gives it back. Refused before any lookup once the address has none left.
pub async fn case_by_code(st: &AppState, ip: IpAddr, code: &str) -> ApiResult<CaseRow> {
    st.throttle.lookup.take(ip)?;
    match st.store.case_by_lookup(code).await? {
        Some(row) => {
            st.throttle.lookup.give_back(ip);
            Ok(row)
        }
        None => Err(ApiError::not_found(
            "查询码对应的诉求",
            "no case for that lookup code",
        )),
    }
}

pub async fn public_case(st: &AppState, row: &CaseRow) -> ApiResult<PublicCase> {
    let c = &row.case;
    let category_name = st
        .store
        .lookups()
        .await
        .ok()
        .and_then(|l| l.categories.get(&c.category).map(|x| x.name.clone()))
        .unwrap_or_else(|| c.category.clone());
    let community_name = match &c.community {
        Some(code) => st.store.area(code).await?.map(|a| a.name),
        None => None,
    };
    let events = st.store.case_events(row.id).await?;
    let mut marks = crate::cases::views::timeline(&events);
    crate::ledger::timeline::annotate(st, row.id, &mut marks).await;
    Ok(PublicCase {
        case: PublicCaseView {
            ticket: row.ticket.clone(),
            state: c.state,
            state_label: c.state.zh().to_string(),
            open: c.state.is_open(),
            category: c.category.clone(),
            category_name,
            community: c.community.map(|a| a.to_string()),
            community_name,
            reported_at: row.reported_at,
            reported_at_text: crate::time::local(row.reported_at),
            deadline: c.deadline,
            deadline_text: c.deadline.map(crate::time::local),
            closed_at: row.closed_at,
            closed_at_text: row.closed_at.map(crate::time::local),
            supporters: row.supporters,
            rating: c.rating.as_ref().map(|r| r.satisfaction.zh().to_string()),
        },
        timeline: events.iter().zip(marks).map(public_event).collect(),
    })
}

fn public_event((e, mark): (&CaseEventRow, TimelineEntry)) -> PublicEvent {
    PublicEvent {
        seq: e.seq,
        kind: e.kind.clone(),
        summary: e.event.public_zh().to_string(),
        at: e.at,
        at_text: crate::time::local(e.at),
        ledger_index: mark.ledger_index,
        ledger_verified: mark.ledger_verified,
    }
}
