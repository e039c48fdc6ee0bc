//! The audit log as sentences: the store records acts as short machine lines
//! (`account.create` · `account:li` · `role=street scope=area:3205… can_unmask=false`) so that
//! they stay stable and greppable; administrators read them here in Chinese or English.

use crate::grid_index::Places;
use crate::i18n::Lang;
use crate::imports::DataKind;
use gongzhi_domain::access::Role;
use gongzhi_domain::access::Scope;
use gongzhi_domain::codes::AreaCode;
use gongzhi_store::{AuditEntry, Lookups, scope_from_db};

/// Where the names of departments, areas and grids come from; a missing source leaves codes.
#[derive(Default, Clone, Copy)]
pub struct Names<'a> {
    pub lookups: Option<&'a Lookups>,
    pub places: Option<&'a Places>,
}

/// `key=value` pairs of a detail line; a value runs to the next ` key=` (reasons have spaces).
fn fields(detail: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let starts: Vec<usize> = detail
        .match_indices('=')
        .filter_map(|(eq, _)| {
            let key_start = detail[..eq].rfind(' ').map_or(0, |s| s + 1);
            let key = &detail[key_start..eq];
            (!key.is_empty() && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'))
                .then_some(key_start)
        })
        .collect();
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).map_or(detail.len(), |n| n - 1);
        if let Some((k, v)) = detail[start..end.max(start)].split_once('=') {
            out.push((k, v.trim()));
        }
    }
    out
}

fn get<'a>(pairs: &[(&str, &'a str)], key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("", |(_, v)| *v)
}

fn role(t: Lang, code: &str) -> String {
    Role::parse(code).map_or_else(|_| code.to_string(), |r| t.s(r.zh(), r.en()).to_string())
}

fn scope(t: Lang, code: &str, names: Names) -> String {
    match scope_from_db(code) {
        Some(s) => scope_label(t, &s, names),
        None => code.to_string(),
    }
}

/// An account's scope by name: 全部, 本人, the area's or grid's name, the department's name.
pub fn scope_label(t: Lang, scope: &Scope, names: Names) -> String {
    match scope {
        Scope::All => t.s("全部", "everything").into(),
        Scope::SelfOnly => t.s("本人", "self only").into(),
        Scope::Area(a) => names.places.and_then(|p| p.area(a)).map_or_else(
            || format!("{}{a}", t.s("行政区划 ", "area ")),
            |r| r.name.clone(),
        ),
        Scope::Grid(g) => names.places.and_then(|p| p.grid(g)).map_or_else(
            || format!("{}{g}", t.s("网格 ", "grid ")),
            |r| r.name.clone(),
        ),
        Scope::Department(d) => names
            .lookups
            .and_then(|l| l.departments.get(d.as_str()))
            .map_or_else(|| d.to_string(), |x| x.name.clone()),
    }
}

/// "account:42" → "#42", "account:li" → "「li」" (“li” in English).
fn account(t: Lang, subject: &str) -> String {
    let s = subject.strip_prefix("account:").unwrap_or(subject);
    if s.bytes().all(|b| b.is_ascii_digit()) {
        format!("#{s}")
    } else {
        // Quoted: a login name is the user's own word, not one of ours.
        t.s(&format!("「{s}」"), &format!("“{s}”")).to_string()
    }
}

fn data_kind(t: Lang, code: &str) -> String {
    match code {
        "hotline" => t.s("12345热线工单", "12345 hotline tickets").into(),
        "dispatch_rules" => t.s("派遣规则", "dispatch rules").into(),
        "cases" => t.s("案件", "cases").into(),
        "party_orgs" => t.s("党组织", "party organisations").into(),
        "party_members" => t.s("党员", "party members").into(),
        "party_units" => t.s("驻区单位", "units in the area").into(),
        "red-grid-coverage" => t.s("红色网格联户覆盖", "red grid coverage").into(),
        "red-grid-visits" => t.s("民情日记", "visit diary").into(),
        "red-grid-mediations" => t.s("矛盾调解记录", "mediation records").into(),
        "deliberation-topics" => t.s("议事协商议题", "deliberation topics").into(),
        "deliberation-meetings" => t.s("协商议事会", "deliberation meetings").into(),
        "deliberation-resolutions" => t.s("决议落实事项", "resolution items").into(),
        _ => DataKind::ALL
            .into_iter()
            .find(|k| k.as_str() == code)
            .map_or_else(|| code.to_string(), |k| t.s(k.zh(), k.as_str()).to_string()),
    }
}

/// The leading number of "12 records" / "12 cases from file.xlsx".
fn count(detail: &str) -> &str {
    detail.split_whitespace().next().unwrap_or("0")
}

/// One audit entry as a sentence; an act this file does not know is shown as recorded.
pub fn sentence(t: Lang, e: &AuditEntry, names: Names) -> String {
    let f = fields(&e.detail);
    let en = t.is_en();
    let yes = |k: &str| get(&f, k) == "true";
    match e.action.as_str() {
        "account.create" | "account.set_role" => {
            let who = account(t, &e.subject);
            let unmask = match (yes("can_unmask"), en) {
                (true, false) => "，可查看完整个人信息",
                (true, true) => ", may see unmasked personal data",
                _ => "",
            };
            let (r, s) = (role(t, get(&f, "role")), scope(t, get(&f, "scope"), names));
            match (e.action.as_str(), en) {
                ("account.create", false) => format!("创建账号 {who}：{r}，范围 {s}{unmask}"),
                ("account.create", true) => {
                    format!("Created account {who}: {r}, scope {s}{unmask}")
                }
                (_, false) => format!("将账号 {who} 设为{r}，范围 {s}{unmask}"),
                (_, true) => format!("Set account {who} to {r}, scope {s}{unmask}"),
            }
        }
        "account.reset_password" => {
            let who = account(t, &e.subject);
            t.s(
                &format!("重置账号 {who} 的密码"),
                &format!("Reset the password of account {who}"),
            )
            .to_string()
        }
        "account.disable" | "account.enable" => {
            let who = account(t, &e.subject);
            match (e.action.as_str(), en) {
                ("account.disable", false) => format!("停用账号 {who}"),
                ("account.disable", true) => format!("Disabled account {who}"),
                (_, false) => format!("启用账号 {who}"),
                (_, true) => format!("Enabled account {who}"),
            }
        }
        "token.create" => {
            let who = account(t, &e.subject);
            if en {
                format!("Issued API token “{}” to account {who}", e.detail)
            } else {
                format!("为账号 {who} 签发 API 令牌“{}”", e.detail)
            }
        }
        "webhook.create" => {
            let name = e.subject.splitn(3, ':').nth(2).unwrap_or(&e.subject);
            if en {
                format!("Created webhook “{name}” to {}", get(&f, "url"))
            } else {
                format!("创建推送“{name}”，地址 {}", get(&f, "url"))
            }
        }
        "webhook.enable" | "webhook.disable" => {
            let id = e.subject.strip_prefix("webhook:").unwrap_or(&e.subject);
            match (e.action.as_str(), en) {
                ("webhook.enable", false) => format!("启用推送 #{id}"),
                ("webhook.enable", true) => format!("Enabled webhook #{id}"),
                (_, false) => format!("停用推送 #{id}"),
                (_, true) => format!("Disabled webhook #{id}"),
            }
        }
        "pii.search" => {
            let (n, reason) = (get(&f, "matches"), get(&f, "reason"));
            if en {
                format!(
                    "Searched residents by number ({}): {n} found; reason: {reason}",
                    e.subject
                )
            } else {
                format!(
                    "按号码查找居民（{}）：找到 {n} 人，事由：{reason}",
                    e.subject
                )
            }
        }
        "pii.reveal_reporter_phone" => {
            let ticket = e.subject.strip_prefix("case:").unwrap_or(&e.subject);
            let reason = get(&f, "reason");
            if en {
                format!("Revealed the reporter's phone of case {ticket}; reason: {reason}")
            } else {
                format!("查看案件 {ticket} 的反映人电话，事由：{reason}")
            }
        }
        "import" => {
            let (kind, n) = (data_kind(t, &e.subject), count(&e.detail));
            if en {
                format!("Imported {n} records of {kind}")
            } else {
                format!("导入{kind} {n} 条")
            }
        }
        "export" => {
            let (rows, format) = (get(&f, "rows"), get(&f, "format"));
            let kind = data_kind(t, &e.subject);
            if en {
                format!("Exported {rows} rows of {kind} as {format}")
            } else {
                format!("导出{kind} {rows} 行（{format}）")
            }
        }
        "red_grid_settings.set" => {
            let (min, max) = (get(&f, "min"), get(&f, "max"));
            if en {
                format!("Setting: each red grid member serves {min}–{max} households")
            } else {
                format!("设置：每名红色网格员联系 {min}–{max} 户")
            }
        }
        "loop_settings.set" => {
            let key = e.subject.strip_prefix("setting:").unwrap_or(&e.subject);
            let on = get(&f, "value") == "true";
            match (key, on, en) {
                ("verification_by_grid", true, false) => "设置：网格员核查本网格案件".into(),
                ("verification_by_grid", false, false) => "设置：核查仅由街道（乡镇）办理".into(),
                ("verification_by_grid", true, true) => {
                    "Setting: grid workers verify cases in their grid".into()
                }
                ("verification_by_grid", false, true) => {
                    "Setting: only the street verifies cases".into()
                }
                (_, _, false) => format!("设置 {key} = {}", get(&f, "value")),
                (_, _, true) => format!("Set {key} = {}", get(&f, "value")),
            }
        }
        "set_dispatch_rule" | "delete_dispatch_rule" => {
            let (category, area) = e.subject.split_once('@').unwrap_or((&e.subject, ""));
            let category = names
                .lookups
                .and_then(|l| l.categories.get(category))
                .map_or_else(|| category.to_string(), |c| c.name.clone());
            let department = names
                .lookups
                .and_then(|l| l.departments.get(&e.detail))
                .map_or_else(|| e.detail.clone(), |d| d.name.clone());
            let area = AreaCode::parse(area)
                .ok()
                .and_then(|a| names.places.and_then(|p| p.area(&a)))
                .map_or_else(|| area.to_string(), |r| r.name.clone());
            match (e.action.as_str(), en) {
                ("set_dispatch_rule", false) => {
                    format!("派遣规则：{area} 的“{category}”派遣至{department}")
                }
                ("set_dispatch_rule", true) => {
                    format!("Dispatch rule: “{category}” in {area} goes to {department}")
                }
                (_, false) => format!("删除派遣规则：{area} 的“{category}”（{department}）"),
                (_, true) => {
                    format!("Deleted the dispatch rule for “{category}” in {area} ({department})")
                }
            }
        }
        _ => format!("{} {} {}", e.action, e.subject, e.detail),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(action: &str, subject: &str, detail: &str) -> AuditEntry {
        AuditEntry {
            id: 1,
            at: 0,
            actor_id: None,
            actor_name: "system".into(),
            actor_display_name: None,
            action: action.into(),
            subject: subject.into(),
            detail: detail.into(),
        }
    }

    #[test]
    fn loop_settings_read_as_sentences() {
        let off = entry(
            "loop_settings.set",
            "setting:verification_by_grid",
            "value=false",
        );
        assert_eq!(
            sentence(Lang::Zh, &off, Names::default()),
            "设置：核查仅由街道（乡镇）办理"
        );
        let on = entry(
            "loop_settings.set",
            "setting:verification_by_grid",
            "value=true",
        );
        assert_eq!(
            sentence(Lang::En, &on, Names::default()),
            "Setting: grid workers verify cases in their grid"
        );
    }

    #[test]
    fn account_acts_read_as_sentences() {
        let e = entry(
            "account.create",
            "account:li",
            "role=street scope=area:320508019000 can_unmask=true",
        );
        assert_eq!(
            sentence(Lang::Zh, &e, Names::default()),
            "创建账号 「li」：街道，范围 行政区划 320508019000，可查看完整个人信息"
        );
        assert_eq!(
            sentence(Lang::En, &e, Names::default()),
            "Created account “li”: Street office, scope area 320508019000, may see unmasked personal data"
        );
        let e = entry("account.disable", "account:42", "");
        assert_eq!(sentence(Lang::Zh, &e, Names::default()), "停用账号 #42");
    }

    #[test]
    fn a_reporter_phone_reveal_and_a_case_export_read_as_sentences() {
        let e = entry(
            "pii.reveal_reporter_phone",
            "case:20261206-0001",
            "reason=回访 反映人",
        );
        assert_eq!(
            sentence(Lang::Zh, &e, Names::default()),
            "查看案件 20261206-0001 的反映人电话，事由：回访 反映人"
        );
        let e = entry(
            "export",
            "cases",
            "region=area=320508019044 format=xlsx rows=3",
        );
        assert_eq!(
            sentence(Lang::Zh, &e, Names::default()),
            "导出案件 3 行（xlsx）"
        );
    }

    #[test]
    fn reasons_with_spaces_stay_whole() {
        let e = entry("pii.search", "phone", "matches=2 reason=回访 张 先生");
        assert_eq!(
            sentence(Lang::Zh, &e, Names::default()),
            "按号码查找居民（phone）：找到 2 人，事由：回访 张 先生"
        );
    }

    #[test]
    fn every_recorded_act_has_a_sentence() {
        for (action, subject, detail) in [
            (
                "account.create",
                "account:li",
                "role=street scope=all can_unmask=false",
            ),
            (
                "account.set_role",
                "account:3",
                "role=department scope=department:CG can_unmask=false",
            ),
            ("account.reset_password", "account:3", ""),
            ("account.enable", "account:3", ""),
            ("token.create", "account:3", "ci"),
            (
                "webhook.create",
                "webhook:1:钉钉",
                "url=https://x format=json events=* secret=set",
            ),
            ("webhook.disable", "webhook:1", ""),
            ("import", "hotline", "12 cases"),
            ("export", "residents", "region=all format=xlsx rows=3"),
            ("export", "cases", "region=q=x&area=1 format=xlsx rows=3"),
            ("pii.reveal_reporter_phone", "case:T1", "reason=回访"),
            ("set_dispatch_rule", "E0102@320508", "CG"),
            ("delete_dispatch_rule", "E0102@320508", "CG"),
            ("red_grid_settings.set", "setting:red_grid", "min=5 max=10"),
            (
                "export",
                "red-grid-coverage",
                "region=red_grid format=xlsx rows=9",
            ),
        ] {
            let e = entry(action, subject, detail);
            for t in [Lang::Zh, Lang::En] {
                let s = sentence(t, &e, Names::default());
                assert!(!s.contains(action) && !s.contains('='), "{action}: {s}");
            }
        }
    }
}
