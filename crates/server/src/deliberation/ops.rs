//! The deliberation's operations, without HTTP: each loads what it needs, asks the policy and
//! the domain, and writes through one store call (whose transaction also logs the record). A
//! resolution's case item is filed through the same intake as every report (channel 有事好商量),
//! so the case runs the closed loop with its deadline like any other.

use super::{bad, community, forbidden, invalid, write_error};
use crate::auth::User;
use crate::cases::api::actor_of;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::case::{self, Channel};
use gongzhi_domain::codes::AreaCode;
use gongzhi_domain::deliberation::{
    AttendanceDraft, DeliberationError, ItemDraft, ItemKind, Majority, MeetingDraft, MeetingKind,
    MotionDraft, MotionRule, Party, RaiserKind, ResolutionDraft, SupportOutcome, TopicCategory,
    TopicDraft, VoteChoice, VotingBasis, mask_name, may_run, may_support, raise_target,
};
use gongzhi_store::{
    DeliberationMeetingRow, EventActor, MotionRow, NewTopic, ResolutionRow, Supporter, TopicRow,
    Voter, now_millis,
};
use serde::Deserialize;

/// Who writes a record, as the log names them.
pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// A resident without an account, as the log names them.
fn anonymous() -> EventActor {
    EventActor {
        account_id: None,
        name: "居民（查询码）".into(),
    }
}

pub fn today() -> Date {
    date_of(now_millis())
}

fn date(field: &str, raw: &str) -> ApiResult<Date> {
    Date::parse(raw.trim()).ok_or_else(|| {
        bad(
            field,
            format!("日期应为 YYYY-MM-DD：{}", raw.trim()),
            format!("a date must be YYYY-MM-DD: {}", raw.trim()),
        )
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct TopicInput {
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// A topic raised: its id and, for a resident without an account, the lookup code to follow
/// and support with (shown once, kept only as a digest).
pub struct Raised {
    pub id: i64,
    pub lookup_code: Option<String>,
}

/// Raises a topic as of `at`: by an account the policy lets raise topics there, or (`user`
/// none) by a resident who gets a lookup code.
pub async fn raise(
    st: &AppState,
    user: Option<&User>,
    input: TopicInput,
    at: i64,
) -> ApiResult<Raised> {
    let c = community(st, &input.community)?;
    let draft = TopicDraft {
        community: c,
        category: TopicCategory::parse_or(&input.category).map_err(invalid)?,
        title: input.title,
        description: input.description,
    }
    .checked()
    .map_err(invalid)?;
    let (new, actor, code) = match user {
        Some(u) => {
            let p = u.principal();
            let target = raise_target(&p, &c);
            u.may(Action::RaiseTopic, &target)?;
            let grid = match target {
                Target::Grid(g) => Some(g),
                _ => None,
            };
            let new = NewTopic {
                draft,
                grid,
                raiser_kind: RaiserKind::of(Some(&p)),
                raised_by: Some(u.account.id),
                raiser_name: mask_name(&u.account.display_name),
                lookup_hash: None,
            };
            (new, by(u), None)
        }
        None => {
            let mut bytes = [0u8; case::LOOKUP_CODE_BYTES];
            getrandom::fill(&mut bytes).expect("operating system random source");
            let code = case::lookup_code_from_bytes(bytes);
            let new = NewTopic {
                draft,
                grid: None,
                raiser_kind: RaiserKind::Resident,
                raised_by: None,
                raiser_name: "居民".into(),
                lookup_hash: gongzhi_store::lookup_digest(st.store.pii(), &code),
            };
            (new, anonymous(), Some(code))
        }
    };
    let id = st
        .store
        .raise_topic(&new, &actor, at)
        .await
        .map_err(write_error)?;
    Ok(Raised {
        id,
        lookup_code: code,
    })
}

pub async fn topic(st: &AppState, id: i64) -> ApiResult<TopicRow> {
    st.store
        .topic(id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("议题 {id}"), format!("topic {id}")))
}

/// One support as of `at`: a resident's account, or (`user` none) the holder of a lookup code
/// the platform issued (the lookup throttle counts the tries).
pub async fn support(
    st: &AppState,
    user: Option<&User>,
    lookup_code: Option<&str>,
    ip: std::net::IpAddr,
    id: i64,
    at: i64,
) -> ApiResult<SupportOutcome> {
    let t = topic(st, id).await?;
    let (who, actor) = match user {
        Some(u) => {
            if !may_support(&u.principal(), &t.community) {
                return Err(forbidden(
                    "只有居民可以支持议题（工作人员可以直接列入议程）",
                    "only residents support topics (staff table them directly)",
                ));
            }
            (Supporter::Account(u.account.id), by(u))
        }
        None => {
            st.throttle.lookup.take(ip)?;
            let digest = lookup_code
                .and_then(|c| gongzhi_store::lookup_digest(st.store.pii(), c))
                .ok_or_else(|| invalid(DeliberationError::UnknownLookupCode))?;
            (Supporter::Code(digest), anonymous())
        }
    };
    let out = st
        .store
        .support_topic(id, &who, &actor, at)
        .await
        .map_err(|e| match e {
            gongzhi_store::DeliberationWriteError::Refused(
                DeliberationError::UnknownLookupCode,
            ) => invalid(DeliberationError::UnknownLookupCode),
            other => write_error(other),
        })?;
    if user.is_none() {
        st.throttle.lookup.give_back(ip);
    }
    Ok(out)
}

/// May the caller run deliberation in `community`? Else 403.
fn run_in(user: &User, c: &AreaCode) -> ApiResult<()> {
    if may_run(&user.principal(), c) {
        Ok(())
    } else {
        Err(forbidden(
            "只有本社区、街道、区县或党组织可以组织议事协商",
            "deliberation is run by the community, street, district or party organisation",
        ))
    }
}

pub async fn table(st: &AppState, user: &User, id: i64) -> ApiResult<TopicRow> {
    let t = topic(st, id).await?;
    run_in(user, &t.community)?;
    st.store
        .table_topic(id, &by(user))
        .await
        .map_err(write_error)?;
    topic(st, id).await
}

pub async fn decline(st: &AppState, user: &User, id: i64, reason: &str) -> ApiResult<TopicRow> {
    let t = topic(st, id).await?;
    run_in(user, &t.community)?;
    t.status.decline(reason).map_err(invalid)?;
    st.store
        .decline_topic(id, reason, &by(user))
        .await
        .map_err(write_error)?;
    topic(st, id).await
}

#[derive(Deserialize, Default, Clone)]
pub struct MeetingInput {
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub invited: Vec<String>,
    #[serde(default)]
    pub departments: Vec<String>,
}

pub async fn create_meeting(st: &AppState, user: &User, b: MeetingInput) -> ApiResult<i64> {
    let c = community(st, &b.community)?;
    run_in(user, &c)?;
    let invited = b
        .invited
        .iter()
        .map(|p| Party::parse_or(p))
        .collect::<Result<Vec<_>, _>>()
        .map_err(invalid)?;
    let lookups = st.store.lookups().await?;
    if let Some(d) = b
        .departments
        .iter()
        .map(|d| d.trim())
        .find(|d| !d.is_empty() && !lookups.departments.contains_key(*d))
    {
        return Err(invalid(DeliberationError::UnknownDepartment(d.into())));
    }
    let draft = MeetingDraft {
        community: c,
        kind: MeetingKind::parse_or(&b.kind).map_err(invalid)?,
        title: b.title,
        held_on: date("held_on", &b.held_on)?,
        place: b.place,
        invited,
        departments: b.departments,
    }
    .checked(today())
    .map_err(invalid)?;
    st.store
        .create_meeting(&draft, &by(user))
        .await
        .map_err(write_error)
}

/// May the caller see meeting `m`? Who runs deliberation there, staff whose list covers the
/// community, and a department it invited.
fn sees_meeting(user: &User, m: &DeliberationMeetingRow) -> bool {
    match user.listing(List::Deliberations) {
        Listing::Everything => true,
        Listing::Area(a) => a.contains(&m.community),
        Listing::Grid(g) => g.community() == m.community,
        Listing::Department(d) => m.departments.contains(&d),
        _ => false,
    }
}

/// A meeting the caller sees, else 404.
pub async fn meeting(st: &AppState, user: &User, id: i64) -> ApiResult<DeliberationMeetingRow> {
    st.store
        .meeting(id)
        .await?
        .filter(|m| sees_meeting(user, m))
        .ok_or_else(|| ApiError::not_found(format!("议事会 {id}"), format!("meeting {id}")))
}

/// A meeting the caller runs: 404 unseen, 403 seen but not run.
async fn run_meeting(st: &AppState, user: &User, id: i64) -> ApiResult<DeliberationMeetingRow> {
    let m = meeting(st, user, id).await?;
    run_in(user, &m.community)?;
    Ok(m)
}

pub async fn add_to_agenda(st: &AppState, user: &User, id: i64, topic: i64) -> ApiResult<()> {
    run_meeting(st, user, id).await?;
    st.store
        .add_to_agenda(id, topic, &by(user))
        .await
        .map_err(write_error)
}

pub async fn attendance(
    st: &AppState,
    user: &User,
    id: i64,
    party: &str,
    count: u32,
    note: &str,
) -> ApiResult<()> {
    let m = run_meeting(st, user, id).await?;
    let a = AttendanceDraft {
        party: Party::parse_or(party).map_err(invalid)?,
        count,
        note: note.into(),
    }
    .checked(&m.invited)
    .map_err(invalid)?;
    st.store
        .record_attendance(id, &a, &by(user))
        .await
        .map_err(write_error)
}

pub async fn minutes(st: &AppState, user: &User, id: i64, minutes: &str) -> ApiResult<()> {
    let m = run_meeting(st, user, id).await?;
    gongzhi_domain::deliberation::check_minutes(minutes, m.held_on, today()).map_err(invalid)?;
    st.store
        .record_minutes(id, minutes, today(), &by(user))
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone)]
pub struct MotionInput {
    #[serde(default)]
    pub title: String,
    pub topic_id: Option<i64>,
    /// Blank: the city's defaults.
    pub basis: Option<String>,
    pub quorum_pct: Option<u32>,
    pub majority: Option<String>,
}

fn or_default<T>(
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, DeliberationError>,
    d: T,
) -> ApiResult<T> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => parse(s).map_err(invalid),
        None => Ok(d),
    }
}

pub async fn put_motion(
    st: &AppState,
    user: &User,
    meeting: i64,
    b: MotionInput,
) -> ApiResult<i64> {
    let m = run_meeting(st, user, meeting).await?;
    let s = st.store.deliberation_settings(Some(&m.community)).await?;
    let draft = MotionDraft {
        title: b.title,
        rule: MotionRule {
            basis: or_default(b.basis.as_deref(), VotingBasis::parse_or, s.voting_basis)?,
            quorum_pct: b.quorum_pct.unwrap_or(s.quorum_pct),
            majority: or_default(b.majority.as_deref(), Majority::parse_or, s.majority)?,
        },
    }
    .checked()
    .map_err(invalid)?;
    st.store
        .put_motion(meeting, b.topic_id, &draft, &by(user))
        .await
        .map_err(write_error)
}

/// A motion the caller sees (through its meeting), else 404.
pub async fn motion(
    st: &AppState,
    user: &User,
    id: i64,
) -> ApiResult<(MotionRow, DeliberationMeetingRow)> {
    let not_found = || ApiError::not_found(format!("表决事项 {id}"), format!("motion {id}"));
    let v = st.store.motion(id).await?.ok_or_else(not_found)?;
    let m = meeting(st, user, v.meeting_id)
        .await
        .map_err(|_| not_found())?;
    Ok((v, m))
}

#[derive(Deserialize, Default, Clone)]
pub struct VoteInput {
    pub household_id: Option<i64>,
    pub resident_id: Option<i64>,
    #[serde(default)]
    pub choice: String,
}

pub async fn vote(st: &AppState, user: &User, id: i64, b: VoteInput) -> ApiResult<MotionRow> {
    let (_, m) = motion(st, user, id).await?;
    run_in(user, &m.community)?;
    let choice = VoteChoice::parse_or(&b.choice).map_err(invalid)?;
    let voter = match (b.household_id, b.resident_id) {
        (Some(h), None) => Voter::Household(h),
        (None, Some(r)) => Voter::Resident(r),
        _ => {
            return Err(bad(
                "voter",
                "请填写投票的住户（一户一票）或居民（一人一票），只填一项",
                "give the household (one household, one vote) or the resident (one resident, one vote), one of them",
            ));
        }
    };
    st.store
        .record_vote(id, voter, choice, &by(user))
        .await
        .map_err(write_error)
}

pub async fn close(st: &AppState, user: &User, id: i64) -> ApiResult<MotionRow> {
    let (_, m) = motion(st, user, id).await?;
    run_in(user, &m.community)?;
    st.store
        .close_motion(id, &by(user))
        .await
        .map_err(write_error)?;
    Ok(motion(st, user, id).await?.0)
}

pub async fn resolve(st: &AppState, user: &User, motion_id: i64, title: &str) -> ApiResult<i64> {
    let (v, m) = motion(st, user, motion_id).await?;
    run_in(user, &m.community)?;
    let draft = ResolutionDraft {
        title: title.into(),
    }
    .checked(v.status)
    .map_err(|e| match e {
        DeliberationError::MotionNotPassed(_) => write_error(e.into()),
        other => invalid(other),
    })?;
    st.store
        .create_resolution(motion_id, &draft, &by(user))
        .await
        .map_err(write_error)
}

/// May the caller see resolution `r`? As its meeting.
pub async fn resolution(st: &AppState, user: &User, id: i64) -> ApiResult<ResolutionRow> {
    let not_found = || ApiError::not_found(format!("决议 {id}"), format!("resolution {id}"));
    let r = st
        .store
        .resolution(id, now_millis())
        .await?
        .ok_or_else(not_found)?;
    meeting(st, user, r.meeting_id)
        .await
        .map_err(|_| not_found())?;
    Ok(r)
}

#[derive(Deserialize, Default, Clone)]
pub struct ItemInput {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub description: String,
    /// A case item's category (GB/T 30428 code).
    pub category: Option<String>,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub address: Option<String>,
    /// A task item's owner and due date.
    pub owner: Option<String>,
    pub due_on: Option<String>,
}

/// What adding an item did.
pub struct Added {
    pub item: i64,
    pub case: Option<crate::app::Filed>,
    /// The item is kept but its case could not be filed: why.
    pub case_error: Option<ApiError>,
}

/// Adds an item to a resolution as of `at`. A case item's report is checked by intake before
/// anything is written; the item is then kept, its case filed through intake (channel 有事好商量)
/// and noted on the item.
pub async fn add_item(
    st: &AppState,
    user: &User,
    resolution_id: i64,
    b: ItemInput,
    at: i64,
) -> ApiResult<Added> {
    let r = resolution(st, user, resolution_id).await?;
    run_in(user, &r.community)?;
    let kind = ItemKind::parse(&b.kind).ok_or_else(|| {
        bad(
            "kind",
            "事项类型应为 立案办理(case) 或 任务(task)",
            "kind must be case or task",
        )
    })?;
    let due_on = match b.due_on.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(date("due_on", s)?),
        None => None,
    };
    let item = ItemDraft {
        kind,
        description: b.description.clone(),
        owner: b.owner.clone().unwrap_or_default(),
        due_on,
    }
    .checked(date_of(at))
    .map_err(invalid)?;
    let report = match kind {
        ItemKind::Task => None,
        ItemKind::Case => {
            let (lon, lat, address) = match (b.lon, b.lat) {
                (Some(lon), Some(lat)) => (lon, lat, b.address.clone().unwrap_or_default()),
                _ => st
                    .store
                    .community_point(&r.community)
                    .await?
                    .ok_or_else(|| bad("lat", "请在地图上选点", "pick a point on the map"))?,
            };
            let report = crate::app::Report {
                category: b.category.clone().unwrap_or_default().trim().to_string(),
                lon: Some(lon),
                lat: Some(lat),
                address,
                description: format!("【议事协商决议·{}】{}", r.title, item.description),
                emergency: false,
                channel: Some(Channel::Deliberation),
                reporter_phone: None,
                street: None,
                photos: Vec::new(),
            };
            let lookups = st.store.lookups().await?;
            crate::app::prepare(st, &lookups, &report)?;
            Some(report)
        }
    };
    let id = st
        .store
        .add_resolution_item(resolution_id, &item, &by(user), at)
        .await
        .map_err(write_error)?;
    let mut out = Added {
        item: id,
        case: None,
        case_error: None,
    };
    if let Some(report) = report {
        let (who, label) = actor_of(user);
        match crate::cases::service::file(st, &who, &label, report, at).await {
            Ok(filed) => {
                st.store
                    .set_item_case(id, filed.case.id, &filed.case.ticket, &by(user), at)
                    .await
                    .map_err(write_error)?;
                out.case = Some(filed);
            }
            Err(e) => out.case_error = Some(e),
        }
    }
    Ok(out)
}

pub async fn progress(
    st: &AppState,
    user: &User,
    item: i64,
    progress: u32,
    note: &str,
) -> ApiResult<ResolutionRow> {
    let not_found = || {
        ApiError::not_found(
            format!("决议事项 {item}"),
            format!("resolution item {item}"),
        )
    };
    let rid = st
        .store
        .item_resolution(item)
        .await?
        .ok_or_else(not_found)?;
    let r = resolution(st, user, rid).await.map_err(|_| not_found())?;
    run_in(user, &r.community)?;
    gongzhi_domain::deliberation::check_progress(0, progress).map_err(invalid)?;
    st.store
        .record_progress(item, progress, note, &by(user), now_millis())
        .await
        .map_err(write_error)?;
    resolution(st, user, rid).await
}
