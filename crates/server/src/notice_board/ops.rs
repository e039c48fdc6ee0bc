//! The notice operations, without HTTP: each parses what was typed, asks the policy and the
//! domain, and writes through one store call (whose transaction also logs the record).

use super::{forbidden, invalid, today, visible_notice, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::calendar::Date;
use gongzhi_domain::notice_board::{NoticeDraft, NoticeKind, may_publish};
use gongzhi_store::{EventActor, now_millis};
use serde::Deserialize;

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct NoticeInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub from: Option<String>,
    pub until: Option<String>,
    /// The audience area's code (a community, a street, the district or the city).
    #[serde(default)]
    pub audience: String,
    pub department: Option<String>,
    #[serde(default)]
    pub subject_text: String,
    #[serde(default)]
    pub subject_url: String,
    /// Publish at once (the API's and the form's "发布"); otherwise a draft.
    #[serde(default)]
    pub publish: bool,
}

fn date(field: &str, raw: Option<&str>, default: Option<Date>) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            default.ok_or_else(|| ApiError::bad_request(field, "请填写日期", "a date is required"))
        }
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

/// What was typed, checked by the domain; and whether the caller may publish to it.
async fn checked(st: &AppState, user: &User, b: &NoticeInput) -> ApiResult<NoticeDraft> {
    let kind = NoticeKind::parse_or(&b.kind).map_err(invalid)?;
    let audience = crate::http::api_geo::parse_area("audience", b.audience.trim())?;
    if st.store.area(&audience).await?.is_none() {
        return Err(ApiError::bad_request(
            "audience",
            format!("没有编码为 {audience} 的区划"),
            format!("no area {audience}"),
        ));
    }
    let draft = NoticeDraft {
        kind,
        title: b.title.clone(),
        body: b.body.clone(),
        from: date("from", b.from.as_deref(), Some(today()))?,
        until: date("until", b.until.as_deref(), None)?,
        audience,
        department: b.department.clone(),
        subject_text: b.subject_text.clone(),
        subject_url: b.subject_url.clone(),
    }
    .checked()
    .map_err(invalid)?;
    if let Some(d) = &draft.department
        && st.store.department(d).await?.is_none()
    {
        return Err(ApiError::bad_request(
            "department",
            format!("没有编码为“{d}”的部门"),
            format!("no department '{d}'"),
        ));
    }
    if !may_publish(
        &user.principal(),
        &draft.audience,
        draft.department.as_deref(),
    ) {
        return Err(forbidden(
            "您不能向该范围发布公示",
            "you may not publish notices to this audience",
        ));
    }
    Ok(draft)
}

/// A new notice, a draft or published at once.
pub async fn create(st: &AppState, user: &User, b: NoticeInput) -> ApiResult<i64> {
    let draft = checked(st, user, &b).await?;
    Ok(st
        .store
        .create_notice(&draft, b.publish, &by(user), now_millis())
        .await?)
}

/// The caller may act on a stored notice: it may publish to its audience (or is its department).
pub(super) async fn own(
    st: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<gongzhi_store::NoticeRow> {
    let n = visible_notice(st, user, id).await?;
    if !may_publish(&user.principal(), &n.audience, n.department.as_deref()) {
        return Err(forbidden(
            "您不能修改这条公示",
            "you may not act on this notice",
        ));
    }
    Ok(n)
}

/// Changes a notice (a new version once published); `publish` also publishes a draft.
pub async fn change(st: &AppState, user: &User, id: i64, b: NoticeInput) -> ApiResult<()> {
    let stored = own(st, user, id).await?;
    let draft = checked(st, user, &b).await?;
    let at = now_millis();
    st.store
        .change_notice(id, &draft, &by(user), at)
        .await
        .map_err(write_error)?;
    // "Save and publish" on a draft; a published notice is published already.
    if b.publish && stored.state == gongzhi_domain::notice_board::NoticeState::Draft {
        publish(st, user, id).await?;
    }
    Ok(())
}

pub async fn publish(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    own(st, user, id).await?;
    st.store
        .publish_notice(id, &by(user), now_millis())
        .await
        .map_err(write_error)
}

pub async fn withdraw(st: &AppState, user: &User, id: i64, reason: &str) -> ApiResult<()> {
    own(st, user, id).await?;
    st.store
        .withdraw_notice(id, reason, &by(user), now_millis())
        .await
        .map_err(write_error)
}
