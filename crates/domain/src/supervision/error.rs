//! Why a supervision order or a reply cannot be accepted, in Chinese and English, naming the
//! field.

use super::OrderStatus;
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SupervisionError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// Not a kind of supervised item (case, task, commitment, project).
    UnknownKind(String),
    /// A clock setting outside its range: the field and the allowed range.
    Setting(&'static str, u32, u32),
    /// The accountability suggestion comes before the supervision notice.
    SuggestBeforeNotice,
    /// The order's status does not allow the act (answering a closed order, accepting an
    /// order not answered yet).
    WrongStatus {
        status: OrderStatus,
        action: &'static str,
    },
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "demand" => "督办要求",
        "note" => "答复内容",
        "result" => "办理结果",
        "reason" => "退回理由",
        "days" => "督办时限（天）",
        "warn_days" => "提前提醒（天）",
        "notice_after_days" => "逾期发督办通知（天）",
        "suggest_after_days" => "逾期建议问责（天）",
        _ => "内容",
    }
}

fn action_zh(a: &str) -> &'static str {
    match a {
        "answered" => "答复",
        "accepted" => "审核通过",
        "returned" => "退回",
        _ => "操作",
    }
}

impl Bilingual for SupervisionError {
    fn code(&self) -> &'static str {
        match self {
            SupervisionError::Blank(_) => "blank",
            SupervisionError::TooLong(..) => "too_long",
            SupervisionError::UnknownKind(_) => "unknown_supervised_kind",
            SupervisionError::Setting(..) => "supervision_setting",
            SupervisionError::SuggestBeforeNotice => "suggest_before_notice",
            SupervisionError::WrongStatus { .. } => "supervision_status",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            SupervisionError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            SupervisionError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            SupervisionError::UnknownKind(k) => {
                format!("“{k}”不是可督办的事项，可选：案件、决议任务、共建承诺、民生项目")
            }
            SupervisionError::Setting(f, lo, hi) => {
                format!("“{}”须在 {lo} 到 {hi} 之间", field_zh(f))
            }
            SupervisionError::SuggestBeforeNotice => "建议问责不能早于发出督办通知".into(),
            SupervisionError::WrongStatus { status, action } => {
                format!("督办当前为“{}”，不能{}", status.zh(), action_zh(action))
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            SupervisionError::Blank(f) => format!("'{f}' must not be blank"),
            SupervisionError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            SupervisionError::UnknownKind(k) => {
                format!("'{k}' cannot be supervised; one of: case, task, commitment, project")
            }
            SupervisionError::Setting(f, lo, hi) => {
                format!("'{f}' must be between {lo} and {hi}")
            }
            SupervisionError::SuggestBeforeNotice => {
                "accountability cannot be suggested before the supervision notice".into()
            }
            SupervisionError::WrongStatus { status, action } => {
                format!("the order is {}: it cannot be {action}", status.en())
            }
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            SupervisionError::Blank(f)
            | SupervisionError::TooLong(f, _)
            | SupervisionError::Setting(f, ..) => f,
            SupervisionError::UnknownKind(_) => "kind",
            SupervisionError::SuggestBeforeNotice => "suggest_after_days",
            SupervisionError::WrongStatus { .. } => "status",
        };
        Some(f.to_string())
    }
}
