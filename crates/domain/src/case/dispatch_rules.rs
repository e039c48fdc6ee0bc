//! Which department a case goes to (派遣规则): the most specific rule for its category and
//! place, else the category's default department, else the locality (属地兜底, `None`).

use crate::codes::AreaCode;

/// `(category, area, department)`: cases of `category` inside `area` (any level) go to
/// `department`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DispatchRule {
    pub category: String,
    pub area: AreaCode,
    pub department: String,
}

/// The department a new case of `category` in `community` should be dispatched to.
/// A rule for a smaller area beats one for a larger area; with no rule, the category's default;
/// with neither, `None` — the locality handles it.
pub fn suggest_department(
    rules: &[DispatchRule],
    category: &str,
    community: Option<AreaCode>,
    category_default: Option<&str>,
) -> Option<String> {
    let best = community.and_then(|c| {
        rules
            .iter()
            .filter(|r| r.category == category && r.area.contains(&c))
            .max_by_key(|r| r.area.level())
    });
    best.map(|r| r.department.clone())
        .or_else(|| category_default.map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(s: &str) -> AreaCode {
        AreaCode::parse(s).unwrap()
    }

    fn rule(cat: &str, area: &str, dept: &str) -> DispatchRule {
        DispatchRule {
            category: cat.into(),
            area: a(area),
            department: dept.into(),
        }
    }

    #[test]
    fn the_most_specific_rule_wins_then_the_default_then_the_locality() {
        let rules = vec![
            rule("E0101", "320508", "CG"),
            rule("E0101", "320508019000", "ZJ"),
        ];
        let here = Some(a("320508019044"));
        let elsewhere = Some(a("320508020001"));
        assert_eq!(
            suggest_department(&rules, "E0101", here, Some("SW")).as_deref(),
            Some("ZJ")
        );
        assert_eq!(
            suggest_department(&rules, "E0101", elsewhere, Some("SW")).as_deref(),
            Some("CG")
        );
        assert_eq!(
            suggest_department(&rules, "E0202", here, Some("SW")).as_deref(),
            Some("SW")
        );
        assert_eq!(suggest_department(&rules, "E0202", here, None), None);
        assert_eq!(suggest_department(&rules, "E0101", None, None), None);
    }
}
