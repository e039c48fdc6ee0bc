//! Who may be served by a menu item: an age range and any of the household tags (独居老人,
//! 困难户 …). A refusal names the rule and the applicant's fact, in Chinese and English.

use super::ServicesError;
use serde::{Deserialize, Serialize};

crate::labelled_enum! {
    /// What a household (or one of its residents) is known for, as the services read it.
    pub enum HouseholdTag {
        LivingAlone = ("living_alone", "独居老人", "Elder living alone"),
        EmptyNest = ("empty_nest", "空巢老人", "Empty-nest elder"),
        LowIncome = ("low_income", "困难户/低保户", "Low-income household"),
        Disabled = ("disabled", "残疾", "Disability"),
        Entitled = ("entitled", "优抚对象", "Entitled veteran family"),
        LeftBehindChild = ("left_behind_child", "留守儿童", "Left-behind child"),
    }
}

/// A menu item's rule of who may order it; every part optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    pub min_age: Option<u32>,
    pub max_age: Option<u32>,
    /// The household must carry any one of these (none: anyone).
    #[serde(default)]
    pub any_tags: Vec<HouseholdTag>,
}

/// The person to be served, as the population base knows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applicant {
    pub age: u32,
    pub tags: Vec<HouseholdTag>,
}

/// Age in full years in `year` for someone born in `birth_year` (the base keeps years only).
pub fn age_in(year: i32, birth_year: i32) -> u32 {
    u32::try_from(year - birth_year).unwrap_or(0)
}

impl Eligibility {
    /// A rule as typed: the ages in order and below 130.
    pub fn checked(self) -> Result<Self, ServicesError> {
        for a in [self.min_age, self.max_age].into_iter().flatten() {
            if a > 130 {
                return Err(ServicesError::AgeRange);
            }
        }
        if let (Some(lo), Some(hi)) = (self.min_age, self.max_age)
            && lo > hi
        {
            return Err(ServicesError::AgeRange);
        }
        Ok(self)
    }

    /// Whether `who` may be served; the first rule they fail otherwise.
    pub fn check(&self, who: &Applicant) -> Result<(), ServicesError> {
        if let Some(min) = self.min_age
            && who.age < min
        {
            return Err(ServicesError::TooYoung { min, age: who.age });
        }
        if let Some(max) = self.max_age
            && who.age > max
        {
            return Err(ServicesError::TooOld { max, age: who.age });
        }
        if !self.any_tags.is_empty() && !self.any_tags.iter().any(|t| who.tags.contains(t)) {
            return Err(ServicesError::TagRequired {
                any_of: self.any_tags.clone(),
            });
        }
        Ok(())
    }

    /// The rule in words, for the menu ("60 岁及以上；独居老人或空巢老人").
    pub fn zh(&self) -> String {
        let mut parts = Vec::new();
        match (self.min_age, self.max_age) {
            (Some(lo), Some(hi)) => parts.push(format!("{lo}–{hi} 岁")),
            (Some(lo), None) => parts.push(format!("{lo} 岁及以上")),
            (None, Some(hi)) => parts.push(format!("{hi} 岁及以下")),
            (None, None) => {}
        }
        if !self.any_tags.is_empty() {
            parts.push(
                self.any_tags
                    .iter()
                    .map(|t| t.zh())
                    .collect::<Vec<_>>()
                    .join("或"),
            );
        }
        if parts.is_empty() {
            "所有居民".into()
        } else {
            parts.join("；")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn elder() -> Eligibility {
        Eligibility {
            min_age: Some(60),
            max_age: None,
            any_tags: vec![],
        }
    }

    #[test]
    fn an_applicant_of_45_is_refused_an_elder_service_naming_the_rule() {
        let e = elder()
            .check(&Applicant {
                age: 45,
                tags: vec![],
            })
            .unwrap_err();
        assert_eq!(e.code(), "not_eligible");
        assert_eq!(e.field().as_deref(), Some("resident"));
        assert_eq!(
            e.message_zh(),
            "本服务仅限 60 岁及以上老年人（申请人 45 岁）"
        );
        assert_eq!(
            e.message_en(),
            "this service is for residents aged 60 and over (applicant is 45)"
        );
        assert!(
            elder()
                .check(&Applicant {
                    age: 60,
                    tags: vec![]
                })
                .is_ok()
        );
    }

    #[test]
    fn tags_any_of_and_age_bounds() {
        let e = Eligibility {
            min_age: None,
            max_age: Some(14),
            any_tags: vec![HouseholdTag::LeftBehindChild, HouseholdTag::LowIncome],
        };
        let kid = |tags| Applicant { age: 9, tags };
        assert!(e.check(&kid(vec![HouseholdTag::LowIncome])).is_ok());
        let no_tag = e.check(&kid(vec![HouseholdTag::Disabled])).unwrap_err();
        assert!(
            no_tag.message_zh().contains("留守儿童或困难户/低保户"),
            "{}",
            no_tag.message_zh()
        );
        let old = e
            .check(&Applicant {
                age: 30,
                tags: vec![HouseholdTag::LowIncome],
            })
            .unwrap_err();
        assert!(
            old.message_en().contains("14 and under"),
            "{}",
            old.message_en()
        );
        assert_eq!(e.zh(), "14 岁及以下；留守儿童或困难户/低保户");
        assert_eq!(
            Eligibility {
                min_age: Some(70),
                max_age: Some(60),
                any_tags: vec![]
            }
            .checked(),
            Err(ServicesError::AgeRange)
        );
        assert_eq!(age_in(2026, 1950), 76);
    }
}
