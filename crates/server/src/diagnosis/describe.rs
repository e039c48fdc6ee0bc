//! A finding in words, with names (never codes): its title, its evidence, and the test or rule
//! that raised it — one place for the pages, the API and the workbook.

use crate::i18n::Lang;
use gongzhi_domain::diagnosis::lagging::LaggingRate;
use gongzhi_domain::diagnosis::{Evidence, FindingKind, Settings};
use gongzhi_store::FindingRow;
use std::collections::HashMap;

/// Department names by code, for a passed-around case's chain.
pub type Names = HashMap<String, String>;

fn or_dash(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("—")
}

pub fn title(t: Lang, f: &FindingRow) -> String {
    let cat = or_dash(&f.category_name);
    match f.kind {
        FindingKind::Hotspot => format!("{} · {cat}", or_dash(&f.grid_name)),
        FindingKind::Recurrence => format!("{} · {cat}", or_dash(&f.place_name)),
        FindingKind::Lagging => or_dash(&f.department_name).to_string(),
        FindingKind::PassedAround => format!(
            "{} · {cat} · {}",
            or_dash(&f.place_name),
            or_dash(&f.department_name)
        ),
        FindingKind::MonthlyTopic => format!(
            "{} · {cat}{}",
            or_dash(&f.place_name),
            t.s("", " (candidate)")
        ),
    }
}

fn rate(t: Lang, r: &LaggingRate) -> String {
    let name = t.s(r.rate.zh(), r.rate.en());
    let n = |x: f64| {
        if x.fract() == 0.0 {
            format!("{x:.0}")
        } else {
            format!("{x:.1}")
        }
    };
    match t {
        Lang::Zh => format!(
            "{name} {:.2}%（{}/{}），全市 {:.2}%（{}/{}），低 {:.2} 个百分点",
            r.percent,
            n(r.numerator),
            r.denominator,
            r.city_percent,
            n(r.city_numerator),
            r.city_denominator,
            r.city_percent - r.percent
        ),
        Lang::En => format!(
            "{name} {:.2}% ({}/{}), city {:.2}% ({}/{}): {:.2} points below",
            r.percent,
            n(r.numerator),
            r.denominator,
            r.city_percent,
            n(r.city_numerator),
            r.city_denominator,
            r.city_percent - r.percent
        ),
    }
}

/// The evidence behind `f`, in a sentence or two.
pub fn evidence(t: Lang, f: &FindingRow, names: &Names) -> String {
    let at = |ms: i64| crate::time::local(ms);
    match (&f.evidence, t) {
        (Evidence::Hotspot(e), Lang::Zh) => format!(
            "近 {} 天 {} 件，此前 {} 天 {} 件，按基线预期 {:.2} 件；泊松上尾 p = {:.2e} ≤ α/m = {}/{} = {:.2e}",
            e.window_days,
            e.count,
            e.baseline_days,
            e.baseline,
            e.expected,
            e.p_value,
            e.alpha,
            e.cells_tested,
            e.threshold
        ),
        (Evidence::Hotspot(e), Lang::En) => format!(
            "{} in the last {} days against {} in the {} days before (expected {:.2}); Poisson upper tail p = {:.2e} ≤ α/m = {}/{} = {:.2e}",
            e.count,
            e.window_days,
            e.baseline,
            e.baseline_days,
            e.expected,
            e.p_value,
            e.alpha,
            e.cells_tested,
            e.threshold
        ),
        (Evidence::Recurrence(e), Lang::Zh) => format!(
            "{} 天内同一地点 {:.0} 米范围内同类问题 {} 次（N = {}），首次 {}，最近 {}",
            e.days,
            e.radius_m,
            e.count,
            e.min,
            at(e.first_at),
            at(e.last_at)
        ),
        (Evidence::Recurrence(e), Lang::En) => format!(
            "{} reports of one category within {:.0} m in {} days (N = {}), first {}, last {}",
            e.count,
            e.radius_m,
            e.days,
            e.min,
            at(e.first_at),
            at(e.last_at)
        ),
        (Evidence::Lagging(e), _) => {
            let rates: Vec<String> = e.rates.iter().map(|r| rate(t, r)).collect();
            match t {
                Lang::Zh => format!(
                    "近 {} 天 {} 件：{}",
                    e.period_days,
                    e.cases,
                    rates.join("；")
                ),
                Lang::En => format!(
                    "{} cases in {} days: {}",
                    e.cases,
                    e.period_days,
                    rates.join("; ")
                ),
            }
        }
        (Evidence::PassedAround(e), _) => {
            let chain: Vec<String> = e
                .chain
                .iter()
                .map(|m| {
                    let d = m
                        .department
                        .as_ref()
                        .map(|d| names.get(d).cloned().unwrap_or_else(|| d.clone()))
                        .unwrap_or_else(|| t.s("属地", "locality").to_string());
                    format!("{} {d}", t.s(m.kind.zh(), m.kind.en()))
                })
                .collect();
            match t {
                Lang::Zh => format!(
                    "{}（经 {} 个部门，回退 {} 次，改派 {} 次）",
                    chain.join(" → "),
                    e.departments.len(),
                    e.returns,
                    e.redirects
                ),
                Lang::En => format!(
                    "{} ({} departments, {} returns, {} redirections)",
                    chain.join(" → "),
                    e.departments.len(),
                    e.returns,
                    e.redirects
                ),
            }
        }
        (Evidence::MonthlyTopic(e), _) => {
            let sat = e
                .satisfaction_percent
                .map(|p| format!("{p:.2}%"))
                .unwrap_or_else(|| "—".into());
            let [v, r, d, p] = e.parts;
            match t {
                Lang::Zh => format!(
                    "{} 候选：近 {} 天 {} 件，重复发生 {} 件，推诿扯皮 {} 件，满意率 {sat}（有效回访 {} 件）；得分 {:.2} = 规模 {v:.2} + 重复 {r:.2} + 不满意 {d:.2} + 推诿 {p:.2}",
                    e.month, e.period_days, e.cases, e.recurring, e.passed_around, e.rated, f.score
                ),
                Lang::En => format!(
                    "{}: {} cases in {} days, {} recurring, {} passed around, satisfaction {sat} ({} follow-ups); score {:.2} = volume {v:.2} + recurrence {r:.2} + dissatisfaction {d:.2} + passing {p:.2}",
                    e.month, e.cases, e.period_days, e.recurring, e.passed_around, e.rated, f.score
                ),
            }
        }
    }
}

/// The rule or test behind a kind of finding, as the page states it.
pub fn method(t: Lang, kind: FindingKind, s: &Settings) -> String {
    match (kind, t) {
        (FindingKind::Hotspot, Lang::Zh) => format!(
            "方法：每个网格 × 类别，近 {} 天的件数 k 与其自身基线（此前 {} 周）比较。预期 λ = (基线件数 + 0.5) × {} / {}。k ≥ {} 件的格子参与检验（共 m 个），k ≥ {} × λ 且泊松上尾概率 P(X ≥ k | λ) ≤ α/m（α = {}，Bonferroni 校正）即为热点。",
            s.hotspot_window_days,
            s.baseline_weeks,
            s.hotspot_window_days,
            7 * s.baseline_weeks,
            s.hotspot_min_count,
            s.hotspot_min_ratio,
            s.alpha
        ),
        (FindingKind::Hotspot, Lang::En) => format!(
            "Method: for each grid × category, the count k in the last {} days against its own baseline (the {} weeks before). Expected λ = (baseline + 0.5) × {} / {}. Cells with k ≥ {} are tested (m of them); a hotspot has k ≥ {} × λ and Poisson upper tail P(X ≥ k | λ) ≤ α/m (α = {}, Bonferroni).",
            s.hotspot_window_days,
            s.baseline_weeks,
            s.hotspot_window_days,
            7 * s.baseline_weeks,
            s.hotspot_min_count,
            s.hotspot_min_ratio,
            s.alpha
        ),
        (FindingKind::Recurrence, Lang::Zh) => format!(
            "规则：{} 天内同一地点（{:.0} 米内）同一类别反映不少于 {} 次；每件案件只计入一处。",
            s.recurrence_days, s.recurrence_radius_m, s.recurrence_min
        ),
        (FindingKind::Recurrence, Lang::En) => format!(
            "Rule: the same category at the same place (within {:.0} m) at least {} times in {} days; each case counts at one place only.",
            s.recurrence_radius_m, s.recurrence_min, s.recurrence_days
        ),
        (FindingKind::Lagging, Lang::Zh) => format!(
            "规则：近 {} 天，部门的按期处置率、解决率、满意率（满意 + 0.9 × 基本满意）比全市低 {:.0} 个百分点以上，且分母不少于 {} 件。",
            s.period_days, s.lagging_gap_points, s.lagging_min_cases
        ),
        (FindingKind::Lagging, Lang::En) => format!(
            "Rule: over {} days, a department's on-time handling, resolution or satisfaction rate (satisfied + 0.9 × basically satisfied) at least {:.0} points below the city's, over at least {} cases.",
            s.period_days, s.lagging_gap_points, s.lagging_min_cases
        ),
        (FindingKind::PassedAround, Lang::Zh) => format!(
            "规则：近 {} 天受理的案件，经派遣、回退、改派在不少于 {} 个部门之间流转。",
            s.period_days, s.passed_min_departments
        ),
        (FindingKind::PassedAround, Lang::En) => format!(
            "Rule: cases of the last {} days dispatched, returned or redirected across at least {} departments.",
            s.period_days, s.passed_min_departments
        ),
        (FindingKind::MonthlyTopic, Lang::Zh) => format!(
            "评分：每个街道 × 类别（近 {} 天不少于 {} 件），规模 40 分（与最大者之比）+ 重复发生 20 分（占比）+ 不满意 20 分（1 − 满意率）+ 推诿扯皮 20 分（占比），取前 {} 名。",
            s.period_days, s.topic_min_cases, s.topic_count
        ),
        (FindingKind::MonthlyTopic, Lang::En) => format!(
            "Score: per street × category (at least {} cases in {} days), volume 40 (against the largest) + recurrence 20 (share) + dissatisfaction 20 (1 − satisfaction) + passing 20 (share); the top {}.",
            s.topic_min_cases, s.period_days, s.topic_count
        ),
    }
}
