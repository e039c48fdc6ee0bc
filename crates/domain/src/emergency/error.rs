//! Why an emergency act is refused, in Chinese and English, naming the field.

use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmergencyError {
    /// A minutes setting outside its range: the field and the range.
    Setting(&'static str, u32, u32),
    /// The caller answers for no level of this emergency (e.g. supervision watches only).
    NoLevel,
    /// This level acknowledged already.
    AlreadyAcknowledged(super::Tier),
    /// The emergency is over (its case closed, or the drill ended).
    Closed,
    Blank(&'static str),
    TooLong(&'static str, usize),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "grid_minutes" => "网格响应时限（分钟）",
        "community_minutes" => "社区响应时限（分钟）",
        "street_minutes" => "街道响应时限（分钟）",
        "district_minutes" => "区响应时限（分钟）",
        "title" => "演练事件",
        _ => "内容",
    }
}

impl Bilingual for EmergencyError {
    fn code(&self) -> &'static str {
        match self {
            EmergencyError::Setting(..) => "emergency_setting",
            EmergencyError::NoLevel => "emergency_no_level",
            EmergencyError::AlreadyAcknowledged(_) => "emergency_already_acknowledged",
            EmergencyError::Closed => "emergency_closed",
            EmergencyError::Blank(_) => "blank",
            EmergencyError::TooLong(..) => "too_long",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            EmergencyError::Setting(f, lo, hi) => {
                format!("“{}”须在 {lo} 到 {hi} 之间", field_zh(f))
            }
            EmergencyError::NoLevel => "您的账号不对应该紧急事件的任何响应层级".into(),
            EmergencyError::AlreadyAcknowledged(t) => format!("{}已签收该紧急事件", t.zh()),
            EmergencyError::Closed => "该紧急事件已结束".into(),
            EmergencyError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            EmergencyError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
        }
    }

    fn message_en(&self) -> String {
        match self {
            EmergencyError::Setting(f, lo, hi) => format!("'{f}' must be between {lo} and {hi}"),
            EmergencyError::NoLevel => "your account answers for no level of this emergency".into(),
            EmergencyError::AlreadyAcknowledged(t) => {
                format!("the {} level acknowledged this emergency already", t.en())
            }
            EmergencyError::Closed => "this emergency is over".into(),
            EmergencyError::Blank(f) => format!("'{f}' must not be blank"),
            EmergencyError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
        }
    }

    fn field(&self) -> Option<String> {
        match self {
            EmergencyError::Setting(f, ..)
            | EmergencyError::Blank(f)
            | EmergencyError::TooLong(f, _) => Some((*f).to_string()),
            _ => None,
        }
    }
}
