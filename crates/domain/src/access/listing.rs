//! What a list may show: the one question every list, count, export and inbox asks before it
//! reads a row. `decide` answers "may I act on this one?"; [`listing`] answers "which rows may
//! a list of this kind show me?", so that a list never holds a row `decide` would refuse and
//! no handler matches on roles or scopes itself.
//!
//! | Role (scope)        | Cases    | Scorecards | WhistleBoard | Rankings | Secondments, CommunityCheckIns | DispatchRules |
//! |---------------------|----------|------------|--------------|----------|------|------|
//! | Admin               | all      | all        | all          | all      | all  | all  |
//! | District/Street/Community | scope | scope    | scope        | scope    | scope | scope |
//! | GridWorker          | scope    | scope      | ✗            | ✗        | ✗    | scope |
//! | Department          | own dept | own dept   | own dept     | all      | own dept | own dept |
//! | RedMember           | own reports | ✗       | ✗            | ✗        | ✗    | ✗    |
//! | PartyOrg            | ✗        | ✗          | ✗            | scope    | scope | ✗   |
//! | Supervisor          | scope    | scope      | scope        | scope    | ✗    | scope |
//! | Resident            | own reports | ✗       | ✗            | ✗        | ✗    | ✗    |
//! | CentreStaff         | ✗        | ✗          | ✗            | ✗        | ✗    | ✗    |
//!
//! The community's services and deliberation (ServiceCentres, CoBuildContracts, Deliberations,
//! Notices): every staff role lists its scope, where it has one (a department: the centres it
//! leads, its contracts, the meetings it is invited to and its own notices); a grid worker and
//! centre staff list centres and deliberations but no contracts or notices, a red grid member
//! only deliberations; a resident lists the orders it placed and the topics it raised
//! (`Reports`); notices follow `PublishNotice`, with supervision's scope besides.
//!
//! Supervising officials (PowerLists, MisconductReports, Supervisions, Livelihood): power lists
//! follow `ManagePowerList`, and discipline supervision lists them all; misconduct reports are
//! supervision's (its scope) and everyone else lists only the reports it filed (`Reports`);
//! supervision orders are listed by every level that issues or answers them (district, street,
//! community, department, supervision); livelihood records follow `ManageLivelihood`.
//!
//! Emergencies follow `RespondEmergency` (every level that answers them: district, street,
//! community, grid worker, the handling department), with supervision's scope besides.
//!
//! Cases (with their counts, exports and the inbox's waiting cases) follow `ViewCase`,
//! secondments `RecordSecondment`, in-service members `RecordCommunityCheckIn`: those columns
//! are read off the policy table, not written twice. A party organisation never views cases, so
//! it lists none. Rankings compare departments (no case in them), so a department sees the whole
//! city's. A principal whose scope does not fit its role lists nothing.

use super::policy::{Rule, rule};
use super::{Action, Principal, Role, Scope, Target, scope_fits};
use crate::case::Recipient;
use crate::codes::{AreaCode, GridCode};

/// The lists of the platform, each with its own rule in the table above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum List {
    /// Cases: the list, its count and export, the inbox's waiting cases, the home page's.
    Cases,
    /// Scorecards (考核): the caller's cases counted; a resident's own reports are no scorecard.
    Scorecards,
    /// The whistle board (吹哨报到) and the street's grants to its communities.
    WhistleBoard,
    /// The departments' monthly ranking.
    Rankings,
    /// Cadres sent down (干部下沉).
    Secondments,
    /// In-service party members reporting to their community (在职党员到社区报到).
    CommunityCheckIns,
    /// Which department a category is sent to, where.
    DispatchRules,
    /// The party organisation tree, members, units, compounds' five steps, 三会一课.
    PartyOrgs,
    /// Grid roles, household links, visits and mediation (红色网格).
    RedGrid,
    /// Five-star assessment and the twelve-point ledger.
    Assessments,
    /// The community cadre roster and its structure report.
    CadreRoster,
    /// 一有七中心: centres, menus, providers and service orders with their counts; a lead
    /// department lists the centres it leads, a resident their own orders.
    ServiceCentres,
    /// 契约化共建: contracts, commitments, deliveries and overdue flags; a department lists its own.
    CoBuildContracts,
    /// 有事好商量: topics, meetings, votes and resolutions; a department lists those it is invited
    /// to, a resident the topics they raised (the public pages need no list).
    Deliberations,
    /// 公示 as staff see it, drafts and withdrawn notices included (the public board needs none).
    Notices,
    /// 权力清单 as staff see them, drafts and history included (阳光示权 needs none): the owner's
    /// own, a street's or district's inside its area, discipline supervision every list.
    PowerLists,
    /// 消极怠政: reports, the signals from the case data, investigations, accountability and
    /// their statistics — discipline supervision's; anyone else lists the reports it filed.
    MisconductReports,
    /// 督办: the board of supervision orders, for those who issue them and those who answer.
    Supervisions,
    /// "1234" 民生监督: responsibilities, livelihood projects, supervision and investigation
    /// records.
    Livelihood,
    /// 应急: emergencies and drills with their boards, for every level that answers them
    /// and for supervision, which watches the response.
    Emergencies,
}

impl List {
    pub const ALL: [List; 20] = [
        List::Cases,
        List::Scorecards,
        List::WhistleBoard,
        List::Rankings,
        List::Secondments,
        List::CommunityCheckIns,
        List::DispatchRules,
        List::PartyOrgs,
        List::RedGrid,
        List::Assessments,
        List::CadreRoster,
        List::ServiceCentres,
        List::CoBuildContracts,
        List::Deliberations,
        List::Notices,
        List::PowerLists,
        List::MisconductReports,
        List::Supervisions,
        List::Livelihood,
        List::Emergencies,
    ];
}

/// The rows a list may show.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Listing {
    Everything,
    /// Rows inside this area (and, for lists of places, the areas above it on its path).
    Area(AreaCode),
    Grid(GridCode),
    /// Rows sent to (or belonging to) this department.
    Department(String),
    /// The cases this account reported (and, in the service and deliberation lists, the orders
    /// it placed and the topics it raised).
    Reports(i64),
    /// The rows linked to this account: a red grid member's households and their visits.
    Linked(i64),
    Nothing,
}

/// How a list is granted to a role.
enum Grant {
    All,
    Scope,
    OwnReports,
    OwnLinks,
    Never,
}

fn from_rule(r: Rule) -> Grant {
    match r {
        Rule::Always => Grant::All,
        Rule::Never => Grant::Never,
        // A list of map-wide targets (areas, grids) is not a list of cases; no list here
        // is granted by the map rule, but if one were it would be the whole city.
        Rule::Map => Grant::All,
        Rule::Inside | Rule::InsideOrEnclosing | Rule::InsideWithUnmask => Grant::Scope,
    }
}

fn grant(role: Role, list: List) -> Grant {
    use Role::*;
    match list {
        List::Cases => match (role, rule(role, Action::ViewCase)) {
            // The reporter sees their own case (`case::may_view`), and nothing else.
            (Resident | RedMember, Rule::Never) => Grant::OwnReports,
            (_, r) => from_rule(r),
        },
        List::Scorecards => match role {
            Resident => Grant::Never,
            _ => from_rule(rule(role, Action::ViewCase)),
        },
        List::WhistleBoard => match role {
            Admin => Grant::All,
            District | Street | Community | Department | Supervisor => Grant::Scope,
            GridWorker | RedMember | CentreStaff | PartyOrg | Resident => Grant::Never,
        },
        List::Rankings => match role {
            Admin | Department => Grant::All,
            District | Street | Community | PartyOrg | Supervisor => Grant::Scope,
            GridWorker | RedMember | CentreStaff | Resident => Grant::Never,
        },
        List::Secondments => from_rule(rule(role, Action::RecordSecondment)),
        List::CommunityCheckIns => from_rule(rule(role, Action::RecordCommunityCheckIn)),
        List::DispatchRules => match role {
            Admin => Grant::All,
            District | Street | Community | GridWorker | Department | Supervisor => Grant::Scope,
            RedMember | CentreStaff | PartyOrg | Resident => Grant::Never,
        },
        List::PartyOrgs => from_rule(rule(role, Action::ManagePartyOrg)),
        List::RedGrid => match role {
            RedMember => Grant::OwnLinks,
            _ => from_rule(rule(role, Action::RecordVisit)),
        },
        List::Assessments => from_rule(rule(role, Action::AssessMembers)),
        List::CadreRoster => from_rule(rule(role, Action::ManageCadreRoster)),
        List::ServiceCentres => match role {
            Admin => Grant::All,
            District | Street | Community | CentreStaff | GridWorker | Department | PartyOrg
            | Supervisor => Grant::Scope,
            Resident => Grant::OwnReports,
            RedMember => Grant::Never,
        },
        List::CoBuildContracts => match role {
            Admin => Grant::All,
            District | Street | Community | Department | PartyOrg | Supervisor => Grant::Scope,
            GridWorker | RedMember | CentreStaff | Resident => Grant::Never,
        },
        List::Deliberations => match role {
            Admin => Grant::All,
            District | Street | Community | CentreStaff | GridWorker | RedMember | Department
            | PartyOrg | Supervisor => Grant::Scope,
            Resident => Grant::OwnReports,
        },
        List::Notices => match role {
            Supervisor => Grant::Scope,
            _ => from_rule(rule(role, Action::PublishNotice)),
        },
        List::PowerLists => match role {
            // Power lists are public once published; supervision reviews every draft too.
            Supervisor => Grant::All,
            _ => from_rule(rule(role, Action::ManagePowerList)),
        },
        List::MisconductReports => match role {
            Admin => Grant::All,
            Supervisor => Grant::Scope,
            // A reporter's identity is supervision's to guard: others see only what they filed.
            _ => Grant::OwnReports,
        },
        List::Supervisions => match role {
            Admin => Grant::All,
            District | Street | Community | Department | Supervisor => Grant::Scope,
            GridWorker | RedMember | CentreStaff | PartyOrg | Resident => Grant::Never,
        },
        List::Livelihood => from_rule(rule(role, Action::ManageLivelihood)),
        List::Emergencies => match role {
            Supervisor => Grant::Scope,
            _ => from_rule(rule(role, Action::RespondEmergency)),
        },
    }
}

/// Which rows of `list` the principal may see; [`Listing::Nothing`] when none.
pub fn listing(p: &Principal, list: List) -> Listing {
    if !scope_fits(p.role, &p.scope) {
        return Listing::Nothing;
    }
    match grant(p.role, list) {
        Grant::All => Listing::Everything,
        Grant::Never => Listing::Nothing,
        Grant::OwnReports => Listing::Reports(p.account_id),
        Grant::OwnLinks => Listing::Linked(p.account_id),
        Grant::Scope => match &p.scope {
            Scope::All => Listing::Everything,
            Scope::Area(a) => Listing::Area(*a),
            Scope::Grid(g) => Listing::Grid(*g),
            Scope::Department(d) => Listing::Department(d.clone()),
            Scope::SelfOnly => Listing::Nothing,
        },
    }
}

impl Listing {
    pub fn is_nothing(&self) -> bool {
        *self == Listing::Nothing
    }

    /// True when a row targeted at `target` lies inside the listing (the same test as
    /// `Scope::covers`). `Reports` covers no target: it is a list of one's own reports.
    pub fn covers(&self, target: &Target) -> bool {
        match self {
            Listing::Everything => true,
            Listing::Area(a) => Scope::Area(*a).covers(target),
            Listing::Grid(g) => Scope::Grid(*g).covers(target),
            Listing::Department(d) => Scope::Department(d.clone()).covers(target),
            Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => false,
        }
    }

    /// For lists of settings placed on an area (dispatch rules, whistle grants): true when a
    /// setting for `area` applies inside the listing (the area is inside it, or encloses it)
    /// or, for a department, when the setting names that department.
    pub fn reaches(&self, area: &AreaCode, department: Option<&str>) -> bool {
        match self {
            Listing::Everything => true,
            Listing::Area(own) => own.contains(area) || area.contains(own),
            Listing::Grid(g) => area.contains(&g.community()),
            Listing::Department(d) => department == Some(d.as_str()),
            Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => false,
        }
    }

    /// Where notices for this listing's cases are addressed (`all`, `area:…`, `grid:…`,
    /// `department:…`); none for one's own reports or nothing.
    pub fn recipients(&self) -> Vec<Recipient> {
        match self {
            Listing::Everything => vec![Recipient::All],
            Listing::Area(a) => vec![Recipient::Area(*a)],
            Listing::Grid(g) => vec![Recipient::Grid(*g)],
            Listing::Department(d) => vec![Recipient::Department(d.clone())],
            Listing::Reports(_) | Listing::Linked(_) | Listing::Nothing => Vec::new(),
        }
    }
}

/// Staff: every account but a resident's. Staff say where a report came from (patrol,
/// hotline, video …) while a resident reports through the resident channel, so channel
/// statistics stay honest; staff have an inbox.
pub fn is_staff(p: &Principal) -> bool {
    p.role != Role::Resident
}

/// Who grants communities the whistle (a street or above, inside its area; `decide` then
/// checks the area).
pub fn grants_whistle(p: &Principal) -> bool {
    matches!(p.role, Role::Admin | Role::District | Role::Street)
}

/// Whose grant form lists its communities: a street's own (the page offers the street and its
/// communities; admins and districts grant through the API).
pub fn offers_street_grants(p: &Principal) -> Option<AreaCode> {
    match (&p.role, &p.scope) {
        (Role::Street, Scope::Area(a)) if scope_fits(p.role, &p.scope) => Some(*a),
        _ => None,
    }
}

/// Whether the street's whistle grants matter to the principal's whistle commands (community
/// staff blow the whistle only where their street granted it).
pub fn needs_whistle_grant(p: &Principal) -> bool {
    p.role == Role::Community
}

/// Who confirms an in-service member's service hours: the community side (staff of an area
/// covering the member's community), never the member's department nor a party organisation.
pub fn confirms_service_hours(p: &Principal, community: &AreaCode) -> bool {
    matches!(
        p.role,
        Role::Admin | Role::District | Role::Street | Role::Community
    ) && super::decide(p, Action::RecordCommunityCheckIn, &Target::Area(*community)).is_ok()
}

/// The department a principal acts for, if it is a department's account.
pub fn own_department(p: &Principal) -> Option<&str> {
    match (&p.role, &p.scope) {
        (Role::Department, Scope::Department(d)) if scope_fits(p.role, &p.scope) => Some(d),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::decide;

    fn area(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    fn grid(s: &str) -> GridCode {
        GridCode::parse(s).unwrap()
    }

    const OWN_GRID: &str = "320508019044001";
    const FAR_GRID: &str = "320506001001001";
    const STREET: &str = "320508019000";

    fn principal(role: Role) -> Principal {
        let scope = match role {
            Role::Admin => Scope::All,
            Role::District => Scope::Area(area("320508")),
            Role::Street => Scope::Area(area(STREET)),
            Role::Community | Role::CentreStaff => Scope::Area(area("320508019044")),
            Role::GridWorker | Role::RedMember => Scope::Grid(grid(OWN_GRID)),
            Role::Department => Scope::Department("cgj".into()),
            Role::PartyOrg => Scope::Area(area(STREET)),
            Role::Supervisor => Scope::Area(area("320508")),
            Role::Resident => Scope::SelfOnly,
        };
        Principal {
            account_id: 7,
            role,
            scope,
            can_unmask: false,
        }
    }

    /// The table in the module docs, written out: every role × every list.
    #[test]
    fn every_role_lists_what_the_table_says() {
        use Listing as L;
        let district = L::Area(area("320508"));
        let street = L::Area(area(STREET));
        let community = L::Area(area("320508019044"));
        let own = L::Grid(grid(OWN_GRID));
        let dept = L::Department("cgj".into());
        let n = L::Nothing;
        let e = L::Everything;
        // Cases, Scorecards, WhistleBoard, Rankings, Secondments, CommunityCheckIns, DispatchRules,
        // PartyOrgs, RedGrid, Assessments, CadreRoster, ServiceCentres, CoBuildContracts,
        // Deliberations, Notices, PowerLists, MisconductReports, Supervisions, Livelihood,
        // Emergencies
        let expected: [(Role, [Listing; 20]); 11] = [
            (
                Role::Admin,
                [
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                    e.clone(),
                ],
            ),
            (
                Role::District,
                std::array::from_fn(|i| match i {
                    16 => L::Reports(7),
                    _ => district.clone(),
                }),
            ),
            (
                Role::Street,
                std::array::from_fn(|i| match i {
                    16 => L::Reports(7),
                    _ => street.clone(),
                }),
            ),
            (
                Role::Community,
                std::array::from_fn(|i| match i {
                    15 => n.clone(),
                    16 => L::Reports(7),
                    _ => community.clone(),
                }),
            ),
            (
                Role::GridWorker,
                [
                    own.clone(),
                    own.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    own.clone(),
                    n.clone(),
                    own.clone(),
                    n.clone(),
                    n.clone(),
                    own.clone(),
                    n.clone(),
                    own.clone(),
                    n.clone(),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    own.clone(),
                ],
            ),
            (
                Role::RedMember,
                [
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    L::Linked(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    own.clone(),
                    n.clone(),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                ],
            ),
            (
                Role::Department,
                [
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                    e.clone(),
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                    L::Reports(7),
                    dept.clone(),
                    dept.clone(),
                    dept.clone(),
                ],
            ),
            (
                Role::PartyOrg,
                [
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    n.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    street.clone(),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                ],
            ),
            (
                Role::Supervisor,
                [
                    district.clone(),
                    district.clone(),
                    district.clone(),
                    district.clone(),
                    n.clone(),
                    n.clone(),
                    district.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    district.clone(),
                    district.clone(),
                    district.clone(),
                    district.clone(),
                    e.clone(),
                    district.clone(),
                    district.clone(),
                    district.clone(),
                    district.clone(),
                ],
            ),
            (
                Role::Resident,
                [
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    L::Reports(7),
                    n.clone(),
                    n.clone(),
                    n.clone(),
                ],
            ),
            (
                Role::CentreStaff,
                std::array::from_fn(|i| match i {
                    11 | 13 => community.clone(),
                    16 => L::Reports(7),
                    _ => n.clone(),
                }),
            ),
        ];
        for (role, lists) in expected {
            let p = principal(role);
            for (list, want) in List::ALL.into_iter().zip(lists) {
                assert_eq!(listing(&p, list), want, "{role:?} {list:?}");
            }
        }
    }

    #[test]
    fn a_party_organisation_lists_no_cases() {
        let p = principal(Role::PartyOrg);
        assert_eq!(listing(&p, List::Cases), Listing::Nothing);
        assert_eq!(listing(&p, List::Scorecards), Listing::Nothing);
        assert!(listing(&p, List::Cases).recipients().is_empty());
    }

    /// The lists read off an action never cover a target `decide` refuses for that action, and
    /// cover every target inside the scope that `decide` allows.
    #[test]
    fn lists_never_reach_past_decide() {
        let targets = [
            Target::Everything,
            Target::Area(area("320508")),
            Target::Area(area(STREET)),
            Target::Area(area("320508019044")),
            Target::Grid(grid(OWN_GRID)),
            Target::Grid(grid(FAR_GRID)),
            Target::Department("cgj".into()),
            Target::Department("zjj".into()),
        ];
        let pairs = [
            (List::Cases, Action::ViewCase),
            (List::Scorecards, Action::ViewCase),
            (List::Secondments, Action::RecordSecondment),
            (List::CommunityCheckIns, Action::RecordCommunityCheckIn),
        ];
        for role in Role::ALL {
            for scope in [
                principal(role).scope,
                Scope::All,
                Scope::SelfOnly,
                Scope::Grid(grid(OWN_GRID)),
            ] {
                let p = Principal {
                    scope,
                    ..principal(role)
                };
                for (list, action) in pairs {
                    let l = listing(&p, list);
                    for t in &targets {
                        if l.covers(t) {
                            assert!(decide(&p, action, t).is_ok(), "{p:?} {list:?} {t:?}");
                        }
                        if decide(&p, action, t).is_ok() && !matches!(l, Listing::Reports(_)) {
                            assert!(l.covers(t), "{p:?} {list:?} {t:?}");
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_scope_that_does_not_fit_lists_nothing() {
        let p = Principal {
            scope: Scope::Area(area("320508")),
            ..principal(Role::Street)
        };
        for list in List::ALL {
            assert_eq!(listing(&p, list), Listing::Nothing, "{list:?}");
        }
        let p = Principal {
            scope: Scope::All,
            ..principal(Role::Resident)
        };
        assert_eq!(listing(&p, List::Cases), Listing::Nothing);
    }

    #[test]
    fn settings_on_the_path_reach_the_patch() {
        let street = Listing::Area(area(STREET));
        assert!(street.reaches(&area("320508"), None));
        assert!(street.reaches(&area("320508019044"), None));
        assert!(!street.reaches(&area("320508020000"), None));
        let own = Listing::Grid(grid(OWN_GRID));
        assert!(own.reaches(&area("320508019044"), None));
        assert!(own.reaches(&area("320508"), None));
        assert!(!own.reaches(&area("320508020001"), None));
        let dept = Listing::Department("cgj".into());
        assert!(dept.reaches(&area("320508"), Some("cgj")));
        assert!(!dept.reaches(&area("320508"), Some("zjj")));
        assert!(!Listing::Nothing.reaches(&area("320508"), None));
        assert!(!Listing::Reports(7).reaches(&area("320508"), None));
        assert!(Listing::Everything.reaches(&area("320508"), Some("x")));
    }

    #[test]
    fn notices_go_where_the_cases_are_listed() {
        let keys = |l: Listing| -> Vec<String> {
            l.recipients().iter().map(ToString::to_string).collect()
        };
        assert_eq!(keys(Listing::Everything), ["all"]);
        assert_eq!(keys(Listing::Area(area(STREET))), ["area:320508019000"]);
        assert_eq!(
            keys(Listing::Grid(grid(OWN_GRID))),
            ["grid:320508019044001"]
        );
        assert_eq!(keys(Listing::Department("cgj".into())), ["department:cgj"]);
        assert!(Listing::Reports(7).recipients().is_empty());
    }

    #[test]
    fn the_small_questions() {
        assert!(is_staff(&principal(Role::GridWorker)));
        assert!(!is_staff(&principal(Role::Resident)));
        assert!(grants_whistle(&principal(Role::Street)));
        assert!(!grants_whistle(&principal(Role::Community)));
        assert_eq!(
            offers_street_grants(&principal(Role::Street)),
            Some(area(STREET))
        );
        assert_eq!(offers_street_grants(&principal(Role::District)), None);
        assert!(needs_whistle_grant(&principal(Role::Community)));
        assert!(!needs_whistle_grant(&principal(Role::Street)));
        let community = area("320508019044");
        assert!(confirms_service_hours(&principal(Role::Street), &community));
        assert!(!confirms_service_hours(
            &principal(Role::PartyOrg),
            &community
        ));
        assert!(!confirms_service_hours(
            &principal(Role::Department),
            &community
        ));
        assert!(!confirms_service_hours(
            &principal(Role::Street),
            &area("320508020001")
        ));
        assert_eq!(own_department(&principal(Role::Department)), Some("cgj"));
        assert_eq!(own_department(&principal(Role::Admin)), None);
    }
}
