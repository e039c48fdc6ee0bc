//! The co-build operations, without HTTP: each parses what was typed, asks the policy and the
//! domain, and writes through one store call (whose transaction also logs the record).

use super::{
    date_field, forbidden, invalid, today, visible_commitment, visible_contract, write_error,
};
use crate::auth::User;
use crate::error::ApiResult;
use crate::state::AppState;
use gongzhi_domain::cobuild::{
    CommitmentDraft, ContractDraft, DeliveryDraft, Rating, RatingDraft, may_deliver, may_manage,
    may_rate,
};
use gongzhi_store::{EventActor, NewDelivery, now_millis};
use serde::Deserialize;

/// Who writes a record, as the log names them.
pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ContractInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub department: String,
    #[serde(default)]
    pub community: String,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    pub signed_on: Option<String>,
}

/// Signs a contract: either side, inside what it may act on (a street for its communities).
pub async fn add_contract(st: &AppState, user: &User, b: ContractInput) -> ApiResult<i64> {
    let community = crate::http::api_geo::parse_area("community", b.community.trim())?;
    let draft = ContractDraft {
        title: b.title,
        department: b.department.trim().to_string(),
        community,
        starts_on: date_field("starts_on", b.starts_on.as_deref(), None)?,
        ends_on: date_field("ends_on", b.ends_on.as_deref(), None)?,
        signed_on: date_field("signed_on", b.signed_on.as_deref(), Some(today()))?,
    };
    let known = st
        .store
        .department(draft.department.trim())
        .await?
        .is_some();
    let draft = draft.checked(known).map_err(invalid)?;
    if !may_manage(&user.principal(), &draft.community, &draft.department) {
        return Err(forbidden(
            "只有契约双方（社区及其街道、区，或该部门）可以签订共建契约",
            "a contract is signed by its parties: the community (its street, district) or the department",
        ));
    }
    Ok(st
        .store
        .add_contract(&draft, &by(user), now_millis())
        .await?)
}

#[derive(Deserialize, Default, Clone)]
pub struct CommitmentInput {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub deliverable: String,
    pub due_on: Option<String>,
}

/// Adds a commitment to a contract the caller is party to.
pub async fn add_commitment(
    st: &AppState,
    user: &User,
    contract: i64,
    b: CommitmentInput,
) -> ApiResult<i64> {
    let k = visible_contract(st, user, contract).await?;
    let draft = CommitmentDraft {
        title: b.title,
        deliverable: b.deliverable,
        due_on: date_field("due_on", b.due_on.as_deref(), None)?,
    }
    .checked(k.starts_on, k.ends_on)
    .map_err(invalid)?;
    if !may_manage(&user.principal(), &k.community, &k.department) {
        return Err(forbidden(
            "只有契约双方可以增加承诺事项",
            "commitments are added by the contract's parties",
        ));
    }
    Ok(st
        .store
        .add_commitment(k.id, &draft, &by(user), now_millis())
        .await?)
}

#[derive(Deserialize, Default, Clone)]
pub struct DeliveryInput {
    pub delivered_on: Option<String>,
    #[serde(default)]
    pub notes: String,
    /// Delivered in full (the commitment is then done).
    #[serde(default)]
    pub completes: bool,
}

/// The department records what it delivered (the evidence photo, if any, already on disk).
pub async fn add_delivery(
    st: &AppState,
    user: &User,
    commitment: i64,
    b: DeliveryInput,
    photo: Option<gongzhi_store::NewPhoto>,
) -> ApiResult<i64> {
    let c = visible_commitment(st, user, commitment).await?;
    if !may_deliver(&user.principal(), &c.department) {
        return Err(forbidden(
            "履约记录由承诺的部门登记",
            "deliveries are recorded by the department that committed",
        ));
    }
    let today = today();
    let draft = DeliveryDraft {
        delivered_on: date_field("delivered_on", b.delivered_on.as_deref(), Some(today))?,
        notes: b.notes,
        completes: b.completes,
    };
    // What can be checked without the stored state is refused as bad input (422); whether
    // the commitment was delivered already is the store's to say (409).
    draft
        .clone()
        .checked(c.contract_starts_on, None, today)
        .map_err(invalid)?;
    st.store
        .add_delivery(
            &NewDelivery {
                commitment_id: c.id,
                draft,
                photo,
                today,
            },
            &by(user),
            now_millis(),
        )
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone)]
pub struct RatingInput {
    #[serde(default)]
    pub rating: String,
    #[serde(default)]
    pub note: String,
}

/// The community rates a commitment that has a delivery.
pub async fn rate(st: &AppState, user: &User, commitment: i64, b: RatingInput) -> ApiResult<()> {
    let c = visible_commitment(st, user, commitment).await?;
    let rating = Rating::parse_or(&b.rating).map_err(invalid)?;
    if !may_rate(&user.principal(), &c.community) {
        return Err(forbidden(
            "承诺事项由社区一方评价",
            "commitments are rated by the community's side",
        ));
    }
    st.store
        .rate_commitment(
            c.id,
            &RatingDraft {
                rating,
                note: b.note,
            },
            &by(user),
            now_millis(),
        )
        .await
        .map_err(write_error)
}
