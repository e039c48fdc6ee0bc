//! Why a livelihood record cannot be accepted, in Chinese and English, naming the field.

use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LivelihoodError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// Not an amount in yuan (at most two decimals).
    NotYuan(&'static str, String),
    /// More allocated than budgeted, or more disbursed than allocated.
    FundsExceed(&'static str),
    /// Progress outside 0–100.
    Progress(i64),
    /// A negative count of beneficiaries.
    Beneficiaries(i64),
    /// Not one of the three disclosure platforms.
    DisclosureKind(String),
    UnknownRectification(String),
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "name" => "项目名称",
        "post" => "岗位",
        "policy_area" => "政策/资金领域",
        "duties" => "职责",
        "unit" => "责任单位",
        "budget" => "预算资金",
        "allocated" => "拨付资金",
        "disbursed" => "发放资金",
        "note" => "进展说明",
        "by_post" => "监督人岗位",
        "findings" => "发现问题",
        "matter" => "问题线索",
        "handling" => "处置方式",
        "result" => "处理结果",
        _ => "内容",
    }
}

impl Bilingual for LivelihoodError {
    fn code(&self) -> &'static str {
        match self {
            LivelihoodError::Blank(_) => "blank",
            LivelihoodError::TooLong(..) => "too_long",
            LivelihoodError::NotYuan(..) => "not_yuan",
            LivelihoodError::FundsExceed(_) => "funds_exceed",
            LivelihoodError::Progress(_) => "progress_range",
            LivelihoodError::Beneficiaries(_) => "beneficiaries_range",
            LivelihoodError::DisclosureKind(_) => "disclosure_kind",
            LivelihoodError::UnknownRectification(_) => "unknown_rectification",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            LivelihoodError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            LivelihoodError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            LivelihoodError::NotYuan(f, v) => {
                format!("“{}”应为以元计的金额（最多两位小数）：{v}", field_zh(f))
            }
            LivelihoodError::FundsExceed("allocated") => "拨付资金不能超过预算资金".into(),
            LivelihoodError::FundsExceed(_) => "发放资金不能超过拨付资金".into(),
            LivelihoodError::Progress(p) => format!("进度应在 0 到 100 之间，不能是 {p}"),
            LivelihoodError::Beneficiaries(n) => format!("受益人数不能为负数：{n}"),
            LivelihoodError::DisclosureKind(k) => {
                format!("“{k}”不是民生公开平台，可选：政务公示、村务/居务公示、惠民政策")
            }
            LivelihoodError::UnknownRectification(k) => {
                format!("“{k}”不是整改状态，可选：无需整改、待整改、已整改")
            }
        }
    }

    fn message_en(&self) -> String {
        match self {
            LivelihoodError::Blank(f) => format!("'{f}' must not be blank"),
            LivelihoodError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            LivelihoodError::NotYuan(f, v) => {
                format!("'{f}' must be an amount in yuan with at most two decimals: {v}")
            }
            LivelihoodError::FundsExceed("allocated") => "more allocated than budgeted".into(),
            LivelihoodError::FundsExceed(_) => "more disbursed than allocated".into(),
            LivelihoodError::Progress(p) => format!("progress is 0 to 100, not {p}"),
            LivelihoodError::Beneficiaries(n) => {
                format!("beneficiaries cannot be negative: {n}")
            }
            LivelihoodError::DisclosureKind(k) => format!(
                "'{k}' is not a disclosure platform: government, community_affairs, benefit_policy"
            ),
            LivelihoodError::UnknownRectification(k) => {
                format!("'{k}' is not a rectification state: none, required, done")
            }
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            LivelihoodError::Blank(f)
            | LivelihoodError::TooLong(f, _)
            | LivelihoodError::NotYuan(f, _)
            | LivelihoodError::FundsExceed(f) => f,
            LivelihoodError::Progress(_) => "progress",
            LivelihoodError::Beneficiaries(_) => "beneficiaries",
            LivelihoodError::DisclosureKind(_) => "kind",
            LivelihoodError::UnknownRectification(_) => "rectification",
        };
        Some(f.to_string())
    }
}
