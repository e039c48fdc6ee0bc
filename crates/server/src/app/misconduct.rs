//! Filing a passive-governance report (消极怠政), from whichever channel it comes: the public
//! form and its two boxes, the hotline, a staff referral, a signal from the case data, or an
//! overdue supervision order. One function for all of them, so every channel gets the same
//! checks, the same sealing of the reporter's identity and the same log entry.

use super::AppError;
use crate::state::AppState;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::conduct::{ReportChannel, ReportDraft, ReportedUnit, SignalKind};
use gongzhi_store::{EventActor, NewReport, SuggestionRow};

/// A filed report: its id, and the lookup code of a public report (shown once).
#[derive(Clone, Debug)]
pub struct FiledMisconduct {
    pub id: i64,
    pub lookup_code: Option<String>,
}

/// Files `draft` through `channel`: checks it (texts, dates, the area and the unit exist, the
/// category is active), gives a public-form report a lookup code, and stores it in one
/// transaction with its log entry. `filed_by` is the filing account (a resident's own list;
/// `None` for the public form and the system), `signal` the signal it was opened from (key,
/// kind, evidence count), `label` who the log names. Who may file through which channel is the
/// caller's question (`ReportChannel::open_to`, `Action::ReportMisconduct`).
pub async fn file_misconduct_report(
    st: &AppState,
    draft: ReportDraft,
    channel: ReportChannel,
    filed_by: Option<i64>,
    signal: Option<(String, SignalKind, i64)>,
    label: &EventActor,
    now: i64,
) -> Result<FiledMisconduct, AppError> {
    let draft = checked(st, draft, now).await?;
    let lookup_code = channel.is_public().then(random_lookup_code);
    let new = NewReport {
        draft,
        channel,
        filed_by,
        lookup_code: lookup_code.clone(),
        signal,
        suggestion: None,
    };
    let id = st.store.file_misconduct_report(&new, label, now).await?;
    Ok(FiledMisconduct { id, lookup_code })
}

/// The draft checked by the domain, its area and reported unit known to the store.
async fn checked(st: &AppState, draft: ReportDraft, now: i64) -> Result<ReportDraft, AppError> {
    let draft = draft.checked(date_of(now)).map_err(AppError::Conduct)?;
    if st.store.area(&draft.area).await?.is_none() {
        return Err(AppError::bad_input(
            "area",
            format!("没有编码为 {} 的区划", draft.area),
            format!("no area {}", draft.area),
        ));
    }
    match &draft.unit {
        ReportedUnit::Department(d) => {
            if st.store.department(d).await?.is_none() {
                return Err(AppError::bad_input(
                    "unit",
                    format!("没有编码为“{d}”的部门"),
                    format!("no department '{d}'"),
                ));
            }
        }
        ReportedUnit::Area(a) => {
            if st.store.area(a).await?.is_none() {
                return Err(AppError::bad_input(
                    "unit",
                    format!("没有编码为 {a} 的区划"),
                    format!("no area {a}"),
                ));
            }
        }
    }
    Ok(draft)
}

/// Files the misconduct report an overdue supervision order's accountability suggestion
/// (七天督办: overdue → notice → 建议问责) asks for — 执行不力 by the unit that did not answer,
/// through the 督办逾期 channel — and closes the suggestion in the same transaction.
pub async fn file_from_suggestion(
    st: &AppState,
    s: &SuggestionRow,
    filed_by: Option<i64>,
    label: &EventActor,
    now: i64,
) -> Result<i64, AppError> {
    let unit = match s.unit_kind.as_str() {
        "department" => ReportedUnit::Department(s.unit_code.clone()),
        _ => ReportedUnit::Area(
            AreaCode::parse(&s.unit_code)
                .map_err(|e| AppError::bad_input("unit", e.to_string(), e.to_string()))?,
        ),
    };
    let draft = ReportDraft {
        category: SUGGESTION_CATEGORY.into(),
        area: s.place,
        unit,
        official: String::new(),
        description: format!(
            "督办事项「{}」逾期未办结，已发督办通知仍未办结，系统建议问责。依据：{}",
            s.subject_label, s.evidence
        ),
        // Never after today: another server's clock may run ahead of this one's.
        occurred_on: Some(date_of(s.since.min(now))),
        reporter: None,
    };
    let draft = checked(st, draft, now).await?;
    let new = NewReport {
        draft,
        channel: ReportChannel::SupervisionOverdue,
        filed_by,
        lookup_code: None,
        signal: None,
        suggestion: Some(s.id),
    };
    Ok(st.store.file_misconduct_report(&new, label, now).await?)
}

/// The category of a report made of an overdue supervision order: 执行不力.
const SUGGESTION_CATEGORY: &str = "poor_execution";

/// A lookup code like a case report's (80 random bits).
fn random_lookup_code() -> String {
    let mut bytes = [0u8; gongzhi_domain::case::LOOKUP_CODE_BYTES];
    getrandom::fill(&mut bytes).expect("operating system random source");
    gongzhi_domain::case::lookup_code_from_bytes(bytes)
}
