//! A resident's account and its resident in the population base (居民账号关联人口信息): the
//! link that lets a resident order services and raise topics as themself. The administrator
//! links them by the resident's full ID number, which is a search by a full number and so
//! audited as a read of personal data.

use super::{by, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, Role, Target};
use gongzhi_domain::codes::IdNumber;
use gongzhi_domain::red_grid::mask_party;
use gongzhi_store::ResidentFilter;

/// The linked resident as the accounts page shows it: masked name and community, e.g.
/// "张*（养育巷社区）".
pub async fn linked(st: &AppState, account_id: i64) -> ApiResult<Option<String>> {
    let Some((resident, community)) = st.store.linked_resident(account_id).await? else {
        return Ok(None);
    };
    let Some(r) = st.store.resident(resident).await? else {
        return Ok(None);
    };
    let place = st
        .store
        .area(&community)
        .await?
        .map_or_else(|| community.to_string(), |a| a.name);
    Ok(Some(format!("{}（{place}）", mask_party(&r.name))))
}

/// Links a resident's account to the resident with this ID number (replacing an earlier link).
pub async fn link(
    st: &AppState,
    user: &User,
    account_id: i64,
    id_number: &str,
) -> ApiResult<String> {
    user.may(Action::ManageAccounts, &Target::Everything)?;
    user.may(Action::UnmaskPersonalData, &Target::Everything)?;
    let account = st
        .store
        .account(account_id)
        .await?
        .ok_or_else(|| ApiError::not_found("账号", "account"))?;
    if account.role != Role::Resident {
        return Err(ApiError::bad_request(
            "id",
            "只有居民账号可以关联人口信息",
            "only a resident's account is linked to the population base",
        ));
    }
    let number =
        IdNumber::parse(id_number.trim()).map_err(|e| ApiError::invalid("id_number", &e))?;
    let found = st
        .store
        .residents(&ResidentFilter {
            id_number: Some(number),
            ..Default::default()
        })
        .await?;
    let resident = found.first().ok_or_else(|| {
        ApiError::bad_request(
            "id_number",
            "人口信息中没有这个身份证号的居民",
            "no resident of the population base has this ID number",
        )
    })?;
    st.store
        .record_pii_access(
            user.account.id,
            &user.account.username,
            resident.id,
            "search:id_number",
            "关联居民账号 / link a resident's account",
        )
        .await?;
    st.store
        .link_resident_account(account_id, resident.id, &by(user))
        .await
        .map_err(write_error)?;
    Ok(linked(st, account_id).await?.unwrap_or_default())
}
