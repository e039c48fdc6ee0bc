//! Users see names, never codes: every action, state, channel, role, satisfaction level and
//! whistle part state has a Chinese label and an English one, and neither is the code.

use gongzhi_domain::access::Role;
use gongzhi_domain::case::{CaseState, Channel, CommandKind, PartState, Satisfaction};

fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// Fails with every missing label at once, so one run lists all the gaps.
fn check(kind: &str, labels: impl IntoIterator<Item = (&'static str, &'static str, &'static str)>) {
    let mut gaps = Vec::new();
    for (code, zh, en) in labels {
        if !has_cjk(zh) || zh == code {
            gaps.push(format!("{kind} {code}: Chinese label {zh:?}"));
        }
        if en.trim().is_empty() || en == code || has_cjk(en) {
            gaps.push(format!("{kind} {code}: English label {en:?}"));
        }
    }
    assert!(gaps.is_empty(), "labels missing:\n{}", gaps.join("\n"));
}

#[test]
fn every_command_has_a_chinese_and_an_english_label() {
    check(
        "command",
        CommandKind::ALL.map(|k| (k.as_str(), k.zh(), k.label_en())),
    );
}

#[test]
fn every_state_has_a_chinese_and_an_english_label() {
    check(
        "state",
        CaseState::ALL.map(|s| (s.as_str(), s.zh(), s.label_en())),
    );
    check(
        "part state",
        PartState::ALL.map(|s| (s.as_str(), s.zh(), s.en())),
    );
}

#[test]
fn every_channel_role_and_satisfaction_has_labels() {
    check(
        "channel",
        Channel::ALL.map(|c| (c.as_str(), c.zh(), c.en())),
    );
    check("role", Role::ALL.map(|r| (r.as_str(), r.zh(), r.en())));
    check(
        "satisfaction",
        Satisfaction::ALL.map(|s| (s.as_str(), s.zh(), s.en())),
    );
}

#[test]
fn every_waiting_step_says_what_is_waiting() {
    let steps: Vec<_> = CommandKind::ALL
        .into_iter()
        .filter(|k| k.is_waiting_step())
        .collect();
    assert!(steps.contains(&CommandKind::Verify));
    let mut gaps = Vec::new();
    for k in steps {
        let (zh, en) = (k.waiting_zh(), k.waiting_en());
        if !has_cjk(&zh) || !zh.starts_with('待') {
            gaps.push(format!("{k}: {zh:?}"));
        }
        if en.trim().is_empty() || has_cjk(&en) || en == k.as_str() {
            gaps.push(format!("{k}: {en:?}"));
        }
    }
    assert!(
        gaps.is_empty(),
        "waiting labels missing:\n{}",
        gaps.join("\n")
    );
    assert_eq!(CommandKind::Verify.waiting_zh(), "待核查");
    assert_eq!(CommandKind::Dispatch.waiting_zh(), "待派遣");
    assert_eq!(CommandKind::Start.waiting_zh(), "待处置");
}

#[test]
fn command_codes_parse_back() {
    for k in CommandKind::ALL {
        assert_eq!(CommandKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(CommandKind::parse("开始处置"), None);
}

struct Names;

impl gongzhi_domain::case::CodeNames for Names {
    fn department(&self, code: &str) -> Option<String> {
        (code == "CG").then(|| "城管局".to_string())
    }
    fn category(&self, code: &str) -> Option<String> {
        (code == "C0203").then(|| "道路破损".to_string())
    }
}

#[test]
fn timeline_lines_name_departments_and_categories() {
    use gongzhi_domain::case::{DeadlineClass, Event};
    let dispatched = Event::Dispatched {
        department: Some("CG".into()),
        is_override: false,
        at: 0,
        deadline: 0,
        calendar_missing: false,
        dispatched_by: None,
    };
    let line = dispatched.zh_named(&Names);
    assert!(line.starts_with("派遣至城管局，"), "{line}");
    assert!(dispatched.zh().starts_with("派遣至部门 CG"));
    let redirected = Event::Redirected {
        from: Some("ZJ".into()),
        to: "CG".into(),
        reason: "职责不符".into(),
        at: 0,
        deadline: 0,
        calendar_missing: false,
        dispatched_by: Some(1),
    };
    let line = redirected.zh_named(&Names);
    assert!(
        line.starts_with("由部门 ZJ改派至城管局") && line.ends_with("：职责不符"),
        "{line}"
    );
    let registered = Event::Registered {
        category: "C0203".into(),
        deadline_class: DeadlineClass::General,
        emergency: false,
    };
    let line = registered.zh_named(&Names);
    assert!(
        line.contains("类别 道路破损") && !line.contains("C0203"),
        "{line}"
    );
}

#[test]
fn every_party_code_has_labels() {
    use gongzhi_domain::party::five_steps::{ActivityKind, Step, StepStatus};
    use gongzhi_domain::party::meetings::MeetingKind;
    use gongzhi_domain::party::{MemberStatus, OrgKind, OrgLevel};
    macro_rules! each {
        ($kind:literal, $t:ty) => {
            check(
                $kind,
                <$t>::ALL.iter().map(|v| (v.as_str(), v.zh(), v.en())),
            )
        };
    }
    each!("org level", OrgLevel);
    each!("org kind", OrgKind);
    each!("member status", MemberStatus);
    each!("meeting kind", MeetingKind);
    each!("step", Step);
    each!("step status", StepStatus);
    each!("activity kind", ActivityKind);
}
