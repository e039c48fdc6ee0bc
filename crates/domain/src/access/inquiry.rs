//! 查询 (Inquiry): what a search may find for a principal, written as the index's *grants*.
//!
//! Each indexed document carries the grants under which it may be shown; a search asks for the
//! grants the caller holds. Both sides are made here, from the same listings the list pages
//! use, so that a hit is exactly a row the list would show:
//!
//! - cases follow `listing(List::Cases)`: everything, an area (the community code starts with
//!   the area's prefix, as the case list's `LIKE`), a grid, a department, one's own reports;
//! - places (areas and grids) follow `ViewArea`'s rule over the caller's scope;
//! - organisations (departments) follow `ViewDepartment`;
//! - published notices and published power items are public (公示, 阳光示权): everyone.

use super::listing::{List, Listing, listing};
use super::policy::{Rule, rule};
use super::{Action, Principal, Scope, scope_fits};
use crate::codes::{AreaCode, AreaLevel, GridCode};

/// The grant of everything public.
pub const PUBLIC: &str = "public";

/// The part of an area's code that every code inside it starts with.
pub fn area_prefix(a: &AreaCode) -> &str {
    let n = match a.level() {
        AreaLevel::Province => 2,
        AreaLevel::City => 4,
        AreaLevel::District => 6,
        AreaLevel::Street => 9,
        AreaLevel::Community => 12,
    };
    &a.as_str()[..n.min(a.as_str().len())]
}

fn every_prefix(code: &str) -> impl Iterator<Item = &str> {
    (1..=code.len()).map(move |n| &code[..n])
}

/// The grant a listing gives over the documents of `kind`; `None` when it gives none.
fn grant_of(kind: &str, l: &Listing) -> Option<String> {
    match l {
        Listing::Everything => Some(format!("{kind}/*")),
        Listing::Area(a) => Some(format!("{kind}/area:{}", area_prefix(a))),
        Listing::Grid(g) => Some(format!("{kind}/grid:{}", g.as_str())),
        Listing::Department(d) => Some(format!("{kind}/dept:{d}")),
        Listing::Reports(id) => Some(format!("{kind}/reporter:{id}")),
        Listing::Linked(_) | Listing::Nothing => None,
    }
}

/// What a rule over the caller's scope lists (as `listing` does for its lists).
fn by_rule(p: &Principal, action: Action) -> Listing {
    if !scope_fits(p.role, &p.scope) {
        return Listing::Nothing;
    }
    match rule(p.role, action) {
        Rule::Never => Listing::Nothing,
        Rule::Always | Rule::Map => Listing::Everything,
        Rule::Inside | Rule::InsideOrEnclosing | Rule::InsideWithUnmask => match &p.scope {
            Scope::All => Listing::Everything,
            Scope::Area(a) => Listing::Area(*a),
            Scope::Grid(g) => Listing::Grid(*g),
            Scope::Department(_) | Scope::SelfOnly => Listing::Nothing,
        },
    }
}

/// Every grant the principal holds.
pub fn search_grants(p: &Principal) -> Vec<String> {
    let mut g = vec![PUBLIC.to_string()];
    g.extend(grant_of("case", &listing(p, List::Cases)));
    g.extend(grant_of("place", &by_rule(p, Action::ViewArea)));
    if by_rule(p, Action::ViewDepartment) != Listing::Nothing {
        g.push("org/*".into());
    }
    g
}

/// A case's grants: by its place, its department and its reporter.
pub fn case_grants(
    community: Option<&AreaCode>,
    grid: Option<&GridCode>,
    department: Option<&str>,
    reporter: Option<i64>,
) -> Vec<String> {
    let mut g = vec!["case/*".to_string()];
    if let Some(c) = community {
        g.extend(every_prefix(c.as_str()).map(|p| format!("case/area:{p}")));
    }
    if let Some(x) = grid {
        g.push(format!("case/grid:{}", x.as_str()));
    }
    if let Some(d) = department {
        g.push(format!("case/dept:{d}"));
    }
    if let Some(r) = reporter {
        g.push(format!("case/reporter:{r}"));
    }
    g
}

/// A place's grants: an area by its code, a grid by its community and itself.
pub fn place_grants(area: &AreaCode, grid: Option<&GridCode>) -> Vec<String> {
    let mut g = vec!["place/*".to_string()];
    g.extend(every_prefix(area.as_str()).map(|p| format!("place/area:{p}")));
    if let Some(x) = grid {
        g.push(format!("place/grid:{}", x.as_str()));
    }
    g
}

/// An organisation's grants (department names are for every role that may view departments).
pub fn org_grants() -> Vec<String> {
    vec!["org/*".to_string()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Role;

    fn p(role: Role, scope: Scope) -> Principal {
        Principal {
            account_id: 7,
            role,
            scope,
            can_unmask: false,
        }
    }

    fn holds(p: &Principal, doc: &[String]) -> bool {
        let mine = search_grants(p);
        doc.iter().any(|g| mine.contains(g))
    }

    #[test]
    fn a_case_is_found_by_whoever_lists_it() {
        let community = AreaCode::parse("320508019044").unwrap();
        let grid = GridCode::parse("320508019044001").unwrap();
        let doc = case_grants(Some(&community), Some(&grid), Some("CG"), Some(7));
        let street = p(
            Role::Street,
            Scope::Area(AreaCode::parse("320508019000").unwrap()),
        );
        let other_street = p(
            Role::Street,
            Scope::Area(AreaCode::parse("320508020000").unwrap()),
        );
        let dept = p(Role::Department, Scope::Department("CG".into()));
        let other_dept = p(Role::Department, Scope::Department("ZJ".into()));
        let resident = p(Role::Resident, Scope::SelfOnly);
        let party = p(
            Role::PartyOrg,
            Scope::Area(AreaCode::parse("320508019000").unwrap()),
        );
        assert!(holds(&street, &doc));
        assert!(!holds(&other_street, &doc));
        assert!(holds(&dept, &doc));
        assert!(!holds(&other_dept, &doc));
        assert!(
            holds(&resident, &doc),
            "the reporter (account 7) finds their own case"
        );
        assert!(!holds(&party, &doc), "a party organisation lists no cases");
        assert!(holds(&p(Role::Admin, Scope::All), &doc));
    }

    #[test]
    fn public_documents_are_everyones() {
        for r in [
            p(Role::Resident, Scope::SelfOnly),
            p(Role::Admin, Scope::All),
        ] {
            assert!(holds(&r, &[PUBLIC.to_string()]));
        }
    }
}
