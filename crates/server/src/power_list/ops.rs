//! The power-list operations, without HTTP: each parses what was typed, asks the policy and
//! the domain, and writes through one store call (whose transaction also logs the record).

use super::{forbidden, invalid, scope, visible_item, write_error};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::power_list::{
    Flowchart, PowerItemDraft, PowerOwner, PowerType, RiskFactors, measures_of,
};
use gongzhi_store::{EventActor, PowerItemRow, now_millis};
use serde::Deserialize;

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// Control measures as a list, or as text (one per line, or separated by 、).
#[derive(Deserialize, Clone, Debug)]
#[serde(untagged)]
pub enum Measures {
    List(Vec<String>),
    Text(String),
}

impl Default for Measures {
    fn default() -> Self {
        Measures::List(Vec::new())
    }
}

impl Measures {
    pub fn items(&self) -> Vec<String> {
        match self {
            Measures::List(v) => v.clone(),
            Measures::Text(t) => measures_of(t),
        }
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct PowerItemInput {
    /// `department` or `area`; with `owner`, whose list. Absent: the caller's own list.
    pub owner_kind: Option<String>,
    pub owner: Option<String>,
    /// The item's number on the list; absent: the next free one.
    pub number: Option<i64>,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub power_type: String,
    #[serde(default)]
    pub legal_basis: String,
    #[serde(default)]
    pub discretion: String,
    #[serde(default)]
    pub post: String,
    pub importance: Option<i64>,
    pub discretion_level: Option<i64>,
    pub likelihood: Option<i64>,
    pub harm: Option<i64>,
    #[serde(default)]
    pub measures: Measures,
    /// The flowchart in its text form (one line per node and per edge).
    #[serde(default)]
    pub flowchart: String,
    /// Publish at once; otherwise a draft.
    #[serde(default)]
    pub publish: bool,
}

/// The caller's own list, when it keeps exactly one (a department, a street, a district).
pub fn own_owner(user: &User) -> Option<PowerOwner> {
    match user.listing(List::PowerLists) {
        Listing::Department(d) => Some(PowerOwner::Department(d)),
        Listing::Area(a) => PowerOwner::of("area", a.as_str()).ok(),
        _ => None,
    }
}

/// Whose list `kind`/`code` names (or the caller's own), the owner known to the store.
pub async fn owner_of(
    st: &AppState,
    user: &User,
    kind: Option<&str>,
    code: Option<&str>,
) -> ApiResult<PowerOwner> {
    let code = code.map(str::trim).filter(|c| !c.is_empty());
    let owner = match code {
        None => match own_owner(user) {
            Some(o) => o,
            // Who keeps no list of its own (supervision) may keep none; the administrator
            // names the one it means.
            None if user
                .may(Action::ManagePowerList, &Target::Everything)
                .is_ok() =>
            {
                return Err(ApiError::bad_request(
                    "owner",
                    "请选择清单所属部门或街道（乡镇）",
                    "say whose list: a department or a street",
                ));
            }
            None => {
                return Err(forbidden(
                    "您的账号不编制权力清单",
                    "your account keeps no power list",
                ));
            }
        },
        Some(c) => {
            let kind = kind.map(str::trim).filter(|k| !k.is_empty()).unwrap_or(
                if c.chars().all(|ch| ch.is_ascii_digit()) {
                    "area"
                } else {
                    "department"
                },
            );
            PowerOwner::of(kind, c).map_err(invalid)?
        }
    };
    let known = match &owner {
        PowerOwner::Department(d) => st.store.department(d).await?.is_some(),
        PowerOwner::Area(a) => st.store.area(a).await?.is_some(),
    };
    if !known {
        return Err(ApiError::bad_request(
            "owner",
            format!("没有编码为 {} 的部门或区划", owner.code()),
            format!("no department or area {}", owner.code()),
        ));
    }
    Ok(owner)
}

fn factor(field: &'static str, v: Option<i64>) -> ApiResult<u8> {
    let v = v.ok_or_else(|| {
        ApiError::bad_request(
            field,
            "请为四项风险因素各打 1–5 分",
            "score each risk factor 1–5",
        )
    })?;
    // Out of range is the domain's to say (it names the factor in both languages).
    Ok(u8::try_from(v.clamp(0, 255)).unwrap_or(0))
}

/// What was typed, checked by the domain, for `owner` with `number`.
pub fn draft_of(b: &PowerItemInput, owner: PowerOwner, number: i64) -> ApiResult<PowerItemDraft> {
    let power_type = PowerType::parse_or(&b.power_type).map_err(invalid)?;
    let factors = RiskFactors {
        importance: factor("importance", b.importance)?,
        discretion: factor("discretion_level", b.discretion_level)?,
        likelihood: factor("likelihood", b.likelihood)?,
        harm: factor("harm", b.harm)?,
    };
    let flowchart = Flowchart::parse(&b.flowchart).map_err(invalid)?;
    PowerItemDraft {
        owner,
        number,
        name: b.name.clone(),
        power_type,
        legal_basis: b.legal_basis.clone(),
        discretion: b.discretion.clone(),
        post: b.post.clone(),
        factors,
        measures: b.measures.items(),
        flowchart,
    }
    .checked()
    .map_err(invalid)
}

fn may_manage(user: &User, owner: &PowerOwner) -> ApiResult<()> {
    if owner.managed_by(&user.principal()) {
        Ok(())
    } else {
        Err(forbidden(
            "您不能管理这份权力清单",
            "you may not keep this power list",
        ))
    }
}

/// The next free number on `owner`'s list.
pub async fn next_number(st: &AppState, owner: &PowerOwner) -> ApiResult<i64> {
    Ok(st
        .store
        .power_numbers(owner)
        .await?
        .last()
        .copied()
        .unwrap_or(0)
        + 1)
}

/// A new item, a draft or published at once.
pub async fn create(st: &AppState, user: &User, b: PowerItemInput) -> ApiResult<i64> {
    scope(user)?;
    let owner = owner_of(st, user, b.owner_kind.as_deref(), b.owner.as_deref()).await?;
    may_manage(user, &owner)?;
    let number = match b.number {
        Some(n) => n,
        None => next_number(st, &owner).await?,
    };
    let d = draft_of(&b, owner, number)?;
    Ok(st
        .store
        .create_power_item(&d, b.publish, &by(user), now_millis())
        .await?)
}

/// The caller may act on a stored item: it keeps its owner's list.
pub async fn own(st: &AppState, user: &User, id: i64) -> ApiResult<PowerItemRow> {
    let p = visible_item(st, user, id).await?;
    may_manage(user, &p.owner)?;
    Ok(p)
}

/// Changes an item (a new version once published); `publish` also publishes a draft. The
/// owner stays; the number may change.
pub async fn change(st: &AppState, user: &User, id: i64, b: PowerItemInput) -> ApiResult<()> {
    let stored = own(st, user, id).await?;
    let d = draft_of(&b, stored.owner.clone(), b.number.unwrap_or(stored.number))?;
    st.store
        .change_power_item(id, &d, &by(user), now_millis())
        .await
        .map_err(write_error)?;
    if b.publish && stored.state == gongzhi_domain::power_list::PowerState::Draft {
        publish(st, user, id).await?;
    }
    Ok(())
}

pub async fn publish(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    own(st, user, id).await?;
    st.store
        .publish_power_item(id, &by(user), now_millis())
        .await
        .map_err(write_error)
}

pub async fn retire(st: &AppState, user: &User, id: i64, reason: &str) -> ApiResult<()> {
    own(st, user, id).await?;
    st.store
        .retire_power_item(id, reason, &by(user), now_millis())
        .await
        .map_err(write_error)
}
