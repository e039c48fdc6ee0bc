//! Intake: a report from any channel (web form, JSON API, Open311, the hotline import, a grid
//! worker's patrol) becomes a case — reported, and where the rules say, registered and
//! dispatched — with its notices, in one transaction.

use super::AppError;
use super::notices;
use crate::state::AppState;
use gongzhi_domain::calendar::date_of;
use gongzhi_domain::case::{self, Actor, AutoDispatch, Channel, NewCase, suggest_department};
use gongzhi_domain::codes::{AreaCode, AreaLevel, GridCode, Phone};
use gongzhi_store::{
    CaseChange, CaseDetails, CaseRow, CaseWriteError, CategoryRow, EventActor, LOOKUP_CODE_TAKEN,
    Lookups, StoreError,
};
use std::sync::Arc;

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
    /// The street the reporter chose, for a report given by an address alone: where it goes
    /// when the address names no place the city holds.
    pub street: Option<AreaCode>,
    /// Photos of the problem, already on disk, recorded with the report in its transaction.
    pub photos: Vec<gongzhi_store::NewPhoto>,
}

/// Where a new case goes after it is filed.
#[derive(Clone, Debug)]
pub enum Routing {
    /// Where the dispatch rules say, when the server dispatches automatically; else it waits
    /// for a dispatcher.
    ByRules,
    /// Registered and dispatched by `by` to `department` (the 12345 centre has decided): an
    /// override of the rules.
    To {
        department: String,
        by: Actor,
        label: EventActor,
    },
}

/// A report that passed every check intake makes; filing it can then only fail in the store.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub category: CategoryRow,
    pub details: CaseDetails,
    pub grid: Option<GridCode>,
    pub community: Option<AreaCode>,
    pub channel: Channel,
    pub emergency: bool,
}

pub struct Filed {
    pub case: CaseRow,
    /// Shown to the reporter once; stored only as a hash.
    pub lookup_code: String,
}

/// Every check filing makes, writing nothing: the category, the description, the place and
/// its grid. The hotline import runs it on every row before filing any (a dry run of intake).
/// A report given by an address alone is geocoded first ([`super::locate`]); one still
/// without a point goes to the street its reporter chose, or is refused.
pub fn prepare(st: &AppState, lookups: &Lookups, r: &Report) -> Result<Prepared, AppError> {
    let category = super::codes::reportable(lookups, &r.category)?.clone();
    let description = r.description.trim().to_string();
    if description.is_empty() || description.chars().count() > 2000 {
        return Err(AppError::bad_input(
            "description",
            "请描述问题（1–2000字）",
            "describe the problem (1–2000 characters)",
        ));
    }
    let (grid, community) = match (r.lon, r.lat) {
        (Some(lon), Some(lat)) => {
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(AppError::bad_input(
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
                None => return Err(AppError::OutsideGrids),
            }
        }
        (None, None) if !r.address.trim().is_empty() && r.street.is_some() => {
            let street = r.street.filter(|s| {
                s.level() == AreaLevel::Street
                    && st.grids.places().is_some_and(|p| p.area(s).is_some())
            });
            match street {
                Some(s) => (None, Some(s)),
                None => {
                    return Err(AppError::bad_input(
                        "street",
                        "所选街道不存在",
                        "the chosen street does not exist",
                    ));
                }
            }
        }
        (None, None)
            if !r.address.trim().is_empty() && r.channel.is_some_and(Channel::files_unlocated) =>
        {
            (None, None)
        }
        (None, None) if !r.address.trim().is_empty() => {
            return Err(AppError::bad_input(
                "street",
                "系统未找到该地址：请在地图上选点，或选择所在街道",
                "the address names no place we hold: pick a point on the map or choose the street",
            ));
        }
        _ => {
            return Err(AppError::bad_input(
                "lat",
                "请在地图上选点，或填写系统能找到的地址，或填写地址并选择所在街道",
                "pick a point on the map, give an address we hold, or give an address and choose the street",
            ));
        }
    };
    Ok(Prepared {
        category,
        details: CaseDetails {
            lon: r.lon,
            lat: r.lat,
            address: r.address.trim().to_string(),
            description,
            reporter_phone: r.reporter_phone.clone(),
        },
        grid,
        community,
        channel: r.channel.unwrap_or(Channel::ResidentWeb),
        emergency: r.emergency,
    })
}

fn random_lookup_code() -> String {
    let mut bytes = [0u8; case::LOOKUP_CODE_BYTES];
    getrandom::fill(&mut bytes).expect("operating system random source");
    case::lookup_code_from_bytes(bytes)
}

/// The department the dispatch rules name for a prepared report (`None`: the locality). A rule
/// naming a department this city does not have falls back to the locality.
fn by_rules(lookups: &Lookups, p: &Prepared) -> Option<String> {
    let rules: Vec<_> = lookups.rules.iter().map(|r| r.rule()).collect();
    suggest_department(
        &rules,
        &p.category.code,
        p.community,
        p.category.default_department.as_deref(),
    )
    .filter(|d| lookups.departments.contains_key(d))
}

/// Files a report: checks it, locates its grid, and records the case with every event of its
/// intake and the notices they cause, in one durable transaction.
pub async fn intake(
    st: &AppState,
    who: &Actor,
    label: &EventActor,
    r: Report,
    routing: Routing,
    now: i64,
) -> Result<Filed, AppError> {
    intake_acting(st, who, label, r, routing, None, now).await
}

/// [`intake`] for a case opened on a diagnosis finding: the finding is marked as acted on in
/// the case's own transaction (refused, nothing written, when it was acted on meanwhile).
pub async fn intake_acting(
    st: &AppState,
    who: &Actor,
    label: &EventActor,
    mut r: Report,
    routing: Routing,
    acts_on: Option<gongzhi_store::FindingAct>,
    now: i64,
) -> Result<Filed, AppError> {
    super::locate(st, &mut r).await?;
    let lookups = st.store.lookups().await?;
    let p = prepare(st, &lookups, &r)?;
    let system = EventActor {
        account_id: None,
        name: "智能派遣".into(),
    };
    let (auto, router, router_label) = match routing {
        Routing::ByRules if st.auto_dispatch => (
            Some(AutoDispatch {
                department: by_rules(&lookups, &p),
                is_override: false,
            }),
            Actor::System,
            system,
        ),
        Routing::ByRules => (None, Actor::System, system),
        Routing::To {
            department,
            by,
            label,
        } => {
            super::codes::department(&lookups, &department, "department")?;
            (
                Some(AutoDispatch {
                    department: Some(department),
                    is_override: true,
                }),
                by,
                label,
            )
        }
    };
    let day = date_of(now);
    let reporter = match who {
        Actor::Account { principal, .. } => Some(principal.account_id),
        _ => None,
    };
    let plan = Plan {
        cfg: st.loop_cfg.fresh(&st.store).await?,
        lookups,
        who: who.clone(),
        label: label.clone(),
        router,
        router_label,
        auto,
        reporter,
        p: p.clone(),
        photos: r.photos.clone(),
        acts_on,
        now,
    };
    // 40-bit codes collide now and then in a city filing millions a year: draw again.
    let mut attempts = 0;
    loop {
        let lookup_code = random_lookup_code();
        let plan = plan.clone();
        let filed = st
            .store
            .create_case(
                &day.compact(),
                &p.details,
                &lookup_code,
                label,
                now,
                move |id, seq| plan.file(id, case::ticket(day, seq)),
            )
            .await;
        match filed {
            Err(CaseWriteError::Store(StoreError::Conflict {
                code: LOOKUP_CODE_TAKEN,
                ..
            })) if attempts < 5 => attempts += 1,
            other => {
                return Ok(Filed {
                    case: other?,
                    lookup_code,
                });
            }
        }
    }
}

/// Everything the domain needs to file the case once the store has drawn its id and ticket.
#[derive(Clone)]
struct Plan {
    cfg: Arc<case::LoopConfig>,
    lookups: Arc<Lookups>,
    who: Actor,
    label: EventActor,
    router: Actor,
    router_label: EventActor,
    auto: Option<AutoDispatch>,
    reporter: Option<i64>,
    p: Prepared,
    photos: Vec<gongzhi_store::NewPhoto>,
    acts_on: Option<gongzhi_store::FindingAct>,
    now: i64,
}

impl Plan {
    fn file(self, id: i64, ticket: String) -> Result<CaseChange, AppError> {
        let new = NewCase {
            id,
            ticket,
            channel: self.p.channel,
            category: self.p.category.code.clone(),
            deadline_class: self.p.category.deadline_class,
            emergency: self.p.emergency,
            community: self.p.community,
            grid: self.p.grid,
            reporter: self.reporter,
        };
        let (after, events) =
            case::intake(new, &self.who, &self.router, self.auto, self.now, &self.cfg)?;
        let mut notices = notices::build(&after, &events, &self.lookups, &self.cfg, self.now);
        // An emergency alerts every responsible level in this same transaction.
        notices.extend(crate::emergency::ops::case_alerts(
            &after,
            &self.p.details.description,
            &self.lookups,
            self.now,
        ));
        let mut actors = vec![self.label];
        actors.resize(events.len(), self.router_label);
        Ok(CaseChange {
            clock_at: case::next_clock_point(&after, &self.cfg),
            after,
            events,
            notices,
            actors,
            photos: self.photos,
            acts_on: self.acts_on,
        })
    }
}
