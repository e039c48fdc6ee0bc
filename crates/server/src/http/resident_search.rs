//! 按号码查找: residents found by a full 身份证号 or phone number. The answer says whose number
//! it is — as much as an unmask — so only those the policy lets unmask over the region searched
//! may ask, with a reason, and every search is logged before it is answered. The number comes in
//! the request body, never in a URL.

use crate::auth::{ApiUser, User};
use crate::error::{ApiError, ApiResult};
use crate::http::api_population::{ListQuery, Listing, list_region, required_reason};
use crate::state::AppState;
use crate::views::ResidentView;
use axum::Json;
use axum::extract::State;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::codes::{AreaCode, GridCode, IdNumber, Phone};
use gongzhi_store::{Page, ResidentFilter};
use serde::Deserialize;

/// A search by a full number.
#[derive(Deserialize, Default, Clone)]
pub struct NumberSearch {
    pub id_number: Option<String>,
    pub phone: Option<String>,
    pub reason: Option<String>,
    pub grid: Option<String>,
    pub area: Option<String>,
}

/// At most this many residents answer one search by number (a number belongs to a few people
/// at most: a shared family phone).
const NUMBER_SEARCH_LIMIT: i64 = 50;

/// Where a target lies for a list over `(area, grid)`.
fn region_target(area: Option<AreaCode>, grid: Option<GridCode>) -> Target {
    match (grid, area) {
        (Some(g), _) => Target::Grid(g),
        (None, Some(a)) => Target::Area(a),
        (None, None) => Target::Everything,
    }
}

/// Who may search by number where: those the policy lets unmask there. The answer says which
/// resident holds a number, so a caller who could test guesses would recover masked digits.
pub fn may_search_numbers(user: &User, region: &Target) -> ApiResult<()> {
    user.may(Action::UnmaskPersonalData, region).map_err(|mut e| {
        e.body.message = format!(
            "按完整身份证号或手机号查找居民等同于查看完整号码，须有查看完整号码的权限。{}",
            e.body.message
        );
        e.body.message_en = format!(
            "searching residents by a full ID or phone number reveals as much as unmasking, so it needs the unmask permission. {}",
            e.body.message_en
        );
        e
    })
}

/// Residents by full number, for a caller allowed to unmask in the region searched, after the
/// search is logged (each resident found in the personal-data access log, the search in the
/// audit log). The answer is masked like any list; the number searched is what was learned.
pub async fn search_residents(
    st: &AppState,
    user: &User,
    s: &NumberSearch,
) -> ApiResult<Listing<ResidentView>> {
    let region = ListQuery {
        grid: s.grid.clone(),
        area: s.area.clone(),
        ..Default::default()
    };
    let (area, grid) = list_region(user, Action::ViewResident, &region)?;
    may_search_numbers(user, &region_target(area, grid))?;
    let given = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
    };
    let id_number = given(&s.id_number)
        .map(|v| IdNumber::parse(&v).map_err(|e| ApiError::invalid("id_number", &e)))
        .transpose()?;
    let phone = given(&s.phone)
        .map(|v| Phone::parse(&v).map_err(|e| ApiError::invalid("phone", &e)))
        .transpose()?;
    let fields = match (&id_number, &phone) {
        (Some(_), Some(_)) => "search:id_number,phone",
        (Some(_), None) => "search:id_number",
        (None, Some(_)) => "search:phone",
        (None, None) => {
            return Err(ApiError::bad_request(
                "id_number",
                "请填写要查找的完整身份证号或手机号",
                "give the full ID number or phone number to search for",
            ));
        }
    };
    let reason = required_reason(s.reason.as_deref())?;
    let page = Page {
        offset: 0,
        limit: NUMBER_SEARCH_LIMIT,
    };
    let filter = ResidentFilter {
        area,
        grid,
        household_id: None,
        name: None,
        id_number,
        phone,
        page,
    };
    let found = st.store.residents(&filter).await?;
    let ids: Vec<i64> = found.iter().map(|r| r.id).collect();
    st.store
        .record_pii_search(
            user.account.id,
            &user.account.username,
            &ids,
            fields,
            reason,
        )
        .await?;
    Ok(Listing {
        total: found.len() as i64,
        page: 1,
        per_page: NUMBER_SEARCH_LIMIT,
        items: found.iter().map(ResidentView::masked).collect(),
    })
}

pub(crate) async fn search(
    State(st): State<AppState>,
    ApiUser(user): ApiUser,
    Json(body): Json<NumberSearch>,
) -> ApiResult<Json<Listing<ResidentView>>> {
    Ok(Json(search_residents(&st, &user, &body).await?))
}
