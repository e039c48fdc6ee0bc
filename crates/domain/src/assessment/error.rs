//! Why an assessment rule set, a rating or a deduction is refused.

use std::fmt;

use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AssessmentError {
    /// A rule set with no dimension (stars) or no deduction item (points).
    Empty(&'static str),
    /// More entries than a rule set may have.
    TooMany(&'static str, usize),
    /// A code that is not 1–32 lower-case letters, digits or `_`.
    BadCode(String),
    DuplicateCode(String),
    /// A dimension's or item's Chinese name is blank or too long.
    BadName(String),
    /// The dimensions' weights must add up to 100.
    WeightsSum(u32),
    /// A dimension's weight or maximum is 0 or over 100.
    BadDimension(String),
    /// The star thresholds must rise strictly within 1–100.
    Thresholds,
    /// The star alert line is 0 (none) to 4.
    AlertStars(u8),
    /// The yearly budget is 1–100 points.
    Budget(u32),
    /// The points alert line is below the budget.
    AlertPoints(u32),
    /// An item deducts 1 point up to the whole budget.
    ItemPoints(String),
    /// A dimension left without a score.
    MissingScore(String),
    /// A score for a dimension the rules do not have.
    UnknownDimension(String),
    /// A score above the dimension's maximum.
    ScoreAboveMax {
        dimension: String,
        max: u32,
    },
    /// A deduction item that is not in the catalogue.
    UnknownItem(String),
    /// The deduction would take the year's balance below 0.
    BelowZero {
        item: String,
        points: u32,
        left: i64,
    },
    /// A deduction needs evidence: a photo or a note.
    NoEvidence,
    Blank(&'static str),
    TooLong(&'static str, usize),
    /// A failing dated after today.
    FutureDate,
    /// Deductions are recorded for this year and the last only.
    YearClosed(i32),
    /// An assessment year outside 2000–2100.
    BadYear(i32),
    /// The deduction was revoked already.
    AlreadyRevoked,
}

impl Bilingual for AssessmentError {
    fn code(&self) -> &'static str {
        use AssessmentError::*;
        match self {
            Empty(_) => "rules_empty",
            TooMany(..) => "rules_too_many",
            BadCode(_) => "rules_bad_code",
            DuplicateCode(_) => "rules_duplicate_code",
            BadName(_) => "rules_bad_name",
            WeightsSum(_) => "rules_weights_sum",
            BadDimension(_) => "rules_bad_dimension",
            Thresholds => "rules_thresholds",
            AlertStars(_) => "rules_alert_stars",
            Budget(_) => "rules_budget",
            AlertPoints(_) => "rules_alert_points",
            ItemPoints(_) => "rules_item_points",
            MissingScore(_) => "score_missing",
            UnknownDimension(_) => "unknown_dimension",
            ScoreAboveMax { .. } => "score_above_max",
            UnknownItem(_) => "unknown_deduction_item",
            BelowZero { .. } => "points_below_zero",
            NoEvidence => "evidence_required",
            Blank(_) => "blank",
            TooLong(..) => "too_long",
            FutureDate => "date_in_future",
            YearClosed(_) => "year_closed",
            BadYear(_) => "invalid_year",
            AlreadyRevoked => "already_revoked",
        }
    }

    fn message_zh(&self) -> String {
        use AssessmentError::*;
        match self {
            Empty(what) => format!("{}不能为空", zh_of(what)),
            TooMany(what, n) => format!("{}最多 {n} 项", zh_of(what)),
            BadCode(c) => format!("代码“{c}”须为 1–32 位小写字母、数字或下划线"),
            DuplicateCode(c) => format!("代码“{c}”重复"),
            BadName(c) => format!("“{c}”的中文名称不能为空且不超过 20 个字"),
            WeightsSum(s) => format!("各维度权重之和须为 100，现为 {s}"),
            BadDimension(c) => format!("维度“{c}”的权重和满分须在 1–100 之间"),
            Thresholds => "二至五星的分数线须在 1–100 之间且逐级升高".into(),
            AlertStars(n) => format!("星级预警线须为 0–4 星，现为 {n}"),
            Budget(n) => format!("年度总分须在 1–100 分之间，现为 {n}"),
            AlertPoints(n) => format!("积分预警线须低于年度总分，现为 {n}"),
            ItemPoints(c) => format!("扣分项“{c}”的分值须在 1 至年度总分之间"),
            MissingScore(d) => format!("“{d}”未评分"),
            UnknownDimension(d) => format!("考核规则中没有维度“{d}”"),
            ScoreAboveMax { dimension, max } => format!("“{dimension}”的得分不能超过 {max} 分"),
            UnknownItem(c) => format!("扣分项目“{c}”不在扣分目录中"),
            BelowZero { item, points, left } => {
                format!("本年度仅剩 {left} 分，“{item}”需扣 {points} 分，扣分后将低于 0 分，未记录")
            }
            NoEvidence => "扣分须有依据：请上传照片或填写依据说明".into(),
            Blank(f) => format!("“{}”不能为空", zh_of(f)),
            TooLong(f, n) => format!("“{}”不能超过 {n} 个字", zh_of(f)),
            FutureDate => "发生日期不能晚于今天".into(),
            YearClosed(y) => format!("{y} 年度的积分已结转，只能记录本年度和上一年度的扣分"),
            BadYear(y) => format!("考核年度 {y} 无效"),
            AlreadyRevoked => "该扣分已撤销".into(),
        }
    }

    fn message_en(&self) -> String {
        use AssessmentError::*;
        match self {
            Empty(what) => format!("{what} must not be empty"),
            TooMany(what, n) => format!("at most {n} {what}"),
            BadCode(c) => {
                format!("code '{c}' must be 1–32 lower-case letters, digits or underscores")
            }
            DuplicateCode(c) => format!("code '{c}' appears twice"),
            BadName(c) => format!("'{c}' needs a Chinese name of at most 20 characters"),
            WeightsSum(s) => format!("the dimensions' weights must add up to 100, not {s}"),
            BadDimension(c) => format!("dimension '{c}' needs a weight and a maximum of 1–100"),
            Thresholds => {
                "the thresholds for 2 to 5 stars must lie in 1–100 and rise strictly".into()
            }
            AlertStars(n) => format!("the star alert line must be 0–4 stars, not {n}"),
            Budget(n) => format!("the yearly budget must be 1–100 points, not {n}"),
            AlertPoints(n) => format!("the points alert line must be below the budget, not {n}"),
            ItemPoints(c) => format!("item '{c}' must deduct from 1 point up to the budget"),
            MissingScore(d) => format!("'{d}' has no score"),
            UnknownDimension(d) => format!("the rules have no dimension '{d}'"),
            ScoreAboveMax { dimension, max } => {
                format!("the score for '{dimension}' may not exceed {max}")
            }
            UnknownItem(c) => format!("deduction item '{c}' is not in the catalogue"),
            BelowZero { item, points, left } => format!(
                "only {left} points are left this year and '{item}' deducts {points}: the balance would fall below 0, nothing was recorded"
            ),
            NoEvidence => "a deduction needs evidence: a photo or a note".into(),
            Blank(f) => format!("'{f}' must not be blank"),
            TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            FutureDate => "the date of the failing is after today".into(),
            YearClosed(y) => format!(
                "the {y} ledger is closed: deductions are recorded for this year and the last only"
            ),
            BadYear(y) => format!("{y} is not a valid assessment year"),
            AlreadyRevoked => "the deduction is already revoked".into(),
        }
    }

    fn field(&self) -> Option<String> {
        use AssessmentError::*;
        match self {
            MissingScore(_) | UnknownDimension(_) | ScoreAboveMax { .. } => Some("scores".into()),
            UnknownItem(_) | BelowZero { .. } => Some("item".into()),
            NoEvidence => Some("note".into()),
            Blank(f) | TooLong(f, _) => Some(f.to_string()),
            FutureDate | YearClosed(_) => Some("occurred_on".into()),
            BadYear(_) => Some("year".into()),
            _ => Some("rules".into()),
        }
    }
}

/// The Chinese name of a field or list the messages mention.
fn zh_of(what: &str) -> &str {
    match what {
        "dimensions" => "考核维度",
        "items" => "扣分项目",
        "reason" => "扣分事由",
        "note" => "依据说明",
        _ => what,
    }
}

impl fmt::Display for AssessmentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for AssessmentError {}
