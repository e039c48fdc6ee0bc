//! Why a service record or order cannot be accepted, in Chinese and English, naming the field.

use std::fmt;

use super::{HouseholdTag, OrderState};
use crate::Bilingual;
use crate::calendar::Date;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicesError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    BadPhone(String),
    UnknownDepartment(String),
    UnknownKind(String),
    UnknownTag(String),
    AgeRange,
    BadSlot(String),
    BadWeekdays,
    BadCapacity(u32),
    BadPoint,
    /// Points of an assessment item outside 1–100.
    BadPoints(i64),
    /// Confirmed service minutes of one day outside 1–1440.
    BadMinutes(i64),
    /// The applicant is younger than the item's minimum age.
    TooYoung {
        min: u32,
        age: u32,
    },
    TooOld {
        max: u32,
        age: u32,
    },
    /// The applicant's household carries none of the tags the item asks for.
    TagRequired {
        any_of: Vec<HouseholdTag>,
    },
    NotServedOn {
        day: Date,
        weekdays: String,
    },
    NoSuchSlot {
        slot: String,
        slots: Vec<String>,
    },
    /// A day in the past, or more than 60 days ahead.
    DayOutOfRange,
    /// The person named is not a resident of the community's population base.
    UnknownResident,
    /// A resident account not linked to a resident of the population base.
    AccountNotLinked,
    /// The item has been withdrawn from the menu.
    ItemWithdrawn,
    /// The resident holds an open order for this item on that day already.
    AlreadyOrdered,
    WrongState {
        state: OrderState,
        action: &'static str,
    },
    AlreadyRated,
    /// Only the resident served (or who placed the order) rates or cancels it.
    NotYours,
}

fn action_zh(a: &str) -> &'static str {
    match a {
        "cancel" => "取消",
        "assign" => "派单",
        "complete" => "完成",
        "rate" => "评价",
        _ => "处理",
    }
}

impl Bilingual for ServicesError {
    fn code(&self) -> &'static str {
        use ServicesError::*;
        match self {
            Blank(_) => "blank",
            TooLong(..) => "too_long",
            BadPhone(_) => "invalid_phone",
            UnknownDepartment(_) => "unknown_department",
            UnknownKind(_) => "unknown_centre_kind",
            UnknownTag(_) => "unknown_household_tag",
            AgeRange => "invalid_age_range",
            BadSlot(_) => "invalid_time_slot",
            BadWeekdays => "invalid_weekdays",
            BadCapacity(_) => "invalid_capacity",
            BadPoint => "invalid_point",
            BadPoints(_) => "invalid_points",
            BadMinutes(_) => "invalid_minutes",
            TooYoung { .. } | TooOld { .. } | TagRequired { .. } => "not_eligible",
            NotServedOn { .. } => "not_served_that_day",
            NoSuchSlot { .. } => "no_such_slot",
            DayOutOfRange => "day_out_of_range",
            UnknownResident => "unknown_resident",
            AccountNotLinked => "account_not_linked",
            ItemWithdrawn => "item_withdrawn",
            AlreadyOrdered => "already_ordered",
            WrongState { .. } => "wrong_order_state",
            AlreadyRated => "already_rated",
            NotYours => "not_your_order",
        }
    }

    fn message_zh(&self) -> String {
        use ServicesError::*;
        match self {
            Blank(f) => format!("“{}”不能为空", field_zh(f)),
            TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            BadPhone(p) => format!("“{p}”不是有效的手机号码"),
            UnknownDepartment(d) => format!("“{d}”不是本市的职能部门"),
            UnknownKind(k) => format!(
                "“{k}”不是服务中心类型，可选：{}",
                super::CentreKind::ALL
                    .iter()
                    .map(|k| k.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            UnknownTag(t) => format!(
                "“{t}”不是住户标签，可选：{}",
                HouseholdTag::ALL
                    .iter()
                    .map(|t| t.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            AgeRange => "年龄条件无效：最小年龄不能大于最大年龄，且不超过 130 岁".into(),
            BadSlot(s) => format!("“{s}”不是有效的时段，应为 09:00-10:00 这样的格式"),
            BadWeekdays => "请至少选择一个服务日（周一至周日）".into(),
            BadCapacity(n) => format!("每个时段的名额应在 1 到 1000 之间（填写的是 {n}）"),
            BadPoint => "地图位置无效：经度应在 -180 到 180 之间，纬度在 -90 到 90 之间".into(),
            BadPoints(n) => format!("分值应在 1 到 100 之间（填写的是 {n}）"),
            BadMinutes(n) => format!("一天的服务时长应在 1 到 1440 分钟之间（填写的是 {n}）"),
            TooYoung { min, age } => format!("本服务仅限 {min} 岁及以上老年人（申请人 {age} 岁）"),
            TooOld { max, age } => format!("本服务仅限 {max} 岁及以下居民（申请人 {age} 岁）"),
            TagRequired { any_of } => format!(
                "本服务仅限{}家庭（申请人家庭不属于其中任何一类）",
                any_of.iter().map(|t| t.zh()).collect::<Vec<_>>().join("或")
            ),
            NotServedOn { day, weekdays } => format!("本服务{day}不提供，服务日为：{weekdays}"),
            NoSuchSlot { slot, slots } => {
                format!("本服务没有“{slot}”时段，可选：{}", slots.join("、"))
            }
            DayOutOfRange => "服务日期须在今天到 60 天之内".into(),
            UnknownResident => "在本社区人口库中找不到该居民（请核对姓名和手机号）".into(),
            AccountNotLinked => "您的账号尚未关联到人口库中的居民，请联系社区".into(),
            ItemWithdrawn => "该服务已下架，不能预约".into(),
            AlreadyOrdered => "该居民当天已预约过这项服务".into(),
            WrongState { state, action } => {
                format!("订单{}，不能{}", state.zh(), action_zh(action))
            }
            AlreadyRated => "该订单已评价过".into(),
            NotYours => "只有被服务的居民本人可以取消或评价该订单".into(),
        }
    }

    fn message_en(&self) -> String {
        use ServicesError::*;
        match self {
            Blank(f) => format!("'{f}' must not be blank"),
            TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            BadPhone(p) => format!("'{p}' is not a valid mobile phone number"),
            UnknownDepartment(d) => format!("'{d}' is not a department of the city"),
            UnknownKind(k) => format!(
                "'{k}' is not a centre kind; expected one of: {}",
                super::CentreKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            ),
            UnknownTag(t) => format!(
                "'{t}' is not a household tag; expected one of: {}",
                HouseholdTag::ALL.iter().map(|t| t.as_str()).collect::<Vec<_>>().join(", ")
            ),
            AgeRange => "invalid age range: the minimum above the maximum, or above 130".into(),
            BadSlot(s) => format!("'{s}' is not a time slot like 09:00-10:00"),
            BadWeekdays => "choose at least one weekday (1 = Monday … 7 = Sunday)".into(),
            BadCapacity(n) => format!("places per slot must be 1 to 1000 (got {n})"),
            BadPoint => "invalid map point: longitude -180..180, latitude -90..90".into(),
            BadPoints(n) => format!("points must be 1 to 100 (got {n})"),
            BadMinutes(n) => format!("a day's service is 1 to 1440 minutes (got {n})"),
            TooYoung { min, age } => {
                format!("this service is for residents aged {min} and over (applicant is {age})")
            }
            TooOld { max, age } => {
                format!("this service is for residents aged {max} and under (applicant is {age})")
            }
            TagRequired { any_of } => format!(
                "this service is for households that are: {} (the applicant's is none of these)",
                any_of.iter().map(|t| t.en()).collect::<Vec<_>>().join(" or ")
            ),
            NotServedOn { day, .. } => format!("this service is not offered on {day}"),
            NoSuchSlot { slot, slots } => {
                format!("this service has no slot '{slot}'; it has: {}", slots.join(", "))
            }
            DayOutOfRange => "the day must be between today and 60 days ahead".into(),
            UnknownResident => {
                "no resident of this community's population base has that name and phone".into()
            }
            AccountNotLinked => {
                "your account is not linked to a resident of the population base; ask your community"
                    .into()
            }
            ItemWithdrawn => "this service has been withdrawn from the menu".into(),
            AlreadyOrdered => "the resident has booked this service for that day already".into(),
            WrongState { state, action } => {
                format!("the order is {}: it cannot {action}", state.en().to_lowercase())
            }
            AlreadyRated => "the order has been rated already".into(),
            NotYours => "only the resident served may cancel or rate this order".into(),
        }
    }

    fn field(&self) -> Option<String> {
        use ServicesError::*;
        let f = match self {
            Blank(f) | TooLong(f, _) => f,
            BadPhone(_) => "staff_phone",
            UnknownDepartment(_) => "lead_department",
            UnknownKind(_) => "kind",
            UnknownTag(_) => "tags",
            AgeRange => "min_age",
            BadSlot(_) | NoSuchSlot { .. } => "slot",
            BadWeekdays => "weekdays",
            BadCapacity(_) => "capacity",
            BadPoint => "lon",
            BadPoints(_) => "points",
            BadMinutes(_) => "minutes",
            TooYoung { .. } | TooOld { .. } | TagRequired { .. } => "resident",
            UnknownResident | AccountNotLinked | AlreadyOrdered => "resident",
            NotServedOn { .. } | DayOutOfRange => "service_date",
            ItemWithdrawn => "item_id",
            WrongState { .. } | AlreadyRated | NotYours => "order",
        };
        Some(f.to_string())
    }
}

fn field_zh(f: &str) -> &str {
    match f {
        "name" => "名称",
        "staff_name" => "工作人员姓名",
        "address" => "地址",
        "opening_hours" => "开放时间",
        "description" => "服务内容",
        "notes" => "服务记录",
        "slots" => "服务时段",
        "offer" => "服务内容",
        "contact_name" => "姓名",
        "lead_departments" => "牵头部门",
        other => other,
    }
}

impl ServicesError {
    /// A refusal on stored state (the order's state, a rating given, a booking held): 409;
    /// every other refusal is about what was typed or who was named: 422.
    pub fn is_conflict(&self) -> bool {
        matches!(
            self,
            ServicesError::WrongState { .. }
                | ServicesError::AlreadyRated
                | ServicesError::AlreadyOrdered
        )
    }
}

impl fmt::Display for ServicesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for ServicesError {}
