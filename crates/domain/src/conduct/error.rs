//! Why a report, an investigation step or an accountability action is refused, in Chinese and
//! English, naming the field.

use super::{AccountabilityAction, ReportChannel, ReportState};
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConductError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// No such category, or a disabled one.
    UnknownCategory(String),
    /// A category code that is not 2–32 lower-case letters, digits or `_`.
    BadCategoryCode(String),
    UnknownChannel(String),
    UnknownAction(String),
    UnknownSanction(String),
    /// 政纪处分 / 党纪处分 without its grade on the sub-scale, or a grade on any other action.
    SanctionGrade(AccountabilityAction),
    /// The channel is not open to this filer (e.g. 举报电话 is taken by a supervisor).
    ChannelNotOpen(ReportChannel),
    /// The report's state does not allow the step.
    WrongState {
        state: ReportState,
        action: &'static str,
    },
    /// An investigation needs at least one investigator.
    NoInvestigator,
    /// A date in the future.
    FutureDate(&'static str),
    /// An evidence file that is not a PDF or an image.
    AttachmentType(String),
    /// A signal threshold out of its range.
    BadThreshold(&'static str),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "description" => "问题描述",
        "official" => "被反映人职务/姓名",
        "reporter_name" => "举报人姓名",
        "reason" => "理由",
        "findings" => "核查情况",
        "public_text" => "公开答复",
        "evidence" => "证据",
        "official_post" => "被问责人职务",
        "basis" => "问责依据",
        "name" => "名称",
        "unit" => "被反映单位",
        "area" => "所在区域",
        _ => "内容",
    }
}

impl Bilingual for ConductError {
    fn code(&self) -> &'static str {
        match self {
            ConductError::Blank(_) => "blank",
            ConductError::TooLong(..) => "too_long",
            ConductError::UnknownCategory(_) => "unknown_misconduct_category",
            ConductError::BadCategoryCode(_) => "bad_category_code",
            ConductError::UnknownChannel(_) => "unknown_report_channel",
            ConductError::UnknownAction(_) => "unknown_accountability_action",
            ConductError::UnknownSanction(_) => "unknown_sanction",
            ConductError::SanctionGrade(_) => "sanction_grade",
            ConductError::ChannelNotOpen(_) => "channel_not_open",
            ConductError::WrongState { .. } => "report_state",
            ConductError::NoInvestigator => "no_investigator",
            ConductError::FutureDate(_) => "future_date",
            ConductError::AttachmentType(_) => "attachment_type",
            ConductError::BadThreshold(_) => "bad_threshold",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            ConductError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            ConductError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            ConductError::UnknownCategory(c) => {
                format!("“{c}”不是可用的问题类别，请从列表中选择")
            }
            ConductError::BadCategoryCode(c) => {
                format!("类别编码“{c}”应为 2–32 位小写字母、数字或下划线")
            }
            ConductError::UnknownChannel(c) => format!(
                "“{c}”不是举报渠道，可选：{}",
                ReportChannel::ALL
                    .iter()
                    .map(|c| c.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            ConductError::UnknownAction(a) => format!(
                "“{a}”不是问责方式，可选：{}",
                AccountabilityAction::ALL
                    .iter()
                    .map(|a| a.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            ConductError::UnknownSanction(s) => format!("“{s}”不是处分等级"),
            ConductError::SanctionGrade(a) => match a {
                AccountabilityAction::GovernmentSanction => {
                    "政纪处分须选择等级：警告、记过、记大过、降级、撤职、开除".into()
                }
                AccountabilityAction::PartyDiscipline => {
                    "党纪处分须选择等级：警告、严重警告、撤销党内职务、留党察看、开除党籍".into()
                }
                other => format!("“{}”没有处分等级，请不要选择等级", other.zh()),
            },
            ConductError::ChannelNotOpen(c) => format!("您不能通过“{}”登记举报", c.zh()),
            ConductError::WrongState { state, action } => {
                format!("举报当前为“{}”，不能{}", state.zh(), action_zh(action))
            }
            ConductError::NoInvestigator => "请至少指定一名承办人".into(),
            ConductError::FutureDate(_) => "日期不能晚于今天".into(),
            ConductError::AttachmentType(m) => {
                format!("证据文件只能是 PDF 或图片（JPEG、PNG、WebP），不能是 {m}")
            }
            ConductError::BadThreshold(f) => format!("线索阈值“{f}”超出允许范围"),
        }
    }

    fn message_en(&self) -> String {
        match self {
            ConductError::Blank(f) => format!("'{f}' must not be blank"),
            ConductError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            ConductError::UnknownCategory(c) => {
                format!("'{c}' is not an available category; choose one from the list")
            }
            ConductError::BadCategoryCode(c) => format!(
                "the category code '{c}' must be 2–32 lower-case letters, digits or underscores"
            ),
            ConductError::UnknownChannel(c) => format!(
                "'{c}' is not a report channel; one of: {}",
                ReportChannel::ALL
                    .iter()
                    .map(|c| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ConductError::UnknownAction(a) => format!(
                "'{a}' is not an accountability action; one of: {}",
                AccountabilityAction::ALL
                    .iter()
                    .map(|a| a.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ConductError::UnknownSanction(s) => format!("'{s}' is not a sanction grade"),
            ConductError::SanctionGrade(a) => match a {
                AccountabilityAction::GovernmentSanction
                | AccountabilityAction::PartyDiscipline => {
                    format!("{} needs its grade", a.en())
                }
                other => format!("{} has no grade", other.en()),
            },
            ConductError::ChannelNotOpen(c) => {
                format!("you may not file a report through '{}'", c.en())
            }
            ConductError::WrongState { state, action } => {
                format!("the report is {}: it cannot be {action}", state.en())
            }
            ConductError::NoInvestigator => "assign at least one investigator".into(),
            ConductError::FutureDate(_) => "the date must not be in the future".into(),
            ConductError::AttachmentType(m) => {
                format!("evidence is a PDF or an image (JPEG, PNG, WebP), not {m}")
            }
            ConductError::BadThreshold(f) => format!("the signal threshold '{f}' is out of range"),
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            ConductError::Blank(f) | ConductError::TooLong(f, _) => f,
            ConductError::UnknownCategory(_) => "category",
            ConductError::BadCategoryCode(_) => "code",
            ConductError::UnknownChannel(_) | ConductError::ChannelNotOpen(_) => "channel",
            ConductError::UnknownAction(_) => "action",
            ConductError::UnknownSanction(_) | ConductError::SanctionGrade(_) => "sanction",
            ConductError::WrongState { .. } => "state",
            ConductError::NoInvestigator => "investigators",
            ConductError::FutureDate(f) => f,
            ConductError::AttachmentType(_) => "file",
            ConductError::BadThreshold(f) => f,
        };
        Some(f.to_string())
    }
}

fn action_zh(action: &str) -> &'static str {
    match action {
        "accepted" => "受理",
        "dismissed" => "不予受理",
        "assigned" => "指定承办人",
        "concluded" => "办结",
        "held accountable" => "登记问责",
        "given evidence" => "补充证据",
        _ => "操作",
    }
}
