//! The conduct operations, without HTTP: each parses what was typed, asks the policy and the
//! domain, and writes through one store call (whose transaction also logs the record).

use super::{
    conduct_error, forbidden, investigable, scope, supervises, today, visible_report, write_error,
};
use crate::app::{FiledMisconduct, file_misconduct_report};
use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use gongzhi_domain::access::{Action, List, Listing, Role, Target, is_staff};
use gongzhi_domain::calendar::{Date, HOUR_MS};
use gongzhi_domain::codes::{AreaCode, Phone};
use gongzhi_domain::conduct::{
    AccountabilityAction, AccountabilityDraft, CategoryDraft, Conclusion, ReportChannel,
    ReportDraft, ReportedUnit, Reporter, Signal, SignalThresholds, Signals, Statistics,
    may_see_reporter, tabulate,
};
use gongzhi_store::{
    ActionRecord, EventActor, InvestigatorRow, MisconductEvidenceRow, MisconductFilter,
    MisconductReportRow, ReporterIdentity, now_millis,
};
use serde::{Deserialize, Serialize};

/// Most reports a list or workbook holds.
pub const MAX_ROWS: i64 = 5_000;

pub fn by(user: &User) -> EventActor {
    EventActor {
        account_id: Some(user.account.id),
        name: user.account.display_name.clone(),
    }
}

/// A report as typed, on the public form, the staff form or the API.
#[derive(Deserialize, Default, Clone, Debug)]
pub struct ReportInput {
    #[serde(default)]
    pub category: String,
    /// The street or community the report concerns.
    #[serde(default)]
    pub area: String,
    /// `department` or `area`; with `unit_code`.
    #[serde(default)]
    pub unit_kind: String,
    #[serde(default)]
    pub unit_code: String,
    #[serde(default)]
    pub official: String,
    #[serde(default)]
    pub description: String,
    pub occurred_on: Option<String>,
    pub reporter_name: Option<String>,
    pub reporter_phone: Option<String>,
    /// The channel (accounts only; the public form's comes from its box).
    pub channel: Option<String>,
}

fn some(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

pub fn parse_date(field: &str, raw: Option<&str>) -> ApiResult<Option<Date>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => Date::parse(s).map(Some).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

fn parse_area(field: &str, raw: &str) -> ApiResult<AreaCode> {
    if raw.trim().is_empty() {
        return Err(ApiError::bad_request(
            field,
            "请选择所在街道或社区",
            "choose the street or community",
        ));
    }
    crate::http::api_geo::parse_area(field, raw.trim())
}

/// The unit: a department by code, or an area (default: the report's area).
pub fn parse_unit(kind: &str, code: &str, area: AreaCode) -> ApiResult<ReportedUnit> {
    match (kind.trim(), code.trim()) {
        ("department", c) if !c.is_empty() => Ok(ReportedUnit::Department(c.to_string())),
        ("area", c) if !c.is_empty() => Ok(ReportedUnit::Area(parse_area("unit_code", c)?)),
        // The public form names a department, or nothing for the area itself.
        ("", c) if !c.is_empty() => Ok(match AreaCode::parse(c) {
            Ok(a) => ReportedUnit::Area(a),
            Err(_) => ReportedUnit::Department(c.to_string()),
        }),
        ("" | "area", _) => Ok(ReportedUnit::Area(area)),
        ("department", _) => Err(ApiError::bad_request(
            "unit_code",
            "请选择被反映的部门",
            "choose the department reported",
        )),
        (k, _) => Err(ApiError::bad_request(
            "unit_kind",
            format!("“{k}”不是单位类型，可选：部门、区域"),
            format!("'{k}' is not a unit kind: department or area"),
        )),
    }
}

/// What was typed as the domain's draft (checked again, with the stored data, when filed).
pub fn draft_of(b: &ReportInput) -> ApiResult<ReportDraft> {
    let area = parse_area("area", &b.area)?;
    let unit = parse_unit(&b.unit_kind, &b.unit_code, area)?;
    let phone = match some(&b.reporter_phone) {
        Some(p) => Some(Phone::parse(&p).map_err(|e| ApiError::invalid("reporter_phone", &e))?),
        None => None,
    };
    let name = some(&b.reporter_name).unwrap_or_default();
    Ok(ReportDraft {
        category: b.category.clone(),
        area,
        unit,
        official: b.official.clone(),
        description: b.description.clone(),
        occurred_on: parse_date("occurred_on", b.occurred_on.as_deref())?,
        reporter: (!name.is_empty() || phone.is_some()).then_some(Reporter { name, phone }),
    })
}

/// The category must be one of the active ones: 422 naming it before anything is written.
async fn check_category(st: &AppState, code: &str) -> ApiResult<()> {
    let code = code.trim();
    let active = st.store.misconduct_categories(false).await?;
    if active.iter().any(|c| c.code == code || c.name_zh == code) {
        Ok(())
    } else {
        Err(conduct_error(
            gongzhi_domain::conduct::ConductError::UnknownCategory(code.chars().take(30).collect()),
        ))
    }
}

/// A category typed by its code or its Chinese name, as its code.
async fn category_code(st: &AppState, raw: &str) -> ApiResult<String> {
    check_category(st, raw).await?;
    let raw = raw.trim();
    Ok(st
        .store
        .misconduct_categories(false)
        .await?
        .into_iter()
        .find(|c| c.code == raw || c.name_zh == raw)
        .map(|c| c.code)
        .unwrap_or_else(|| raw.to_string()))
}

/// A report from the public form (no account): web, or one of the two boxes.
pub async fn file_public(
    st: &AppState,
    b: &ReportInput,
    channel: ReportChannel,
) -> ApiResult<FiledMisconduct> {
    debug_assert!(channel.is_public());
    let mut draft = draft_of(b)?;
    draft.category = category_code(st, &b.category).await?;
    let label = EventActor {
        account_id: None,
        name: "举报人".into(),
    };
    Ok(file_misconduct_report(st, draft, channel, None, None, &label, now_millis()).await?)
}

/// A report filed by an account: a resident's own (web form), staff's referral, supervision's
/// hotline call. The channel defaults to the filer's.
pub async fn file_as(st: &AppState, user: &User, b: &ReportInput) -> ApiResult<FiledMisconduct> {
    let mut draft = draft_of(b)?;
    draft.category = category_code(st, &b.category).await?;
    let target = Target::Area(draft.area);
    user.may(Action::ReportMisconduct, &target)?;
    let staff = is_staff(&user.principal());
    let investigates = user.may(Action::InvestigateMisconduct, &target).is_ok();
    let channel = match some(&b.channel) {
        Some(c) => ReportChannel::parse_or(&c).map_err(conduct_error)?,
        None if investigates => ReportChannel::Hotline,
        None if staff => ReportChannel::Referral,
        None => ReportChannel::Web,
    };
    channel
        .open_to(investigates, staff)
        .map_err(conduct_error)?;
    // An account's report is followed from the account, not by lookup code.
    let channel = if channel.is_public() && user.account.role != Role::Resident {
        ReportChannel::Referral
    } else {
        channel
    };
    let mut filed = file_misconduct_report(
        st,
        draft,
        channel,
        Some(user.account.id),
        None,
        &by(user),
        now_millis(),
    )
    .await?;
    filed.lookup_code = None;
    Ok(filed)
}

/// A report as its viewer sees it: supervision everything but the reporter's identity unless
/// assigned; the filer (a resident, staff referring) its own report's state and public text.
#[derive(Serialize, Clone, Debug)]
pub struct ReportDetail {
    #[serde(flatten)]
    pub report: MisconductReportRow,
    pub investigators: Vec<InvestigatorRow>,
    pub evidence: Vec<MisconductEvidenceRow>,
    pub actions: Vec<ActionRecord>,
    pub reporter: Option<ReporterView>,
    /// The caller may take the investigation's steps.
    pub may_investigate: bool,
}

/// The reporter's identity: to an assigned investigator, or only "仅承办人可见".
#[derive(Serialize, Clone, Debug)]
pub struct ReporterView {
    pub visible: bool,
    pub name: Option<String>,
    pub phone: Option<String>,
    pub note: String,
    pub note_en: String,
}

pub async fn detail(st: &AppState, user: &User, id: i64) -> ApiResult<ReportDetail> {
    let mut report = visible_report(st, user, id).await?;
    let may_investigate = user
        .may(Action::InvestigateMisconduct, &Target::Area(report.area))
        .is_ok();
    if !supervises(user) {
        // The filer's view: what happened to it, not how it is being investigated.
        report.findings = None;
        return Ok(ReportDetail {
            report,
            investigators: Vec::new(),
            evidence: Vec::new(),
            actions: Vec::new(),
            reporter: None,
            may_investigate: false,
        });
    }
    let investigators = st.store.misconduct_investigators(id).await?;
    let reporter = if report.has_reporter {
        let ids: Vec<i64> = investigators.iter().map(|i| i.account_id).collect();
        let shown = may_see_reporter(user.account.id, &ids);
        let identity: Option<ReporterIdentity> = st
            .store
            .misconduct_reporter(id, &user.actor(), shown)
            .await?;
        Some(match identity {
            Some(i) => ReporterView {
                visible: true,
                name: Some(i.name),
                phone: i.phone,
                note: "承办人可见，本次查看已记入审计日志".into(),
                note_en: "shown to assigned investigators; this read is audited".into(),
            },
            None => ReporterView {
                visible: false,
                name: None,
                phone: None,
                note: "仅承办人可见".into(),
                note_en: "visible to the assigned investigators only".into(),
            },
        })
    } else {
        None
    };
    Ok(ReportDetail {
        investigators,
        evidence: st.store.misconduct_evidence(id).await?,
        actions: st
            .store
            .accountability_actions(Some(id), None, None, None)
            .await?,
        reporter,
        may_investigate,
        report,
    })
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ListQuery {
    pub state: Option<String>,
    pub category: Option<String>,
    pub channel: Option<String>,
    pub q: Option<String>,
    /// `1`: only the reports the caller investigates.
    pub mine: Option<String>,
    pub from: Option<String>,
    pub until: Option<String>,
}

pub async fn listed(
    st: &AppState,
    user: &User,
    q: &ListQuery,
) -> ApiResult<Vec<MisconductReportRow>> {
    let mut f: MisconductFilter = scope(user)?;
    if let Some(s) = some(&q.state) {
        f.state = Some(gongzhi_domain::conduct::ReportState::parse(&s).ok_or_else(|| {
            ApiError::bad_request(
                "state",
                format!("“{s}”不是举报状态，可选：已接收、已受理、不予受理、核查中、已办结"),
                format!("'{s}' is not a report state: received, accepted, dismissed, investigating, concluded"),
            )
        })?);
    }
    if let Some(c) = some(&q.category) {
        f.category = Some(c);
    }
    if let Some(c) = some(&q.channel) {
        f.channel = Some(ReportChannel::parse_or(&c).map_err(conduct_error)?);
    }
    if some(&q.mine).is_some() {
        f.investigator = Some(user.account.id);
    }
    f.q = some(&q.q);
    f.from = parse_date("from", q.from.as_deref())?;
    f.until = parse_date("until", q.until.as_deref())?;
    Ok(st.store.misconduct_reports(&f, MAX_ROWS).await?)
}

pub async fn accept(st: &AppState, user: &User, id: i64) -> ApiResult<()> {
    investigable(st, user, id).await?;
    st.store
        .accept_misconduct_report(id, &by(user), now_millis())
        .await
        .map_err(write_error)
}

pub async fn dismiss(st: &AppState, user: &User, id: i64, reason: &str) -> ApiResult<()> {
    investigable(st, user, id).await?;
    st.store
        .dismiss_misconduct_report(id, reason, &by(user), now_millis())
        .await
        .map_err(write_error)
}

/// Assigns supervisors (by username) who may investigate the report's area.
pub async fn assign(st: &AppState, user: &User, id: i64, usernames: &[String]) -> ApiResult<()> {
    let r = investigable(st, user, id).await?;
    let mut chosen = Vec::new();
    for name in usernames.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let acct = st
            .store
            .account_by_username(name)
            .await?
            .filter(|a| !a.disabled);
        let ok = acct.as_ref().is_some_and(|a| {
            gongzhi_domain::access::decide(
                &a.principal(),
                Action::InvestigateMisconduct,
                &Target::Area(r.area),
            )
            .is_ok()
        });
        match acct {
            Some(a) if ok => chosen.push((a.id, a.display_name.clone())),
            _ => {
                return Err(ApiError::bad_request(
                    "investigators",
                    format!("“{name}”不是可以核查该区域举报的纪检监督账号"),
                    format!("'{name}' is no supervision account that may investigate this area"),
                ));
            }
        }
    }
    st.store
        .assign_misconduct_investigators(id, &chosen, &by(user), now_millis())
        .await
        .map_err(write_error)
}

pub async fn add_evidence(st: &AppState, user: &User, id: i64, note: &str) -> ApiResult<i64> {
    investigable(st, user, id).await?;
    st.store
        .add_misconduct_evidence(id, note, None, &by(user), now_millis())
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ConcludeInput {
    #[serde(default)]
    pub conclusion: String,
    #[serde(default)]
    pub findings: String,
    #[serde(default)]
    pub public_text: String,
}

pub async fn conclude(st: &AppState, user: &User, id: i64, b: &ConcludeInput) -> ApiResult<()> {
    investigable(st, user, id).await?;
    let c = Conclusion::parse(&b.conclusion).ok_or_else(|| {
        ApiError::bad_request(
            "conclusion",
            "请选择核查结论：问题属实或问题不属实",
            "choose the conclusion: substantiated or unsubstantiated",
        )
    })?;
    st.store
        .conclude_misconduct_report(id, c, &b.findings, &b.public_text, &by(user), now_millis())
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct ActionInput {
    #[serde(default)]
    pub action: String,
    #[serde(default)]
    pub sanction: String,
    #[serde(default)]
    pub official_post: String,
    /// `department` or `area`; blank: the report's unit.
    #[serde(default)]
    pub unit_kind: String,
    #[serde(default)]
    pub unit_code: String,
    pub decided_on: Option<String>,
    #[serde(default)]
    pub basis: String,
}

pub async fn hold_accountable(
    st: &AppState,
    user: &User,
    id: i64,
    b: &ActionInput,
) -> ApiResult<i64> {
    let r = investigable(st, user, id).await?;
    let action = AccountabilityAction::parse_or(&b.action).map_err(conduct_error)?;
    let sanction = action.sanction(&b.sanction).map_err(conduct_error)?;
    let unit = if b.unit_kind.trim().is_empty() && b.unit_code.trim().is_empty() {
        r.unit.clone()
    } else {
        parse_unit(&b.unit_kind, &b.unit_code, r.area)?
    };
    if let ReportedUnit::Department(d) = &unit
        && st.store.department(d).await?.is_none()
    {
        return Err(ApiError::bad_request(
            "unit_code",
            format!("没有编码为“{d}”的部门"),
            format!("no department '{d}'"),
        ));
    }
    let draft = AccountabilityDraft {
        action,
        sanction,
        official_post: b.official_post.clone(),
        unit,
        decided_on: parse_date("decided_on", b.decided_on.as_deref())?.unwrap_or_else(today),
        basis: b.basis.clone(),
    }
    .checked(today())
    .map_err(conduct_error)?;
    st.store
        .add_accountability_action(id, &draft, &by(user), now_millis())
        .await
        .map_err(write_error)
}

/// The area supervision reads signals and statistics in: its scope (None: everything).
fn supervision_area(user: &User) -> ApiResult<Option<AreaCode>> {
    match user.listing(List::MisconductReports) {
        Listing::Everything => Ok(None),
        Listing::Area(a) => Ok(Some(a)),
        _ => Err(forbidden(
            "只有纪检监督可以查看线索和统计",
            "only discipline supervision sees signals and statistics",
        )),
    }
}

/// The signals in the caller's scope not yet reviewed, computed with the thresholds in force.
pub async fn signals(st: &AppState, user: &User) -> ApiResult<(Vec<Signal>, SignalThresholds)> {
    let area = supervision_area(user)?;
    let t = st.store.signal_thresholds().await?;
    let now = now_millis();
    let data = st
        .store
        .misconduct_signal_data(area.as_ref(), now - t.period_days * 24 * HOUR_MS, now)
        .await?;
    let all = Signals::compute(&t, &data.overdue, &data.moves, &data.missed, &data.ratings);
    let reviewed = st.store.reviewed_misconduct_signals().await?;
    Ok((all.unreviewed(&reviewed), t))
}

async fn signal(st: &AppState, user: &User, key: &str) -> ApiResult<Signal> {
    signals(st, user)
        .await?
        .0
        .into_iter()
        .find(|s| s.key == key.trim())
        .ok_or_else(|| {
            ApiError::not_found(
                format!("待复核线索 {key}"),
                format!("no signal {key} waiting for review"),
            )
        })
}

pub async fn dismiss_signal(st: &AppState, user: &User, key: &str, reason: &str) -> ApiResult<()> {
    let s = signal(st, user, key).await?;
    st.store
        .dismiss_misconduct_signal(
            &s.key,
            s.kind,
            s.count as i64,
            reason,
            &by(user),
            now_millis(),
        )
        .await
        .map_err(write_error)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct SignalReportInput {
    #[serde(default)]
    pub key: String,
    /// Defaults to the signal kind's category.
    pub category: Option<String>,
    /// Defaults to the first case's community, else the caller's area.
    pub area: Option<String>,
    pub description: Option<String>,
}

/// Opens a report from a signal (channel 数据线索): the signal is then reviewed.
pub async fn report_signal(st: &AppState, user: &User, b: &SignalReportInput) -> ApiResult<i64> {
    let s = signal(st, user, &b.key).await?;
    let area = match some(&b.area) {
        Some(a) => parse_area("area", &a)?,
        None => {
            let mut found = None;
            for (id, _) in &s.cases {
                if let Some(c) = st.store.case(*id).await?.and_then(|c| c.case.community) {
                    found = Some(c);
                    break;
                }
            }
            match found.or(supervision_area(user)?) {
                Some(a) => a,
                None => {
                    return Err(ApiError::bad_request(
                        "area",
                        "请选择线索涉及的街道或社区",
                        "choose the street or community the signal concerns",
                    ));
                }
            }
        }
    };
    user.may(Action::InvestigateMisconduct, &Target::Area(area))?;
    let category = match some(&b.category) {
        Some(c) => category_code(st, &c).await?,
        None => s.kind.category().to_string(),
    };
    let tickets: Vec<&str> = s.cases.iter().map(|(_, t)| t.as_str()).collect();
    let description = some(&b.description).unwrap_or_else(|| {
        format!(
            "{}：{}。涉及案件：{}",
            s.kind.zh(),
            s.test_zh,
            if tickets.is_empty() {
                "无".to_string()
            } else {
                tickets.join("、")
            }
        )
    });
    let draft = ReportDraft {
        category,
        area,
        unit: match &s.department {
            Some(d) => ReportedUnit::Department(d.clone()),
            None => ReportedUnit::Area(area),
        },
        official: String::new(),
        description,
        occurred_on: None,
        reporter: None,
    };
    let filed = file_misconduct_report(
        st,
        draft,
        ReportChannel::Signal,
        Some(user.account.id),
        Some((s.key.clone(), s.kind, s.count as i64)),
        &by(user),
        now_millis(),
    )
    .await?;
    Ok(filed.id)
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct StatsQuery {
    pub from: Option<String>,
    pub until: Option<String>,
}

/// The county report's table for the caller's scope and the period, with category, action and
/// unit names.
pub async fn statistics(st: &AppState, user: &User, q: &StatsQuery) -> ApiResult<StatsView> {
    let area = supervision_area(user)?;
    let from = parse_date("from", q.from.as_deref())?;
    let until = parse_date("until", q.until.as_deref())?;
    let cats = st.store.misconduct_categories(true).await?;
    let (reports, actions) = st
        .store
        .misconduct_facts(area.as_ref(), from, until)
        .await?;
    let codes: Vec<String> = cats.iter().map(|c| c.code.clone()).collect();
    let table = tabulate(&codes, &reports, &actions);
    let mut unit_names = std::collections::BTreeMap::new();
    for u in &table.units {
        let name = match u.unit.split_once(':') {
            Some(("department", d)) => st.store.department(d).await?.map(|d| d.name),
            Some(("area", a)) => match AreaCode::parse(a) {
                Ok(a) => st.store.area(&a).await?.map(|a| a.name),
                Err(_) => None,
            },
            _ => None,
        };
        unit_names.insert(u.unit.clone(), name.unwrap_or_else(|| u.unit.clone()));
    }
    Ok(StatsView {
        category_names: cats
            .iter()
            .map(|c| (c.code.clone(), c.name_zh.clone()))
            .collect(),
        unit_names,
        adds_up: table.adds_up(),
        table,
        from,
        until,
    })
}

#[derive(Serialize, Clone, Debug)]
pub struct StatsView {
    #[serde(flatten)]
    pub table: Statistics,
    pub category_names: std::collections::BTreeMap<String, String>,
    pub unit_names: std::collections::BTreeMap<String, String>,
    pub adds_up: bool,
    pub from: Option<Date>,
    pub until: Option<Date>,
}

impl StatsView {
    pub fn category_name(&self, code: &str) -> String {
        self.category_names
            .get(code)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    pub fn unit_name(&self, key: &str) -> String {
        self.unit_names
            .get(key)
            .cloned()
            .unwrap_or_else(|| key.to_string())
    }
}

#[derive(Deserialize, Default, Clone, Debug)]
pub struct CategoryInput {
    #[serde(default)]
    pub code: String,
    #[serde(default)]
    pub name_zh: String,
    #[serde(default)]
    pub name_en: String,
    pub active: Option<bool>,
}

/// Adds, renames, enables or disables a category: supervision (or the administrator).
pub async fn save_category(st: &AppState, user: &User, b: &CategoryInput) -> ApiResult<()> {
    supervision_area(user)?;
    if !matches!(user.account.role, Role::Admin | Role::Supervisor) {
        return Err(forbidden(
            "只有纪检监督可以设置问题类别",
            "only supervision sets the categories",
        ));
    }
    let d = CategoryDraft {
        code: b.code.clone(),
        name_zh: b.name_zh.clone(),
        name_en: b.name_en.clone(),
        active: b.active.unwrap_or(true),
    }
    .checked()
    .map_err(conduct_error)?;
    Ok(st.store.save_misconduct_category(&d, &user.actor()).await?)
}

pub async fn save_thresholds(st: &AppState, user: &User, t: SignalThresholds) -> ApiResult<()> {
    supervision_area(user)?;
    if !matches!(user.account.role, Role::Admin | Role::Supervisor) {
        return Err(forbidden(
            "只有纪检监督可以设置线索阈值",
            "only supervision sets the thresholds",
        ));
    }
    let t = t.checked().map_err(conduct_error)?;
    Ok(st.store.set_signal_thresholds(&t, &user.actor()).await?)
}
