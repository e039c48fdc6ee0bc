//! The county report's table (appendix, 三(一)): problems found by category, people handled by
//! accountability action, and both by unit, for a period — with totals that add up, because
//! every row is counted once in exactly one cell of each breakdown.

use super::AccountabilityAction;
use serde::Serialize;
use std::collections::BTreeMap;

/// A report received in the period: its category, the unit it concerns (kind:code) and whether
/// it was concluded substantiated (a problem found).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportFact {
    pub category: String,
    pub unit: String,
    pub substantiated: bool,
}

/// An action decided in the period on one official of `unit`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandledAction {
    pub action: AccountabilityAction,
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CategoryRow {
    pub category: String,
    pub received: i64,
    pub substantiated: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActionRow {
    pub action: AccountabilityAction,
    pub people: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitRow {
    pub unit: String,
    pub received: i64,
    pub substantiated: i64,
    pub people: i64,
    /// People handled by each action, in the ladder's order (`AccountabilityAction::ALL`).
    pub by_action: Vec<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Statistics {
    pub categories: Vec<CategoryRow>,
    pub actions: Vec<ActionRow>,
    pub units: Vec<UnitRow>,
    pub received: i64,
    pub substantiated: i64,
    pub people: i64,
}

/// The table for the period's reports and actions; `categories` gives the rows' order (every
/// configured category, with zeros), codes not in it follow.
pub fn tabulate(
    categories: &[String],
    reports: &[ReportFact],
    actions: &[HandledAction],
) -> Statistics {
    let mut cats: Vec<CategoryRow> = categories
        .iter()
        .map(|c| CategoryRow {
            category: c.clone(),
            received: 0,
            substantiated: 0,
        })
        .collect();
    let mut units: BTreeMap<String, UnitRow> = BTreeMap::new();
    let unit_row = |units: &mut BTreeMap<String, UnitRow>, u: &str| {
        units.entry(u.to_string()).or_insert_with(|| UnitRow {
            unit: u.to_string(),
            received: 0,
            substantiated: 0,
            people: 0,
            by_action: vec![0; AccountabilityAction::ALL.len()],
        });
    };
    for r in reports {
        let i = match cats.iter().position(|c| c.category == r.category) {
            Some(i) => i,
            None => {
                cats.push(CategoryRow {
                    category: r.category.clone(),
                    received: 0,
                    substantiated: 0,
                });
                cats.len() - 1
            }
        };
        cats[i].received += 1;
        cats[i].substantiated += i64::from(r.substantiated);
        unit_row(&mut units, &r.unit);
        let u = units.get_mut(&r.unit).expect("just added");
        u.received += 1;
        u.substantiated += i64::from(r.substantiated);
    }
    let mut acts: Vec<ActionRow> = AccountabilityAction::ALL
        .iter()
        .map(|a| ActionRow {
            action: *a,
            people: 0,
        })
        .collect();
    for a in actions {
        let i = a.action.step() - 1;
        acts[i].people += 1;
        unit_row(&mut units, &a.unit);
        let u = units.get_mut(&a.unit).expect("just added");
        u.people += 1;
        u.by_action[i] += 1;
    }
    Statistics {
        received: reports.len() as i64,
        substantiated: reports.iter().filter(|r| r.substantiated).count() as i64,
        people: actions.len() as i64,
        categories: cats,
        actions: acts,
        units: units.into_values().collect(),
    }
}

impl Statistics {
    /// Every breakdown sums to the totals.
    pub fn adds_up(&self) -> bool {
        let c_recv: i64 = self.categories.iter().map(|c| c.received).sum();
        let c_sub: i64 = self.categories.iter().map(|c| c.substantiated).sum();
        let a: i64 = self.actions.iter().map(|a| a.people).sum();
        let u_recv: i64 = self.units.iter().map(|u| u.received).sum();
        let u_people: i64 = self.units.iter().map(|u| u.people).sum();
        let rows_ok = self
            .units
            .iter()
            .all(|u| u.by_action.iter().sum::<i64>() == u.people);
        c_recv == self.received
            && u_recv == self.received
            && c_sub == self.substantiated
            && a == self.people
            && u_people == self.people
            && rows_ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_adds_up_per_category_action_and_unit() {
        let cats = vec!["idleness".to_string(), "bribery".to_string()];
        let r = |c: &str, u: &str, s: bool| ReportFact {
            category: c.into(),
            unit: u.into(),
            substantiated: s,
        };
        let a = |a: AccountabilityAction, u: &str| HandledAction {
            action: a,
            unit: u.into(),
        };
        let st = tabulate(
            &cats,
            &[
                r("idleness", "department:CG", true),
                r("idleness", "department:ZJ", false),
                r("buck_passing", "department:CG", true),
            ],
            &[
                a(AccountabilityAction::Interview, "department:CG"),
                a(AccountabilityAction::Interview, "department:CG"),
                a(AccountabilityAction::PartyDiscipline, "area:320508019044"),
            ],
        );
        assert!(st.adds_up());
        assert_eq!((st.received, st.substantiated, st.people), (3, 2, 3));
        assert_eq!(st.categories[0].received, 2);
        assert_eq!(st.categories[1].received, 0);
        assert_eq!(st.categories[2].category, "buck_passing");
        assert_eq!(st.actions[1].people, 2);
        assert_eq!(st.actions[9].people, 1);
        let cg = st.units.iter().find(|u| u.unit == "department:CG").unwrap();
        assert_eq!((cg.received, cg.people, cg.by_action[1]), (2, 2, 2));
    }
}
