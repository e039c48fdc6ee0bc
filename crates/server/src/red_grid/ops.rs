//! The red grid's operations, without HTTP: each loads what it needs, asks the policy and the
//! domain, and writes through one store call (whose transaction also logs the record). A visit
//! that raises a case files it through the same intake as every report (channel 民情走访), so
//! the case runs the closed loop like any other.

use super::{date_field, forbidden, invalid, opt_date, today, write_error};
use crate::auth::User;
use crate::cases::api::actor_of;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::Action;
use gongzhi_domain::case::Channel;
use gongzhi_domain::red_grid::{
    GridRoleDraft, GridRoleKind, LinkSettings, LinkWarning, MediationDraft, MediationOutcome,
    RedGridError, RoleHolder, VisitDraft, VisitPurpose, manages, may_set_settings, may_work_on,
};
use gongzhi_store::{
    EventActor, GridRoleRow, LinkedHouseholdRow, MediationRow, NewVisit, VisitRow, now_millis,
};

/// Who writes a record, as the log names them.
pub(super) fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

pub async fn set_settings(
    st: &AppState,
    user: &User,
    min: u32,
    max: u32,
) -> ApiResult<LinkSettings> {
    if !may_set_settings(&user.principal()) {
        return Err(forbidden(
            "只有全市管理员可以设置联户户数",
            "only who manages the whole city sets the households per member",
        ));
    }
    let s = LinkSettings::checked(min, max).map_err(invalid)?;
    st.store.set_red_grid_settings(&user.actor(), s).await?;
    Ok(s)
}

#[derive(serde::Deserialize, Default)]
pub struct RoleInput {
    pub grid: String,
    pub role: String,
    pub account_id: Option<i64>,
    #[serde(default)]
    pub person_name: String,
    pub member_id: Option<i64>,
    pub started_on: Option<String>,
}

/// Gives a role in a grid the caller manages.
pub async fn add_role(st: &AppState, user: &User, b: RoleInput) -> ApiResult<i64> {
    let grid = crate::http::api_geo::parse_grid("grid", &b.grid)?;
    if st.store.grid(&grid).await?.is_none() {
        return Err(ApiError::not_found(
            format!("网格 {grid}"),
            format!("grid {grid}"),
        ));
    }
    if !manages(&user.principal(), &grid) {
        return Err(forbidden(
            "只有网格所在社区、街道或党组织可以设置网格职务",
            "grid roles are given by the grid's community, street or party organisation",
        ));
    }
    let kind = GridRoleKind::parse_or(&b.role).map_err(invalid)?;
    let account = match b.account_id {
        None => None,
        Some(id) => {
            let a = st.store.account(id).await?.ok_or_else(|| {
                ApiError::bad_request(
                    "account_id",
                    format!("没有编号为 {id} 的账号"),
                    format!("no account {id}"),
                )
            })?;
            Some(RoleHolder {
                account_id: a.id,
                role: a.role,
                scope: a.scope,
                display_name: a.display_name,
            })
        }
    };
    if let Some(m) = b.member_id
        && st.store.party_member_name(m).await?.is_none()
    {
        return Err(ApiError::bad_request(
            "member_id",
            format!("党员名册中没有编号为 {m} 的党员"),
            format!("no party member {m} on the roll"),
        ));
    }
    let draft = GridRoleDraft {
        grid,
        kind,
        account,
        person_name: b.person_name,
        member: b.member_id,
        started_on: date_field("started_on", b.started_on.as_deref(), today())?,
    };
    st.store
        .add_grid_role(&draft, &by(user))
        .await
        .map_err(write_error)
}

/// A role in a grid the caller manages, else 404.
pub async fn managed_role(st: &AppState, user: &User, id: i64) -> ApiResult<GridRoleRow> {
    st.store
        .grid_role(id)
        .await?
        .filter(|r| manages(&user.principal(), &r.grid))
        .ok_or_else(|| ApiError::not_found(format!("网格职务 {id}"), format!("grid role {id}")))
}

pub async fn end_role(
    st: &AppState,
    user: &User,
    id: i64,
    ended_on: Option<&str>,
) -> ApiResult<()> {
    managed_role(st, user, id).await?;
    let day = date_field("ended_on", ended_on, today())?;
    st.store
        .end_grid_role(id, day, &by(user))
        .await
        .map_err(write_error)
}

/// Links a household to a red grid member's role in a grid the caller manages; the warning
/// when the member still serves fewer households than the minimum.
pub async fn link(
    st: &AppState,
    user: &User,
    role: i64,
    household: i64,
    linked_on: Option<&str>,
) -> ApiResult<(i64, Option<LinkWarning>)> {
    managed_role(st, user, role).await?;
    let day = date_field("linked_on", linked_on, today())?;
    let settings = st.store.red_grid_settings().await?;
    st.store
        .link_household(role, household, day, &settings, &by(user))
        .await
        .map_err(write_error)
}

pub async fn end_link(
    st: &AppState,
    user: &User,
    id: i64,
    ended_on: Option<&str>,
) -> ApiResult<Option<LinkWarning>> {
    let not_found = || ApiError::not_found(format!("联户关系 {id}"), format!("link {id}"));
    let l = st.store.household_link(id).await?.ok_or_else(not_found)?;
    if !manages(&user.principal(), &l.grid) {
        return Err(not_found());
    }
    let day = date_field("ended_on", ended_on, today())?;
    let settings = st.store.red_grid_settings().await?;
    st.store
        .end_household_link(id, day, &settings, &by(user))
        .await
        .map_err(write_error)
}

/// A household the caller may work on (a red grid member: only its own), else 404.
pub async fn household_for(st: &AppState, user: &User, id: i64) -> ApiResult<LinkedHouseholdRow> {
    st.store
        .red_grid_household(id)
        .await?
        .filter(|h| may_work_on(&user.principal(), &h.grid, h.account_id))
        .ok_or_else(|| ApiError::not_found(format!("住户 {id}"), format!("household {id}")))
}

/// A visit to a household the caller may work on, else 404.
pub async fn visit_for(st: &AppState, user: &User, id: i64) -> ApiResult<VisitRow> {
    let not_found = || ApiError::not_found(format!("走访记录 {id}"), format!("visit {id}"));
    let v = st.store.visit(id).await?.ok_or_else(not_found)?;
    household_for(st, user, v.household_id)
        .await
        .map_err(|_| not_found())?;
    Ok(v)
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct MediationInput {
    #[serde(default)]
    pub parties: String,
    #[serde(default)]
    pub issue: String,
    #[serde(default)]
    pub outcome: String,
    pub follow_up_on: Option<String>,
}

#[derive(serde::Deserialize, Default, Clone)]
pub struct RaiseInput {
    pub category: String,
    /// Blank: the visit's notes.
    pub description: Option<String>,
}

#[derive(Default)]
pub struct VisitInput {
    pub household_id: i64,
    pub purpose: String,
    pub visited_on: Option<String>,
    pub notes: String,
    pub photo: Option<Vec<u8>>,
    pub mediation: Option<MediationInput>,
    pub raise: Option<RaiseInput>,
}

/// What recording a visit did.
pub struct Recorded {
    pub visit: i64,
    pub mediation: Option<i64>,
    /// The case raised with it.
    pub case: Option<crate::app::Filed>,
    /// The visit is kept but the case could not be filed: why (it can be raised again).
    pub case_error: Option<ApiError>,
}

fn mediation_of(
    m: &MediationInput,
    visited_on: gongzhi_domain::calendar::Date,
) -> ApiResult<MediationDraft> {
    MediationDraft {
        parties: m.parties.clone(),
        issue: m.issue.clone(),
        outcome: MediationOutcome::parse_or(&m.outcome).map_err(invalid)?,
        mediated_on: visited_on,
        follow_up_on: opt_date("follow_up_on", m.follow_up_on.as_deref())?,
    }
    .checked(today())
    .map_err(invalid)
}

/// The report a visit raises: at the household's building, by the caller, channel 民情走访.
fn report_of(h: &LinkedHouseholdRow, visit: &VisitDraft, raise: &RaiseInput) -> crate::app::Report {
    let description = raise
        .description
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .map_or_else(|| visit.case_description(), str::to_string);
    crate::app::Report {
        category: raise.category.trim().to_string(),
        lon: Some(h.lon),
        lat: Some(h.lat),
        // The building, not the room: a case travels to departments.
        address: gongzhi_store::place_text(&h.address, &h.building_name, ""),
        description,
        emergency: false,
        channel: Some(Channel::Visit),
        reporter_phone: None,
        street: None,
        photos: Vec::new(),
    }
}

/// Records a visit to a household the caller may work on — its photo, its mediation record on
/// a conflict mediation, and, when asked, the case it raises, all in one step. The case is
/// checked like any report before anything is written; the visit is then written (with its
/// mediation, in one transaction), the case filed through intake, and the case noted on the
/// visit. Should filing fail after the visit was written, the visit stays and says so: the case
/// can be raised from it again, never twice.
pub async fn record_visit(st: &AppState, user: &User, input: VisitInput) -> ApiResult<Recorded> {
    let h = household_for(st, user, input.household_id).await?;
    user.may(
        Action::RecordVisit,
        &gongzhi_domain::access::Target::Grid(h.grid),
    )?;
    let visit = VisitDraft {
        purpose: VisitPurpose::parse_or(&input.purpose).map_err(invalid)?,
        visited_on: date_field("visited_on", input.visited_on.as_deref(), today())?,
        notes: input.notes.clone(),
    }
    .checked(today())
    .map_err(invalid)?;
    let mediation = match (visit.purpose.has_mediation(), &input.mediation) {
        (true, Some(m)) => Some(mediation_of(m, visit.visited_on)?),
        (true, None) => return Err(invalid(RedGridError::Blank("parties"))),
        (false, _) => None,
    };
    if let Some(raise) = &input.raise {
        crate::cases::pages::check_photos(input.photo.as_slice())?;
        let lookups = st.store.lookups().await?;
        crate::app::prepare(st, &lookups, &report_of(&h, &visit, raise))?;
    }
    let photo = match &input.photo {
        Some(bytes) => Some(crate::cases::photos::write_into(st, "photos/visits", bytes).await?),
        None => None,
    };
    let new = NewVisit {
        household_id: h.household_id,
        grid: h.grid,
        visitor_id: user.account.id,
        visitor_name: user.account.display_name.clone(),
        visit: visit.clone(),
        photo: photo.as_ref().map(|(p, _)| p.clone()),
        mediation,
    };
    let (visit_id, mediation_id) = match st.store.add_visit(&new, &by(user)).await {
        Ok(ids) => ids,
        Err(e) => {
            if let Some(p) = &photo {
                crate::cases::photos::take_back(st, std::slice::from_ref(p)).await;
            }
            return Err(write_error(e));
        }
    };
    let mut out = Recorded {
        visit: visit_id,
        mediation: mediation_id,
        case: None,
        case_error: None,
    };
    if let Some(raise) = &input.raise {
        let photos: Vec<Vec<u8>> = input.photo.into_iter().collect();
        let report = report_of(&h, &visit, raise);
        match file_case(st, user, visit_id, report, &photos, now_millis()).await {
            Ok(filed) => out.case = Some(filed),
            Err(e) => out.case_error = Some(e),
        }
    }
    Ok(out)
}

/// Files the report of visit `visit_id` through intake (as of `at`, when it brings no photo)
/// and notes the case on the visit.
async fn file_case(
    st: &AppState,
    user: &User,
    visit_id: i64,
    report: crate::app::Report,
    photos: &[Vec<u8>],
    at: i64,
) -> ApiResult<crate::app::Filed> {
    let (who, label) = actor_of(user);
    let filed = if photos.is_empty() {
        crate::cases::service::file(st, &who, &label, report, at).await?
    } else {
        crate::cases::photos::file_with_photos(st, &who, &label, report, photos).await?
    };
    st.store
        .set_visit_case(visit_id, filed.case.id, &filed.case.ticket, &by(user), at)
        .await
        .map_err(write_error)?;
    Ok(filed)
}

/// Raises a case from a visit that has none yet, with the visit's photo.
pub async fn raise_case(
    st: &AppState,
    user: &User,
    visit_id: i64,
    raise: RaiseInput,
) -> ApiResult<crate::app::Filed> {
    raise_case_at(st, user, visit_id, raise, now_millis(), true).await
}

/// [`raise_case`] as of `at`, with the visit's photo or without (the demo's diaries raise their
/// cases on the day of the visit).
pub async fn raise_case_at(
    st: &AppState,
    user: &User,
    visit_id: i64,
    raise: RaiseInput,
    at: i64,
    with_photo: bool,
) -> ApiResult<crate::app::Filed> {
    let v = visit_for(st, user, visit_id).await?;
    if let Some(ticket) = &v.ticket {
        return Err(write_error(
            RedGridError::CaseAlreadyRaised {
                ticket: ticket.clone(),
            }
            .into(),
        ));
    }
    let h = household_for(st, user, v.household_id).await?;
    let draft = VisitDraft {
        purpose: v.purpose,
        visited_on: v.visited_on,
        notes: v.notes.clone(),
    };
    let photos = match v.photo.as_ref().filter(|_| with_photo) {
        Some(p) => match tokio::fs::read(st.data_dir.join(&p.path)).await {
            Ok(bytes) => vec![bytes],
            Err(e) => {
                // The case is still raised; the photo stays with the visit.
                tracing::warn!(error = %e, path = %p.path, "reading a visit photo");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    file_case(
        st,
        user,
        visit_id,
        report_of(&h, &draft, &raise),
        &photos,
        at,
    )
    .await
}

/// The follow-up of a mediation: its new outcome and, while unsettled, the next day.
pub async fn follow_up(
    st: &AppState,
    user: &User,
    id: i64,
    outcome: &str,
    follow_up_on: Option<&str>,
) -> ApiResult<MediationRow> {
    let not_found = || ApiError::not_found(format!("调解记录 {id}"), format!("mediation {id}"));
    let m = st.store.mediation(id).await?.ok_or_else(not_found)?;
    household_for(st, user, m.household_id)
        .await
        .map_err(|_| not_found())?;
    let outcome = MediationOutcome::parse_or(outcome).map_err(invalid)?;
    let day = opt_date("follow_up_on", follow_up_on)?;
    st.store
        .follow_up_mediation(id, outcome, day, &by(user))
        .await
        .map_err(write_error)?;
    st.store.mediation(id).await?.ok_or_else(not_found)
}

/// The photo file of a visit the caller may see.
pub async fn visit_photo(st: &AppState, user: &User, id: i64) -> ApiResult<(String, Vec<u8>)> {
    let v = visit_for(st, user, id).await?;
    let not_found = || ApiError::not_found(format!("走访照片 {id}"), format!("visit photo {id}"));
    let p = v.photo.ok_or_else(not_found)?;
    let bytes = tokio::fs::read(st.data_dir.join(&p.path))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, path = %p.path, "reading a visit photo");
            not_found()
        })?;
    Ok((p.mime, bytes))
}
