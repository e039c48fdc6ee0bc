//! Why a diagnosis setting or an action on a finding cannot be accepted, in Chinese and
//! English, naming the field.

use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnosisError {
    /// A setting outside its range.
    BadSetting(&'static str),
    /// A required text left blank, or too long.
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// The finding was acted on already (one supervision order or case per finding).
    AlreadyActed,
    /// Not an action on a finding (supervision, case).
    UnknownAction(String),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "hotspot_window_days" => "热点观察期（天）",
        "baseline_weeks" => "基线周数",
        "alpha" => "显著性水平",
        "hotspot_min_count" => "热点最少案件数",
        "hotspot_min_ratio" => "热点最低倍数",
        "recurrence_min" => "重复发生次数 N",
        "recurrence_radius_m" => "重复发生半径（米）",
        "recurrence_days" => "重复发生期（天）",
        "period_days" => "统计期（天）",
        "lagging_gap_points" => "落后幅度（百分点）",
        "lagging_min_cases" => "落后部门最少案件数",
        "passed_min_departments" => "推诿扯皮最少部门数",
        "topic_count" => "每月一题候选数",
        "topic_min_cases" => "每月一题最少案件数",
        "demand" => "督办要求",
        "description" => "交办内容",
        "action" => "处置方式",
        _ => "内容",
    }
}

/// The maximum length of what is typed when acting on a finding.
pub const MAX_TEXT: usize = 1_000;

impl DiagnosisError {
    /// A required text: trimmed, not blank, at most `MAX_TEXT` characters.
    pub fn required(field: &'static str, v: &str) -> Result<String, DiagnosisError> {
        let t = v.trim();
        if t.is_empty() {
            Err(DiagnosisError::Blank(field))
        } else if t.chars().count() > MAX_TEXT {
            Err(DiagnosisError::TooLong(field, MAX_TEXT))
        } else {
            Ok(t.to_string())
        }
    }
}

impl Bilingual for DiagnosisError {
    fn code(&self) -> &'static str {
        match self {
            DiagnosisError::BadSetting(_) => "diagnosis_setting",
            DiagnosisError::Blank(_) => "blank",
            DiagnosisError::TooLong(..) => "too_long",
            DiagnosisError::AlreadyActed => "finding_acted",
            DiagnosisError::UnknownAction(_) => "unknown_finding_action",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            DiagnosisError::BadSetting(f) => format!("“{}”超出允许范围", field_zh(f)),
            DiagnosisError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            DiagnosisError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            DiagnosisError::AlreadyActed => "该发现已处置（已督办或已立案交办）".into(),
            DiagnosisError::UnknownAction(a) => {
                format!("“{a}”不是处置方式，可选：督办、立案交办")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            DiagnosisError::BadSetting(f) => format!("'{f}' is out of range"),
            DiagnosisError::Blank(f) => format!("'{f}' must not be blank"),
            DiagnosisError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            DiagnosisError::AlreadyActed => {
                "the finding was acted on already (a supervision order or a case)".into()
            }
            DiagnosisError::UnknownAction(a) => {
                format!("'{a}' is not an action on a finding: supervision or case")
            }
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            DiagnosisError::BadSetting(f)
            | DiagnosisError::Blank(f)
            | DiagnosisError::TooLong(f, _) => f,
            DiagnosisError::AlreadyActed => "finding",
            DiagnosisError::UnknownAction(_) => "action",
        };
        Some(f.to_string())
    }
}
