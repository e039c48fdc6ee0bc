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
fn command_codes_parse_back() {
    for k in CommandKind::ALL {
        assert_eq!(CommandKind::parse(k.as_str()), Some(k));
    }
    assert_eq!(CommandKind::parse("开始处置"), None);
}
