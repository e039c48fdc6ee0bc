//! Intake and commands: parse what was asked, let the domain decide inside the store's
//! transaction, then tell whoever must know (inbox, webhooks).

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::case::{
    self, Actor, Case, Channel, Command, Event, NewCase, Refusal, RefusalKind, suggest_department,
};
use gongzhi_domain::codes::Phone;
use gongzhi_store::{
    CaseChange, CaseDetails, CaseRow, CaseWriteError, EventActor, LOOKUP_CODE_TAKEN, StoreError,
};

/// A report as it arrives from a form, the API, Open311 or the hotline import.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub category: String,
    pub lon: Option<f64>,
    pub lat: Option<f64>,
    pub address: String,
    pub description: String,
    pub emergency: bool,
    pub channel: Option<Channel>,
    pub reporter_phone: Option<Phone>,
}

pub struct Filed {
    pub case: CaseRow,
    /// Shown to the reporter once; stored only as a hash.
    pub lookup_code: String,
}

/// The domain's refusal as the API's error: who may not → 403, not in this state → 409,
/// a bad value → 422 naming the field.
pub fn refusal_error(r: &Refusal) -> ApiError {
    let status = match r.kind() {
        RefusalKind::Forbidden => StatusCode::FORBIDDEN,
        RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::CONFLICT,
    };
    ApiError::from_bilingual(status, r)
}

fn write_error(e: CaseWriteError<Refusal>) -> ApiError {
    match e {
        CaseWriteError::Refused(r) => refusal_error(&r),
        CaseWriteError::Store(s) => s.into(),
    }
}

/// When the deadline job must look at the case next (the domain's rule).
fn clock_at(case: &Case, st: &AppState) -> Option<i64> {
    case::next_clock_point(case, &st.loop_cfg)
}

fn fold(st: &AppState, before: &Case, events: Vec<Event>) -> CaseChange {
    let mut after = before.clone();
    for e in &events {
        case::apply(&mut after, e);
    }
    let clock_at = clock_at(&after, st);
    CaseChange {
        after,
        events,
        clock_at,
    }
}

fn random_lookup_code() -> String {
    let mut bytes = [0u8; 5];
    getrandom::fill(&mut bytes).expect("operating system random source");
    case::lookup_code_from_bytes(bytes)
}

/// Files a report: checks the category and the place, locates the grid, records the case; with
/// automatic dispatch on, registers it and sends it where the dispatch rules say.
pub async fn file(
    st: &AppState,
    who: &Actor,
    label: &EventActor,
    r: Report,
    now: i64,
) -> ApiResult<Filed> {
    let lookups = st.store.lookups().await?;
    let category = lookups
        .categories
        .get(r.category.trim())
        .cloned()
        .filter(|c| c.active && c.parent.is_some())
        .ok_or_else(|| {
            ApiError::bad_request(
                "category",
                format!("未知的问题类别：{}", r.category),
                format!("unknown category: {}", r.category),
            )
        })?;
    let description = r.description.trim().to_string();
    if description.is_empty() || description.chars().count() > 2000 {
        return Err(ApiError::bad_request(
            "description",
            "请描述问题（1–2000字）",
            "describe the problem (1–2000 characters)",
        ));
    }
    let (grid, community) = match (r.lon, r.lat) {
        (Some(lon), Some(lat)) => {
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(ApiError::bad_request(
                    "lat",
                    "经纬度超出范围",
                    "longitude/latitude out of range",
                ));
            }
            let hit = st
                .grids
                .current()
                .and_then(|i| i.locate(lon, lat).map(|g| g.code));
            match hit {
                Some(g) => (Some(g), Some(g.community())),
                None => {
                    return Err(ApiError::new(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "outside_grids",
                        "该位置不在本市任何网格内，请在地图上重新选点",
                        "that location is in no grid of this city; pick the place on the map again",
                    ));
                }
            }
        }
        (None, None) if !r.address.trim().is_empty() => (None, None),
        _ => {
            return Err(ApiError::bad_request(
                "lat",
                "请在地图上选点或填写地址",
                "pick a point on the map or give an address",
            ));
        }
    };
    let channel = r.channel.unwrap_or(Channel::ResidentWeb);
    let details = CaseDetails {
        lon: r.lon,
        lat: r.lat,
        address: r.address.trim().to_string(),
        description,
        reporter_phone: r.reporter_phone.clone(),
    };
    let mut lookup_code = random_lookup_code();
    let day = date_of(now);
    let cfg = st.loop_cfg.clone();
    let reporter = match who {
        Actor::Account { principal, .. } => Some(principal.account_id),
        _ => None,
    };
    let class = category.deadline_class;
    let cat_code = category.code.clone();
    // 40-bit codes collide now and then in a city filing millions a year: draw again.
    let mut attempts = 0;
    let row = loop {
        let filed = st
            .store
            .create_case(
                &day.compact(),
                &details,
                &lookup_code,
                label,
                now,
                |id, seq| {
                    let new = NewCase {
                        id,
                        ticket: case::ticket(day, seq),
                        channel,
                        category: cat_code.clone(),
                        deadline_class: class,
                        emergency: r.emergency,
                        community,
                        grid,
                        reporter,
                    };
                    let (case, event) = case::report(new, who, &cfg)?;
                    let clock_at = clock_at(&case, st);
                    Ok(CaseChange {
                        after: case,
                        events: vec![event],
                        clock_at,
                    })
                },
            )
            .await;
        match filed {
            Err(CaseWriteError::Store(StoreError::Conflict {
                code: LOOKUP_CODE_TAKEN,
                ..
            })) if attempts < 5 => {
                attempts += 1;
                lookup_code = random_lookup_code();
            }
            other => break other.map_err(write_error)?,
        }
    };
    let mut row = row;
    if st.auto_dispatch && community.is_some() {
        let rules: Vec<_> = lookups.rules.iter().map(|r| r.rule()).collect();
        let mut department = suggest_department(
            &rules,
            &category.code,
            community,
            category.default_department.as_deref(),
        );
        if let Some(d) = &department
            && !lookups.departments.contains_key(d)
        {
            // A rule naming a department this city does not have: the locality handles it.
            department = None;
        }
        let system = EventActor {
            account_id: None,
            name: "智能派遣".into(),
        };
        let register = Command::Register {
            category: category.code.clone(),
            deadline_class: class,
            emergency: r.emergency,
        };
        let dispatch = Command::Dispatch {
            department,
            is_override: false,
        };
        // Registration and dispatch by the rules are one step for the system: one transaction.
        let cfg = st.loop_cfg.clone();
        row = st
            .store
            .update_case(row.id, None, &system, now, |case| {
                let mut events = case::decide(case, &Actor::System, &register, now, &cfg)?;
                let mut after = case.clone();
                for e in &events {
                    case::apply(&mut after, e);
                }
                events.extend(case::decide(&after, &Actor::System, &dispatch, now, &cfg)?);
                Ok(fold(st, case, events))
            })
            .await
            .map_err(write_error)?;
        notify(st, &row).await;
    }
    Ok(Filed {
        case: row,
        lookup_code,
    })
}

/// Runs one command on a case. `version`, when given, must match (optimistic concurrency).
pub async fn run(
    st: &AppState,
    id: i64,
    version: Option<i64>,
    who: &Actor,
    label: &EventActor,
    cmd: Command,
    now: i64,
) -> ApiResult<CaseRow> {
    if let Command::Dispatch {
        department: Some(d),
        ..
    } = &cmd
        && !st.store.lookups().await?.departments.contains_key(d)
    {
        return Err(ApiError::bad_request(
            "department",
            format!("没有代码为 {d} 的职能部门"),
            format!("no department with code {d}"),
        ));
    }
    if let Command::Register { category, .. } = &cmd
        && !st
            .store
            .lookups()
            .await?
            .categories
            .get(category.trim())
            .is_some_and(|c| c.active && c.parent.is_some())
    {
        return Err(ApiError::bad_request(
            "category",
            format!("未知的问题类别：{category}"),
            format!("unknown category: {category}"),
        ));
    }
    if let Command::MergeInto { case_id } = &cmd {
        let target = st.store.case(*case_id).await?;
        let visible = target
            .as_ref()
            .is_some_and(|t| t.id != id && t.case.state.is_open() && case::may_view(&t.case, who));
        if !visible {
            return Err(ApiError::bad_request(
                "case_id",
                format!("只能并入另一件未办结、您可查看的案件（{case_id}）"),
                format!("a case can only be merged into another open case you can see ({case_id})"),
            ));
        }
    }
    let cmd = crate::cases::whistles::service::prepare(st, id, label, cmd).await?;
    let cfg = crate::cases::whistles::service::command_config(st, who, &cmd).await?;
    let row = st
        .store
        .update_case(id, version, label, now, |case| {
            let events = case::decide(case, who, &cmd, now, &cfg)?;
            Ok(fold(st, case, events))
        })
        .await
        .map_err(write_error)?;
    notify(st, &row).await;
    Ok(row)
}

/// Tells the next level and the department about what just happened, through the inbox and
/// webhooks. A failure here is logged, not returned: the case change is already durable.
async fn notify(st: &AppState, row: &CaseRow) {
    let events = match st.store.case_events(row.id).await {
        Ok(e) => e,
        Err(e) => {
            tracing::warn!(case = row.id, error = %e, "reading events for notifications");
            return;
        }
    };
    let Some(last) = events.last() else { return };
    let fresh: Vec<_> = events.iter().filter(|e| e.at == last.at).collect();
    for e in fresh {
        let (kind, recipient, hook) = match &e.event {
            Event::Dispatched {
                department: Some(d),
                ..
            } => ("dispatched", format!("department:{d}"), None),
            Event::Dispatched {
                department: None, ..
            } => ("dispatched", locality(row), None),
            Event::DeadlineWarned { .. } => ("warned", handler(row), None),
            Event::MarkedOverdue { .. } => ("overdue", handler(row), None),
            Event::Escalated { .. } => ("escalated", level_recipient(row), None),
            other => match crate::cases::whistles::service::notice(row, other) {
                Some((kind, recipient, hook)) => (kind, recipient, Some(hook)),
                None => continue,
            },
        };
        // A whistle event names its summoned department on the notice.
        let department = match e.event.whistle() {
            Some((_, Some(d))) => Some(d.to_string()),
            _ => row.case.department.clone(),
        };
        let summary = crate::cases::whistles::views::name_departments(&row.case, &e.event);
        let message = format!("{} {summary}", row.ticket);
        let event_kind = match hook {
            Some(h) => h,
            None => gongzhi_store::WebhookEvent::parse(kind),
        };
        let payload = event_kind.map(|event| {
            let title_zh = match st.store.lookups_cached() {
                Some(l) => l
                    .categories
                    .get(&row.case.category)
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| row.case.category.clone()),
                None => row.case.category.clone(),
            };
            let notice = crate::webhooks::Notice {
                event,
                ticket: row.ticket.clone(),
                title_zh,
                summary_zh: summary.clone(),
                url: None,
                at_ms: e.at,
                case_id: row.id,
                department: department.clone(),
                level: row.case.level.get(),
                level_name: Some(st.loop_cfg.escalation.name(row.case.level).to_string()),
                deadline_ms: row.case.deadline,
            };
            (
                event,
                serde_json::to_string(&notice).expect("a notice always serialises"),
            )
        });
        let webhook = payload
            .as_ref()
            .map(|(event, json)| (*event, json.as_str()));
        if let Err(err) = st
            .store
            .notify_case(row.id, &recipient, kind, &message, webhook)
            .await
        {
            tracing::warn!(case = row.id, error = %err, "inbox notification and webhooks");
        }
    }
}

fn handler(row: &CaseRow) -> String {
    match &row.case.department {
        Some(d) => format!("department:{d}"),
        None => locality(row),
    }
}

pub(crate) fn locality(row: &CaseRow) -> String {
    match (row.case.grid, row.case.community) {
        (Some(g), _) => format!("grid:{g}"),
        (None, Some(c)) => format!("area:{c}"),
        _ => "all".into(),
    }
}

/// The escalation chain's levels map onto areas: 网格 → the grid, 社区 → the community,
/// 街道 → the street, 区 and 市 → the district and city.
fn level_recipient(row: &CaseRow) -> String {
    let level = row.case.level.get();
    let community = row.case.community;
    match level {
        0..=2 => row
            .case
            .grid
            .map(|g| format!("grid:{g}"))
            .unwrap_or_else(|| locality(row)),
        3 => community
            .map(|c| format!("area:{c}"))
            .unwrap_or_else(|| "all".into()),
        4 => community
            .and_then(|c| c.parent())
            .map(|s| format!("area:{s}"))
            .unwrap_or_else(|| "all".into()),
        5 => community
            .and_then(|c| c.parent())
            .and_then(|s| s.parent())
            .map(|d| format!("area:{d}"))
            .unwrap_or_else(|| "all".into()),
        _ => "all".into(),
    }
}

/// The refusal's message, for pages.
pub fn message(e: &ApiError, en: bool) -> String {
    if en {
        e.body.message_en.clone()
    } else {
        e.body.message.clone()
    }
}
