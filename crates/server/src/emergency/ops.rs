//! The emergency operations, without HTTP: each parses what was typed, asks the policy and the
//! domain (`gongzhi_domain::emergency`), and writes through one store call (one transaction
//! with its alerts' outbox).

use super::alerts::{self, About};
use super::{invalid, visible};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::Action;
use gongzhi_domain::case::Case;
use gongzhi_domain::codes::{AreaCode, GridCode};
use gongzhi_domain::emergency::{
    self as rules, EmergencyError, MINUTE_FIELDS, Minutes, Place, Tier, first_stage,
};
use gongzhi_store::{CaseNotification, EventActor, Lookups, NewDrill, now_millis};
use serde::Deserialize;

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// The first alerts of an open emergency case, for its intake's (or marking command's)
/// transaction, with what was reported when at hand; none for any other case.
pub fn case_alerts(case: &Case, detail: &str, lookups: &Lookups, at: i64) -> Vec<CaseNotification> {
    if !case.emergency || !case.state.is_open() {
        return Vec::new();
    }
    let place = Place {
        community: case.community,
        grid: case.grid,
        department: case.department.clone(),
    };
    let title = lookups
        .categories
        .get(&case.category)
        .map(|c| c.name.clone())
        .unwrap_or_else(|| case.category.clone());
    alerts::first(
        &About {
            title: &title,
            detail,
            ticket: &case.ticket,
            case_id: case.id,
            drill: false,
            place: &place,
            lookups,
            at,
        },
        first_stage(&place),
    )
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct DrillInput {
    #[serde(default)]
    pub title: String,
    /// A community's code, or leave empty and give a grid.
    #[serde(default)]
    pub community: String,
    #[serde(default)]
    pub grid: String,
    #[serde(default)]
    pub department: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
}

fn blank(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

/// Starts a drill: labelled 演练 everywhere, alerts every responsible level at once.
pub async fn start_drill(st: &AppState, user: &User, d: &DrillInput) -> ApiResult<i64> {
    let title = d.title.trim();
    if title.is_empty() {
        return Err(invalid(EmergencyError::Blank("title")));
    }
    if title.chars().count() > 100 {
        return Err(invalid(EmergencyError::TooLong("title", 100)));
    }
    let grid = match blank(&d.grid) {
        Some(g) => Some(GridCode::parse(g).map_err(|e| ApiError::invalid("grid", &e))?),
        None => None,
    };
    let community = match (blank(&d.community), grid) {
        (Some(c), _) => Some(AreaCode::parse(c).map_err(|e| ApiError::invalid("community", &e))?),
        (None, Some(g)) => Some(g.community()),
        (None, None) => {
            return Err(ApiError::bad_request(
                "community",
                "请选择演练所在的社区或网格",
                "choose the drill's community or grid",
            ));
        }
    };
    let lookups = st.store.lookups().await?;
    let department = match blank(&d.department) {
        Some(code) => Some(
            crate::app::department(&lookups, code, "department")
                .map_err(ApiError::from)?
                .code
                .clone(),
        ),
        None => None,
    };
    let place = Place {
        community,
        grid,
        department: department.clone(),
    };
    rules::may(&user.principal(), Action::ManageEmergencies, &place)?;
    let now = now_millis();
    let notices = alerts::first(
        &About {
            title,
            detail: "",
            ticket: "",
            case_id: 0,
            drill: true,
            place: &place,
            lookups: &lookups,
            at: now,
        },
        first_stage(&place),
    );
    let id = st
        .store
        .start_drill(
            &NewDrill {
                title: title.to_string(),
                community,
                grid,
                department,
                lon: d.lon,
                lat: d.lat,
            },
            &notices,
            &by(user),
            now,
        )
        .await?;
    Ok(id)
}

pub async fn end_drill(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    let e = visible(st, user, id).await?;
    rules::may(&user.principal(), Action::ManageEmergencies, &e.place())?;
    if !e.drill {
        return Err(ApiError::from_bilingual(
            axum::http::StatusCode::CONFLICT,
            &EmergencyError::Closed,
        ));
    }
    st.store.end_drill(id, now_millis()).await?;
    Ok(())
}

/// 签收: the caller's level acknowledges; returns that level.
pub async fn acknowledge(st: &AppState, user: &User, id: i64) -> ApiResult<Tier> {
    let board = st
        .store
        .emergency_board(id)
        .await?
        .filter(|b| super::lists(user, &b.emergency))
        .ok_or_else(|| not_found(id))?;
    let e = &board.emergency;
    let place = e.place();
    rules::may(&user.principal(), Action::RespondEmergency, &place)?;
    let already: Vec<Tier> = board.acks().into_iter().map(|(t, _)| t).collect();
    let ack = rules::acknowledge(
        rules::tier_of(&user.principal(), &place),
        e.stage,
        &already,
        e.closed_at.is_none(),
    )
    .map_err(conflict)?;
    st.store
        .acknowledge_emergency(id, ack.tier, ack.stops_escalation, &by(user), now_millis())
        .await?;
    Ok(ack.tier)
}

/// 到场报到 with the phone's position.
pub async fn check_in(
    st: &AppState,
    user: &User,
    id: i64,
    lon: Option<f64>,
    lat: Option<f64>,
) -> ApiResult<()> {
    let e = visible(st, user, id).await?;
    let place = e.place();
    rules::may(&user.principal(), Action::RespondEmergency, &place)?;
    if e.closed_at.is_some() {
        return Err(conflict(EmergencyError::Closed));
    }
    let (Some(lon), Some(lat)) = (lon, lat) else {
        return Err(ApiError::bad_request(
            "lon",
            "请允许获取位置后再报到（缺少经纬度）",
            "allow the location first (lon and lat are required)",
        ));
    };
    if !(73.0..=136.0).contains(&lon) || !(3.0..=54.0).contains(&lat) {
        return Err(ApiError::bad_request(
            "lon",
            "位置不在中国境内，请重新定位",
            "the position is outside China; locate again",
        ));
    }
    let tier = rules::tier_of(&user.principal(), &place);
    st.store
        .check_in_emergency(id, tier, lon, lat, &by(user), now_millis())
        .await?;
    Ok(())
}

/// Who sets the city's escalation minutes: those who may manage emergencies city-wide.
pub fn may_set(user: &User) -> bool {
    user.may(
        Action::ManageEmergencies,
        &gongzhi_domain::access::Target::Everything,
    )
    .is_ok()
}

pub async fn set_minutes(st: &AppState, user: &User, m: [Option<u32>; 4]) -> ApiResult<Minutes> {
    user.may(
        Action::ManageEmergencies,
        &gongzhi_domain::access::Target::Everything,
    )?;
    let mut v = [0u32; 4];
    for (i, x) in m.iter().enumerate() {
        v[i] = x.ok_or_else(|| invalid(EmergencyError::Setting(MINUTE_FIELDS[i], 1, 240)))?;
    }
    let m = Minutes::new(v).map_err(invalid)?;
    st.store
        .set_emergency_minutes(m, &by(user), now_millis())
        .await?;
    Ok(m)
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("紧急事件 {id}"), format!("emergency {id}"))
}

/// A refusal on what is stored (a level acknowledging twice, a closed emergency): 409; the
/// caller answering for no level: 403.
fn conflict(e: EmergencyError) -> ApiError {
    let status = match e {
        EmergencyError::NoLevel => axum::http::StatusCode::FORBIDDEN,
        _ => axum::http::StatusCode::CONFLICT,
    };
    let mut err = ApiError::from_bilingual(status, &e);
    if err.body.field.is_none() {
        err.body.field = e.field();
    }
    err
}
