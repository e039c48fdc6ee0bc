//! Why a co-build record cannot be accepted, in Chinese and English, naming the field.

use super::Rating;
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CoBuildError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// The end of the contract before its start.
    EndBeforeStart,
    /// Signed after the contract ended.
    SignedAfterEnd,
    /// A contract binds a community (社区), not a street or a district.
    NotACommunity,
    /// The department code names no department.
    UnknownDepartment(String),
    /// A due date outside the contract's period.
    DueOutsidePeriod,
    /// A delivery in the future, or before the contract started.
    DeliveryDateOutOfRange,
    UnknownRating(String),
    /// The commitment was delivered in full already: nothing more is recorded against it.
    AlreadyDelivered,
    /// A commitment is rated once it has a delivery record.
    NothingToRate,
}

fn field_zh(f: &str) -> &'static str {
    match f {
        "title" => "名称",
        "deliverable" => "交付内容",
        "notes" => "履约说明",
        "note" => "评价说明",
        "department" => "共建部门",
        "community" => "社区",
        _ => "内容",
    }
}

impl Bilingual for CoBuildError {
    fn code(&self) -> &'static str {
        match self {
            CoBuildError::Blank(_) => "blank",
            CoBuildError::TooLong(..) => "too_long",
            CoBuildError::EndBeforeStart => "end_before_start",
            CoBuildError::SignedAfterEnd => "signed_after_end",
            CoBuildError::NotACommunity => "not_a_community",
            CoBuildError::UnknownDepartment(_) => "unknown_department",
            CoBuildError::DueOutsidePeriod => "due_outside_contract_period",
            CoBuildError::DeliveryDateOutOfRange => "delivery_date_out_of_range",
            CoBuildError::UnknownRating(_) => "unknown_rating",
            CoBuildError::AlreadyDelivered => "commitment_already_delivered",
            CoBuildError::NothingToRate => "nothing_delivered_to_rate",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            CoBuildError::Blank(f) => format!("“{}”不能为空", field_zh(f)),
            CoBuildError::TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            CoBuildError::EndBeforeStart => "共建期限的结束日期不能早于开始日期".into(),
            CoBuildError::SignedAfterEnd => "签约日期不能晚于共建期限的结束日期".into(),
            CoBuildError::NotACommunity => "共建契约的一方须是社区（村）".into(),
            CoBuildError::UnknownDepartment(d) => format!("没有编码为“{d}”的部门"),
            CoBuildError::DueOutsidePeriod => "承诺事项的到期日须在契约期限之内".into(),
            CoBuildError::DeliveryDateOutOfRange => {
                "履约日期不能晚于今天，也不能早于契约开始日期".into()
            }
            CoBuildError::UnknownRating(r) => format!(
                "“{r}”不是评价等级，可选：{}",
                Rating::ALL
                    .iter()
                    .map(|r| r.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            CoBuildError::AlreadyDelivered => "该承诺事项已履约完成，不能再登记履约".into(),
            CoBuildError::NothingToRate => "该承诺事项还没有履约记录，暂不能评价".into(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            CoBuildError::Blank(f) => format!("'{f}' must not be blank"),
            CoBuildError::TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            CoBuildError::EndBeforeStart => "the contract must not end before it starts".into(),
            CoBuildError::SignedAfterEnd => "the contract cannot be signed after it ends".into(),
            CoBuildError::NotACommunity => "one side of a co-build contract is a community".into(),
            CoBuildError::UnknownDepartment(d) => format!("no department has the code '{d}'"),
            CoBuildError::DueOutsidePeriod => {
                "a commitment's due date lies within the contract's period".into()
            }
            CoBuildError::DeliveryDateOutOfRange => {
                "a delivery is dated neither after today nor before the contract starts".into()
            }
            CoBuildError::UnknownRating(r) => format!(
                "'{r}' is not a rating; one of: {}",
                Rating::ALL
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CoBuildError::AlreadyDelivered => {
                "the commitment is delivered in full; no more deliveries are recorded".into()
            }
            CoBuildError::NothingToRate => {
                "the commitment has no delivery record yet to rate".into()
            }
        }
    }

    fn field(&self) -> Option<String> {
        let f = match self {
            CoBuildError::Blank(f) | CoBuildError::TooLong(f, _) => f,
            CoBuildError::EndBeforeStart => "ends_on",
            CoBuildError::SignedAfterEnd => "signed_on",
            CoBuildError::NotACommunity => "community",
            CoBuildError::UnknownDepartment(_) => "department",
            CoBuildError::DueOutsidePeriod => "due_on",
            CoBuildError::DeliveryDateOutOfRange => "delivered_on",
            CoBuildError::UnknownRating(_) | CoBuildError::NothingToRate => "rating",
            CoBuildError::AlreadyDelivered => "commitment",
        };
        Some(f.to_string())
    }
}
