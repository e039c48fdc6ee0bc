//! The supervision operations, without HTTP: each parses what was typed, asks the policy and
//! the domain, and writes through one store call (whose transaction also logs the record).

use super::{forbidden, invalid, visible, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::supervision::{OrderDraft, OrderStatus, ReplyKind, SupervisedKind, reply_note};
use gongzhi_store::{EventActor, SupervisedItem, SupervisionRow, now_millis};
use serde::Deserialize;

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct IssueInput {
    /// `case`, `task`, `commitment` or `project` (or its Chinese name).
    #[serde(default)]
    pub kind: String,
    pub subject_id: Option<i64>,
    #[serde(default)]
    pub demand: String,
}

/// The item an order would be on, or 422 naming `subject_id`.
pub async fn item(
    st: &AppState,
    kind: SupervisedKind,
    id: Option<i64>,
) -> ApiResult<SupervisedItem> {
    let Some(id) = id else {
        return Err(ApiError::bad_request(
            "subject_id",
            "请指明督办的事项",
            "subject_id is required",
        ));
    };
    st.store.supervised_item(kind, id).await?.ok_or_else(|| {
        let mut e = ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_subject",
            format!("没有可督办的{} {id}", kind.zh()),
            format!("no {} {id} to supervise", kind.en().to_lowercase()),
        );
        e.body.field = Some("subject_id".into());
        e
    })
}

/// Whether `user` may issue an order on `item` (asked of its place).
pub fn may_issue(user: &User, item: &SupervisedItem) -> bool {
    user.may(Action::IssueSupervision, &Target::Area(item.place))
        .is_ok()
}

/// Issues an order; the clock points follow from the city's settings and the calendar.
pub async fn issue(st: &AppState, user: &User, b: &IssueInput) -> ApiResult<i64> {
    let kind = SupervisedKind::parse_or(&b.kind).map_err(invalid)?;
    let draft = OrderDraft {
        kind,
        subject_id: b.subject_id.unwrap_or_default(),
        demand: b.demand.clone(),
    }
    .checked()
    .map_err(invalid)?;
    let item = item(st, kind, b.subject_id).await?;
    if !may_issue(user, &item) {
        return Err(forbidden(
            "您不能督办该事项",
            "you may not issue a supervision order on this item",
        ));
    }
    let settings = super::settings::current(st).await?;
    let cfg = st.loop_cfg.fresh(&st.store).await?;
    let at = now_millis();
    let points = settings.points(&cfg.calendar, at);
    Ok(st
        .store
        .issue_supervision(&item, &draft.demand, &settings, &points, &by(user), at)
        .await?)
}

/// Whether `user` answers `o` (is its unit, as the policy says).
pub fn may_answer(user: &User, o: &SupervisionRow) -> bool {
    o.unit()
        .is_some_and(|u| user.may(Action::AnswerSupervision, &u.target()).is_ok())
}

/// The unit's reply: `acknowledge`, `progress` or `done` with a note.
pub async fn reply(
    st: &AppState,
    user: &User,
    id: i64,
    kind: &str,
    note: &str,
) -> ApiResult<OrderStatus> {
    let o = visible(st, user, id).await?;
    let kind = ReplyKind::parse(kind).ok_or_else(|| {
        ApiError::bad_request(
            "kind",
            format!("“{kind}”不是答复类别，可选：签收、进展报告、办结"),
            format!("'{kind}' is not a reply: acknowledge, progress, done"),
        )
    })?;
    if !may_answer(user, &o) {
        return Err(forbidden(
            "只有被督办单位可以答复",
            "only the unit under supervision answers the order",
        ));
    }
    let field = if kind == ReplyKind::Done {
        "result"
    } else {
        "note"
    };
    let note = match (kind, note.trim().is_empty()) {
        (ReplyKind::Acknowledge, true) => "已签收".to_string(),
        _ => reply_note(field, note).map_err(invalid)?,
    };
    st.store
        .reply_supervision(id, kind, &note, &by(user), now_millis())
        .await
        .map_err(write_error)
}

/// Whether `user` reviews `o`: it may issue orders at its place.
pub fn may_review(user: &User, o: &SupervisionRow) -> bool {
    user.may(Action::IssueSupervision, &Target::Area(o.place))
        .is_ok()
}

/// The issuer accepts the answer or sends it back with a reason.
pub async fn review(
    st: &AppState,
    user: &User,
    id: i64,
    accept: bool,
    note: &str,
) -> ApiResult<OrderStatus> {
    let o = visible(st, user, id).await?;
    if !may_review(user, &o) {
        return Err(forbidden(
            "只有督办方可以审核答复",
            "only the issuing side reviews the answer",
        ));
    }
    let note = if accept && note.trim().is_empty() {
        "同意办结".to_string()
    } else {
        reply_note("reason", note).map_err(invalid)?
    };
    st.store
        .review_supervision(id, accept, &note, &by(user), now_millis())
        .await
        .map_err(write_error)
}

/// Turns an open accountability suggestion into a misconduct report (执行不力, through the
/// 督办逾期 channel) for discipline supervision to investigate; the suggestion closes in the same
/// transaction. Only who may investigate in the order's place.
pub async fn report_suggestion(st: &AppState, user: &User, id: i64) -> ApiResult<i64> {
    let s = st
        .store
        .open_accountability_suggestion(id)
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                format!("待处理的问责建议 {id}"),
                format!("open accountability suggestion {id}"),
            )
        })?;
    user.may(Action::InvestigateMisconduct, &Target::Area(s.place))?;
    let by = EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    };
    Ok(crate::app::file_from_suggestion(st, &s, Some(user.account.id), &by, now_millis()).await?)
}

/// May the caller turn this suggestion into a misconduct report?
pub fn may_report_suggestion(user: &User, s: &gongzhi_store::SuggestionRow) -> bool {
    user.may(Action::InvestigateMisconduct, &Target::Area(s.place))
        .is_ok()
}
