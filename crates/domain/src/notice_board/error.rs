//! Why a notice cannot be accepted or changed, in Chinese and English, naming the field.

use super::{NoticeKind, NoticeState};
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    UnknownKind(String),
    /// The period ends before it starts.
    UntilBeforeFrom,
    /// A link to the subject that is not a path of ours or an http(s) address.
    BadLink,
    /// Only a draft or a published notice changes; only a draft is published, only a published
    /// notice is withdrawn.
    WrongState {
        state: NoticeState,
        action: &'static str,
    },
    /// An attachment that is not a PDF or an image.
    AttachmentType(String),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "title" => "标题",
        "body" => "正文",
        "reason" => "撤回理由",
        "subject_text" => "关联事项",
        "subject_url" => "关联链接",
        _ => "内容",
    }
}

impl Bilingual for NoticeError {
    fn code(&self) -> &'static str {
        match self {
            NoticeError::Blank(_) => "blank",
            NoticeError::TooLong(..) => "too_long",
            NoticeError::UnknownKind(_) => "unknown_notice_kind",
            NoticeError::UntilBeforeFrom => "until_before_from",
            NoticeError::BadLink => "bad_subject_link",
            NoticeError::WrongState { .. } => "notice_state",
            NoticeError::AttachmentType(_) => "attachment_type",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            NoticeError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            NoticeError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            NoticeError::UnknownKind(k) => format!(
                "“{k}”不是公示类别，可选：{}",
                NoticeKind::ALL
                    .iter()
                    .map(|k| k.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            NoticeError::UntilBeforeFrom => "公示截止日期不能早于开始日期".into(),
            NoticeError::BadLink => "关联链接须是本系统的路径（以 / 开头）或 http(s) 网址".into(),
            NoticeError::WrongState { state, action } => {
                format!("公示当前为“{}”，不能{}", state.zh(), action_zh(action))
            }
            NoticeError::AttachmentType(m) => {
                format!("附件只能是 PDF 或图片（JPEG、PNG、WebP），不能是 {m}")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            NoticeError::Blank(f) => format!("'{f}' must not be blank"),
            NoticeError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            NoticeError::UnknownKind(k) => format!(
                "'{k}' is not a notice kind; one of: {}",
                NoticeKind::ALL
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            NoticeError::UntilBeforeFrom => "the publication period ends before it starts".into(),
            NoticeError::BadLink => {
                "the subject link is a path of this site (starting with /) or an http(s) address"
                    .into()
            }
            NoticeError::WrongState { state, action } => {
                format!("the notice is {}: it cannot be {action}", state.en())
            }
            NoticeError::AttachmentType(m) => {
                format!("an attachment is a PDF or an image (JPEG, PNG, WebP), not {m}")
            }
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            NoticeError::Blank(f) | NoticeError::TooLong(f, _) => f,
            NoticeError::UnknownKind(_) => "kind",
            NoticeError::UntilBeforeFrom => "until",
            NoticeError::BadLink => "subject_url",
            NoticeError::WrongState { .. } => "state",
            NoticeError::AttachmentType(_) => "attachment",
        };
        Some(f.to_string())
    }
}

fn action_zh(action: &str) -> &'static str {
    match action {
        "published" => "发布",
        "changed" => "修改",
        "withdrawn" => "撤回",
        _ => "操作",
    }
}
