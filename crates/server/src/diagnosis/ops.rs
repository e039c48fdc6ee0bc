//! The diagnosis operations, without HTTP: a run (the job's and "run now"), the settings, and
//! acting on a finding — a supervision order or a case — each one store transaction that also
//! marks the finding.

use super::{forbidden, invalid, visible};
use crate::app::{Report, Routing};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, Target};
use gongzhi_domain::case::{Actor, Channel};
use gongzhi_domain::diagnosis::{DiagnosisError, Settings, baseline_from, cases_from};
use gongzhi_domain::supervision::SupervisedKind;
use gongzhi_store::{EventActor, FindingAct, FindingRow, RunCounts, Store, StoreError, now_millis};
use serde::Serialize;

/// The settings' entry in `loop_settings`.
pub const SETTINGS_KEY: &str = "diagnosis";

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// The stored settings, the shipped defaults when none are stored.
pub async fn settings(store: &Store) -> Result<Settings, StoreError> {
    Ok(store
        .loop_settings()
        .await?
        .iter()
        .find(|(k, _)| k == SETTINGS_KEY)
        .and_then(|(_, v)| serde_json::from_str::<Settings>(v).ok())
        .unwrap_or_default())
}

/// Who sets them: who issues supervision orders city-wide.
pub fn may_set(user: &User) -> bool {
    user.may(Action::IssueSupervision, &Target::Everything)
        .is_ok()
}

pub async fn set_settings(st: &AppState, user: &User, s: Settings) -> ApiResult<Settings> {
    user.may(Action::IssueSupervision, &Target::Everything)?;
    let s = s.checked().map_err(invalid)?;
    let value = serde_json::to_string(&s).map_err(|e| {
        ApiError::new(
            axum::http::StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "设置无法保存",
            e.to_string(),
        )
    })?;
    st.store
        .set_loop_setting(&user.actor(), SETTINGS_KEY, &value)
        .await?;
    Ok(s)
}

/// What a run did.
#[derive(Serialize, Debug, Clone)]
pub struct RunSummary {
    pub run_id: i64,
    pub findings: usize,
    #[serde(flatten)]
    pub counts: RunCounts,
    pub millis: i64,
}

/// One run at `now`: reads the windows, lets the domain decide, stores the findings.
pub async fn run(store: &Store, by: &EventActor, now: i64) -> Result<RunSummary, StoreError> {
    let started = now_millis();
    let s = settings(store).await?;
    let base_to = now - i64::from(s.hotspot_window_days) * gongzhi_domain::calendar::DAY_MS;
    let (inputs, counts) = store
        .diagnosis_inputs(cases_from(&s, now), baseline_from(&s, now), base_to)
        .await?;
    let findings =
        tokio::task::spawn_blocking(move || gongzhi_domain::diagnosis::diagnose(&inputs, &s, now))
            .await
            .map_err(|e| StoreError::Corrupt(format!("diagnosis run: {e}")))?;
    let settings_json = serde_json::to_value(s).unwrap_or_default();
    let (run_id, kept) = store
        .store_diagnosis_run(
            &findings,
            &counts,
            &settings_json,
            started,
            by,
            now_millis(),
        )
        .await?;
    Ok(RunSummary {
        run_id,
        findings: kept,
        counts,
        millis: now_millis() - started,
    })
}

/// "Run now", for staff (`may_run`).
pub async fn run_now(st: &AppState, user: &User) -> ApiResult<RunSummary> {
    if !super::may_run(user) {
        return Err(forbidden(
            "只有街道及以上的工作人员可以立即诊断",
            "only street, district or city staff run the diagnosis",
        ));
    }
    Ok(run(&st.store, &by(user), now_millis()).await?)
}

fn must_be_open(f: &FindingRow) -> ApiResult<()> {
    if f.acted_kind.is_some() {
        return Err(ApiError::from_bilingual(
            axum::http::StatusCode::CONFLICT,
            &DiagnosisError::AlreadyActed,
        ));
    }
    Ok(())
}

/// The case an action on `f` is anchored on: its newest case.
fn lead(f: &FindingRow) -> ApiResult<i64> {
    f.case_ids.first().copied().ok_or_else(|| {
        ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "finding_without_cases",
            "该发现没有关联案件，无法处置",
            "the finding has no cases to act on",
        )
    })
}

fn prefixed(f: &FindingRow, text: &str) -> String {
    format!("【诊断发现·{}】{text}", f.kind.zh())
}

/// Whether `user` may open a supervision order on `f` (asked of its lead case's place).
pub async fn may_supervise(st: &AppState, user: &User, f: &FindingRow) -> ApiResult<bool> {
    let Some(&id) = f.case_ids.first() else {
        return Ok(false);
    };
    Ok(st
        .store
        .supervised_item(SupervisedKind::Case, id)
        .await?
        .is_some_and(|item| crate::supervision::ops::may_issue(user, &item)))
}

/// Opens a seven-day supervision order on the finding's unit (the department or the area
/// holding its newest case) and marks the finding, in one transaction.
pub async fn supervise(st: &AppState, user: &User, id: i64, demand: &str) -> ApiResult<i64> {
    let f = visible(st, user, id).await?;
    let demand = DiagnosisError::required("demand", demand).map_err(invalid)?;
    must_be_open(&f)?;
    let item = crate::supervision::ops::item(st, SupervisedKind::Case, Some(lead(&f)?)).await?;
    if !crate::supervision::ops::may_issue(user, &item) {
        return Err(forbidden(
            "您不能督办该事项",
            "you may not issue a supervision order on this item",
        ));
    }
    let settings = crate::supervision::settings::current(st).await?;
    let cfg = st.loop_cfg.fresh(&st.store).await?;
    let at = now_millis();
    let points = settings.points(&cfg.calendar, at);
    Ok(st
        .store
        .supervise_finding(
            f.id,
            &item,
            &prefixed(&f, &demand),
            &settings,
            &points,
            &by(user),
            at,
        )
        .await?)
}

/// Whether `user` may open a case on `f`: it dispatches at its lead case's place.
pub async fn may_open_case(st: &AppState, user: &User, f: &FindingRow) -> ApiResult<bool> {
    let Some(&id) = f.case_ids.first() else {
        return Ok(false);
    };
    Ok(st.store.case(id).await?.is_some_and(|c| {
        c.case
            .community
            .is_some_and(|a| user.may(Action::DispatchCase, &Target::Area(a)).is_ok())
    }))
}

/// Opens a case assigned from above (上级交办) at the finding's place, in its category, sent to
/// its department (or by the rules), through intake; the finding is marked in the case's own
/// transaction.
pub async fn open_case(st: &AppState, user: &User, id: i64, description: &str) -> ApiResult<i64> {
    let f = visible(st, user, id).await?;
    let description = DiagnosisError::required("description", description).map_err(invalid)?;
    must_be_open(&f)?;
    let lead = st.store.case(lead(&f)?).await?.ok_or_else(|| {
        ApiError::not_found(format!("案件 {}", f.case_ids[0]), "the finding's case")
    })?;
    let Some(place) = lead.case.community else {
        return Err(forbidden(
            "该发现的案件没有所在区域，无法交办",
            "the finding's case has no place to assign a case at",
        ));
    };
    user.may(Action::DispatchCase, &Target::Area(place))?;
    let (actor, label) = crate::cases::api::actor_of(user);
    let routing = match &f.department {
        Some(d) => Routing::To {
            department: d.clone(),
            by: actor.clone(),
            label: label.clone(),
        },
        _ => Routing::ByRules,
    };
    let report = Report {
        category: f
            .category
            .clone()
            .unwrap_or_else(|| lead.case.category.clone()),
        lon: lead.lon,
        lat: lead.lat,
        address: lead.address.clone(),
        description: prefixed(&f, &description),
        channel: Some(Channel::SuperiorAssignment),
        ..Report::default()
    };
    let filed = crate::app::intake_acting(
        st,
        &Actor::System,
        &label,
        report,
        routing,
        Some(FindingAct {
            finding_id: f.id,
            by: label.clone(),
        }),
        now_millis(),
    )
    .await?;
    Ok(filed.case.id)
}
