//! The community cadre roster (社区干部名册): the cadres of each community's party
//! organisation and committee, with the facts the structure report counts — age (from the
//! birth date, on the report's date), education, gender and post.
//!
//! Not to be confused with [`crate::cadres`] (干部下沉, cadres sent down from departments).

mod structure;

pub use structure::{AgeBand, AgeBands, Structure, Tally, largest_remainder, structure};

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::Bilingual;
use crate::calendar::Date;
use crate::codes::{AreaCode, AreaLevel};
use crate::labelled_enum;
use crate::population::{Gender, PersonName};

labelled_enum! {
    /// 学历: the highest education completed.
    pub enum Education {
        JuniorOrBelow = ("junior_or_below", "初中及以下", "Junior secondary or below"),
        SeniorSecondary = ("senior_secondary", "高中/中专", "Senior secondary"),
        College = ("college", "大专", "Junior college"),
        Bachelor = ("bachelor", "本科", "Bachelor's degree"),
        Postgraduate = ("postgraduate", "研究生", "Postgraduate"),
    }
}

impl Education {
    /// The code or Chinese name, or a way rosters commonly write it (高中, 中专, 专科, 大学本科,
    /// 硕士, 博士 …).
    pub fn read(s: &str) -> Option<Education> {
        if let Some(e) = Education::parse(s) {
            return Some(e);
        }
        let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        let t = t.trim_end_matches("学历").trim_end_matches("毕业");
        Some(match t {
            "小学" | "初中" | "初中以下" | "文盲" => Education::JuniorOrBelow,
            "高中" | "中专" | "职高" | "技校" | "高中（中专）" | "高中(中专)" | "中专/高中"
            | "高中及中专" => Education::SeniorSecondary,
            "专科" | "大学专科" | "高职" | "大专及以下" => Education::College,
            "大学" | "大学本科" | "学士" => Education::Bachelor,
            "硕士" | "博士" | "硕士研究生" | "博士研究生" | "研究生及以上" => {
                Education::Postgraduate
            }
            _ => return None,
        })
    }
}

labelled_enum! {
    /// 职务: the cadre's post in the community's party organisation or committee.
    pub enum CadrePost {
        /// 书记、主任“一肩挑”.
        SecretaryDirector = ("secretary_director", "书记兼主任", "Secretary and director"),
        Secretary = ("secretary", "书记", "Party secretary"),
        DeputySecretary = ("deputy_secretary", "副书记", "Deputy secretary"),
        Director = ("director", "主任", "Committee director"),
        DeputyDirector = ("deputy_director", "副主任", "Deputy director"),
        Member = ("member", "委员", "Committee member"),
    }
}

impl CadrePost {
    /// The code or Chinese name, or a longer form a roster writes (党委书记, 居委会主任,
    /// 书记、主任, 一肩挑, 支委 …).
    pub fn read(s: &str) -> Option<CadrePost> {
        if let Some(p) = CadrePost::parse(s) {
            return Some(p);
        }
        let mut t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        for unit in [
            "社区",
            "党委",
            "党总支",
            "党支部",
            "党组织",
            "居民委员会",
            "居委会",
            "村委会",
            "居委",
            "两委",
        ] {
            t = t.replace(unit, "");
        }
        let secretary = t.contains("书记") && !t.contains("副书记");
        let director = t.contains("主任") && !t.contains("副主任");
        Some(if t.contains("一肩挑") || (secretary && director) {
            CadrePost::SecretaryDirector
        } else if t.contains("副书记") {
            CadrePost::DeputySecretary
        } else if secretary {
            CadrePost::Secretary
        } else if t.contains("副主任") {
            CadrePost::DeputyDirector
        } else if director {
            CadrePost::Director
        } else if t.contains("委员") || t == "支委" {
            CadrePost::Member
        } else {
            return None;
        })
    }
}

/// The English name of a gender (the population labels are Chinese and codes only).
pub fn gender_en(g: Gender) -> &'static str {
    match g {
        Gender::Male => "Male",
        Gender::Female => "Female",
    }
}

/// One cadre on the roster.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cadre {
    pub name: String,
    pub gender: Gender,
    pub birth_date: Date,
    pub education: Education,
    pub post: CadrePost,
    /// The community served (社区/村 level).
    pub community: AreaCode,
    /// 任职日期: when the cadre took up the post.
    pub start_date: Date,
}

/// The fields of a roster row, for errors that name one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadreField {
    Name,
    Gender,
    BirthDate,
    Education,
    Post,
    Community,
    StartDate,
}

impl CadreField {
    pub const ALL: [CadreField; 7] = [
        CadreField::Name,
        CadreField::Gender,
        CadreField::BirthDate,
        CadreField::Education,
        CadreField::Post,
        CadreField::Community,
        CadreField::StartDate,
    ];

    /// The sheet's Chinese header.
    pub fn zh(self) -> &'static str {
        match self {
            CadreField::Name => "姓名",
            CadreField::Gender => "性别",
            CadreField::BirthDate => "出生日期",
            CadreField::Education => "学历",
            CadreField::Post => "职务",
            CadreField::Community => "所属社区",
            CadreField::StartDate => "任职日期",
        }
    }

    /// The API's field name (and the sheet's English header).
    pub fn key(self) -> &'static str {
        match self {
            CadreField::Name => "name",
            CadreField::Gender => "gender",
            CadreField::BirthDate => "birth_date",
            CadreField::Education => "education",
            CadreField::Post => "post",
            CadreField::Community => "community",
            CadreField::StartDate => "start_date",
        }
    }
}

/// The youngest a cadre may take up a post: the age for election to a community committee.
pub const MIN_AGE_AT_START: i32 = 18;
/// The oldest birth year accepted.
pub const EARLIEST_BIRTH_YEAR: i32 = 1920;

/// Completed years of age on `on` (a 29 February birthday counts from 1 March in other years).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let before_birthday = (on.month(), on.day()) < (birth.month(), birth.day());
    on.year() - birth.year() - i32::from(before_birthday)
}

/// A date as a roster holds it: `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYY.MM.DD`, `YYYYMMDD`,
/// `YYYY年M月D日`, an ISO date-time (its date), or a spreadsheet's date serial number (days
/// since 1899-12-30, as a date cell reads when it carries no text).
pub fn parse_sheet_date(input: &str) -> Option<Date> {
    let s = input.trim();
    let s = s.split_once('T').map_or(s, |(d, _)| d);
    if let Some(d) = Date::parse(s) {
        return Some(d);
    }
    if !s.is_empty() && s.len() <= 6 && s.bytes().all(|b| b.is_ascii_digit()) {
        let n: i64 = s.parse().ok()?;
        // 1 = 1900-01-01 … 2958465 = 9999-12-31; Excel's phantom 1900-02-29 makes serials
        // before March 1900 one day off, and no cadre was born then.
        if (61..=2_958_465).contains(&n) {
            return Date::new(1899, 12, 30).map(|epoch| epoch.add_days(n));
        }
        return None;
    }
    let normalised: String = s
        .replace(['年', '月', '.'], "-")
        .trim_end_matches('日')
        .to_string();
    Date::parse(&normalised)
}

/// A value of a roster row that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CadreError {
    Blank,
    /// The person-name rules' refusal, in Chinese and in English.
    Name {
        zh: String,
        en: String,
    },
    Gender(String),
    Date(String),
    Education(String),
    Post(String),
    /// Not a 12-digit statistical code (the code parser's messages).
    AreaCode {
        zh: String,
        en: String,
    },
    /// A code of another level than a community.
    NotCommunity(String),
    /// No such community in the area list.
    UnknownCommunity(String),
    BornInFuture,
    BornTooEarly,
    StartInFuture,
    /// Took up the post before the minimum age.
    StartTooYoung,
    /// The same person twice in one community in one file.
    Duplicate(usize),
    /// Outside the caller's area.
    OutsideScope(String),
    /// Left the post before taking it up.
    LeftBeforeStart,
}

impl Bilingual for CadreError {
    fn code(&self) -> &'static str {
        match self {
            CadreError::Blank => "blank",
            CadreError::Name { .. } => "invalid_name",
            CadreError::Gender(_) => "invalid_gender",
            CadreError::Date(_) => "invalid_date",
            CadreError::Education(_) => "invalid_education",
            CadreError::Post(_) => "invalid_post",
            CadreError::AreaCode { .. } => "invalid_area_code",
            CadreError::NotCommunity(_) => "not_a_community",
            CadreError::UnknownCommunity(_) => "unknown_community",
            CadreError::BornInFuture => "birth_in_future",
            CadreError::BornTooEarly => "birth_too_early",
            CadreError::StartInFuture => "start_in_future",
            CadreError::StartTooYoung => "start_too_young",
            CadreError::Duplicate(_) => "duplicate",
            CadreError::OutsideScope(_) => "outside_scope",
            CadreError::LeftBeforeStart => "left_before_start",
        }
    }

    fn message_zh(&self) -> String {
        match self {
            CadreError::Blank => "不能为空".into(),
            CadreError::Name { zh, .. } => zh.clone(),
            CadreError::Gender(v) => format!("“{v}”不是有效的性别，应为 男 或 女"),
            CadreError::Date(v) => {
                format!("“{v}”不是有效的日期，应为 YYYY-MM-DD（如 1980-05-20）")
            }
            CadreError::Education(v) => format!(
                "“{v}”不是有效的学历，可选：{}",
                Education::ALL
                    .iter()
                    .map(|e| e.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            CadreError::Post(v) => format!(
                "“{v}”不是有效的职务，可选：{}",
                CadrePost::ALL
                    .iter()
                    .map(|p| p.zh())
                    .collect::<Vec<_>>()
                    .join("、")
            ),
            CadreError::AreaCode { zh, .. } => zh.clone(),
            CadreError::NotCommunity(c) => {
                format!("{c} 不是社区/村一级的区划代码（应为 12 位，末 3 位不为 000）")
            }
            CadreError::UnknownCommunity(c) => format!("区划中没有代码为 {c} 的社区"),
            CadreError::BornInFuture => "出生日期不能晚于今天".into(),
            CadreError::BornTooEarly => format!("出生日期不能早于 {EARLIEST_BIRTH_YEAR} 年"),
            CadreError::StartInFuture => "任职日期不能晚于今天".into(),
            CadreError::StartTooYoung => {
                format!("任职日期早于年满 {MIN_AGE_AT_START} 周岁，请核对出生日期和任职日期")
            }
            CadreError::Duplicate(row) => {
                format!("与第{row}行重复：同一社区中姓名和出生日期相同")
            }
            CadreError::OutsideScope(c) => format!("社区 {c} 不在您的管辖范围内"),
            CadreError::LeftBeforeStart => "离任日期不能早于任职日期".into(),
        }
    }

    fn message_en(&self) -> String {
        match self {
            CadreError::Blank => "must not be blank".into(),
            CadreError::Name { en, .. } => en.clone(),
            CadreError::Gender(v) => format!("'{v}' is not a gender; expected 男 or 女"),
            CadreError::Date(v) => {
                format!("'{v}' is not a valid date; expected YYYY-MM-DD (e.g. 1980-05-20)")
            }
            CadreError::Education(v) => format!(
                "'{v}' is not an education level; expected one of: {}",
                Education::ALL
                    .iter()
                    .map(|e| e.zh())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CadreError::Post(v) => format!(
                "'{v}' is not a post; expected one of: {}",
                CadrePost::ALL
                    .iter()
                    .map(|p| p.zh())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            CadreError::AreaCode { en, .. } => en.clone(),
            CadreError::NotCommunity(c) => {
                format!("{c} is not a community-level code (12 digits, not ending in 000)")
            }
            CadreError::UnknownCommunity(c) => format!("no community with code {c}"),
            CadreError::BornInFuture => "the birth date is after today".into(),
            CadreError::BornTooEarly => {
                format!("the birth date is before {EARLIEST_BIRTH_YEAR}")
            }
            CadreError::StartInFuture => "the start date is after today".into(),
            CadreError::StartTooYoung => format!(
                "the start date is before the cadre turned {MIN_AGE_AT_START}; check both dates"
            ),
            CadreError::Duplicate(row) => {
                format!("duplicate of row {row}: same name and birth date in the same community")
            }
            CadreError::OutsideScope(c) => format!("community {c} is outside your area"),
            CadreError::LeftBeforeStart => "the day of leaving is before the start date".into(),
        }
    }
}

impl fmt::Display for CadreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for CadreError {}

fn nonblank(s: &str) -> Result<&str, CadreError> {
    let t = s.trim();
    if t.is_empty() {
        Err(CadreError::Blank)
    } else {
        Ok(t)
    }
}

/// Each field of a roster row parsed on its own, so that a row reports every bad cell.
pub fn parse_name(s: &str) -> Result<String, CadreError> {
    let t = nonblank(s)?;
    PersonName::parse(t)
        .map(|n| n.as_str().to_string())
        .map_err(|e| CadreError::Name {
            zh: e.message_zh(),
            en: e.message_en(),
        })
}

pub fn parse_gender(s: &str) -> Result<Gender, CadreError> {
    let t = nonblank(s)?;
    match t {
        "男性" => Ok(Gender::Male),
        "女性" => Ok(Gender::Female),
        _ => Gender::parse(t).map_err(|_| CadreError::Gender(t.chars().take(20).collect())),
    }
}

pub fn parse_date(s: &str) -> Result<Date, CadreError> {
    let t = nonblank(s)?;
    parse_sheet_date(t).ok_or_else(|| CadreError::Date(t.chars().take(30).collect()))
}

pub fn parse_education(s: &str) -> Result<Education, CadreError> {
    let t = nonblank(s)?;
    Education::read(t).ok_or_else(|| CadreError::Education(t.chars().take(20).collect()))
}

pub fn parse_post(s: &str) -> Result<CadrePost, CadreError> {
    let t = nonblank(s)?;
    CadrePost::read(t).ok_or_else(|| CadreError::Post(t.chars().take(20).collect()))
}

/// A 12-digit community code, checked structurally (the caller checks it exists).
pub fn parse_community(s: &str) -> Result<AreaCode, CadreError> {
    let t = nonblank(s)?;
    let code = AreaCode::parse(t).map_err(|e| CadreError::AreaCode {
        zh: e.message_zh(),
        en: e.message_en(),
    })?;
    if code.level() != AreaLevel::Community {
        return Err(CadreError::NotCommunity(code.to_string()));
    }
    Ok(code)
}

impl Cadre {
    /// The checks across fields, on `today`: born after 1920 and before today, in post from
    /// the age of 18 and not from a future date. Each refusal names its field.
    pub fn check_dates(&self, today: Date) -> Result<(), (CadreField, CadreError)> {
        if self.birth_date > today {
            return Err((CadreField::BirthDate, CadreError::BornInFuture));
        }
        if self.birth_date.year() < EARLIEST_BIRTH_YEAR {
            return Err((CadreField::BirthDate, CadreError::BornTooEarly));
        }
        if self.start_date > today {
            return Err((CadreField::StartDate, CadreError::StartInFuture));
        }
        if age_on(self.birth_date, self.start_date) < MIN_AGE_AT_START {
            return Err((CadreField::StartDate, CadreError::StartTooYoung));
        }
        Ok(())
    }

    /// Checks the first day no longer in post: after the start date.
    pub fn check_left(&self, left_on: Date) -> Result<(), CadreError> {
        if left_on <= self.start_date {
            return Err(CadreError::LeftBeforeStart);
        }
        Ok(())
    }

    /// In post on `on`: started by then and not left (`left_on` is the first day away).
    pub fn serving_on(start: Date, left_on: Option<Date>, on: Date) -> bool {
        start <= on && left_on.is_none_or(|l| on < l)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u8, d: u8) -> Date {
        Date::new(y, m, d).unwrap()
    }

    #[test]
    fn ages_are_completed_years() {
        let b = date(1981, 6, 15);
        assert_eq!(age_on(b, date(2026, 6, 14)), 44);
        assert_eq!(age_on(b, date(2026, 6, 15)), 45);
        let leap = date(2000, 2, 29);
        assert_eq!(age_on(leap, date(2018, 2, 28)), 17);
        assert_eq!(age_on(leap, date(2018, 3, 1)), 18);
    }

    #[test]
    fn roster_dates_in_the_forms_sheets_hold() {
        let d = date(1980, 5, 20);
        for s in [
            "1980-05-20",
            "1980/5/20",
            "1980.05.20",
            "19800520",
            "1980年5月20日",
            "1980-05-20T00:00:00",
            // The serial number a date cell of a workbook reads as.
            "29361",
        ] {
            assert_eq!(parse_sheet_date(s), Some(d), "{s}");
        }
        for s in ["1980-13-01", "20/05/1980", "昨天", "12", ""] {
            assert_eq!(parse_sheet_date(s), None, "{s}");
        }
    }

    #[test]
    fn education_and_post_as_rosters_write_them() {
        assert_eq!(Education::read("大学本科"), Some(Education::Bachelor));
        assert_eq!(Education::read("中专"), Some(Education::SeniorSecondary));
        assert_eq!(Education::read("硕士研究生"), Some(Education::Postgraduate));
        assert_eq!(Education::read("大专"), Some(Education::College));
        assert_eq!(Education::read("幼儿园"), None);
        assert_eq!(CadrePost::read("社区党委书记"), Some(CadrePost::Secretary));
        assert_eq!(
            CadrePost::read("书记、主任"),
            Some(CadrePost::SecretaryDirector)
        );
        assert_eq!(
            CadrePost::read("党委副书记"),
            Some(CadrePost::DeputySecretary)
        );
        assert_eq!(CadrePost::read("居委会主任"), Some(CadrePost::Director));
        assert_eq!(
            CadrePost::read("居委会副主任"),
            Some(CadrePost::DeputyDirector)
        );
        assert_eq!(CadrePost::read("党委委员"), Some(CadrePost::Member));
        assert_eq!(CadrePost::read("保安"), None);
    }

    #[test]
    fn fields_are_checked_with_bilingual_reasons() {
        assert_eq!(parse_gender("女"), Ok(Gender::Female));
        assert_eq!(parse_gender(" "), Err(CadreError::Blank));
        assert!(
            parse_gender("X")
                .unwrap_err()
                .message_zh()
                .contains("男 或 女")
        );
        assert!(parse_community("320508019044").is_ok());
        assert_eq!(
            parse_community("320508019000"),
            Err(CadreError::NotCommunity("320508019000".into()))
        );
        assert!(matches!(
            parse_community("32050801904"),
            Err(CadreError::AreaCode { .. })
        ));
        assert!(parse_name("张  三").is_ok());
        let e = parse_name("张3").unwrap_err();
        assert!(matches!(e, CadreError::Name { .. }));
        assert!(e.message_en().contains("digit"), "{}", e.message_en());
    }

    #[test]
    fn dates_across_fields() {
        let today = date(2026, 3, 1);
        let c = Cadre {
            name: "张三".into(),
            gender: Gender::Male,
            birth_date: date(1990, 1, 1),
            education: Education::Bachelor,
            post: CadrePost::Member,
            community: AreaCode::parse("320508019044").unwrap(),
            start_date: date(2015, 1, 1),
        };
        assert_eq!(c.check_dates(today), Ok(()));
        let young = Cadre {
            start_date: date(2007, 12, 31),
            ..c.clone()
        };
        assert_eq!(
            young.check_dates(today),
            Err((CadreField::StartDate, CadreError::StartTooYoung))
        );
        let future = Cadre {
            start_date: date(2026, 3, 2),
            ..c.clone()
        };
        assert_eq!(
            future.check_dates(today).unwrap_err().0,
            CadreField::StartDate
        );
        let unborn = Cadre {
            birth_date: date(2027, 1, 1),
            ..c.clone()
        };
        assert_eq!(
            unborn.check_dates(today),
            Err((CadreField::BirthDate, CadreError::BornInFuture))
        );
        assert_eq!(
            c.check_left(date(2015, 1, 1)),
            Err(CadreError::LeftBeforeStart)
        );
        assert!(c.check_left(date(2015, 1, 2)).is_ok());
        assert!(Cadre::serving_on(date(2020, 1, 1), None, date(2026, 1, 1)));
        assert!(!Cadre::serving_on(
            date(2020, 1, 1),
            Some(date(2025, 1, 1)),
            date(2026, 1, 1)
        ));
        assert!(!Cadre::serving_on(date(2026, 2, 1), None, date(2026, 1, 1)));
    }
}
