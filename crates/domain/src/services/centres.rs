//! The seven centres of a community (七中心) and the lead department of each kind (牵头部门):
//! the shipped default follows Xuchang's model; the city changes it in its settings.

use super::{ServicesError, required};
use crate::codes::Phone;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

crate::labelled_enum! {
    /// One of the seven centres every community has.
    pub enum CentreKind {
        Convenience = ("convenience", "便民服务中心", "Convenience service centre"),
        Safety = ("safety", "综治服务中心", "Public safety service centre"),
        Culture = ("culture", "文体活动中心", "Culture and sports centre"),
        Health = ("health", "卫生服务中心", "Health service centre"),
        ElderCare = ("elder_care", "老年人日间照料中心", "Elderly day-care centre"),
        Children = ("children", "儿童服务中心", "Children's service centre"),
        Volunteer = ("volunteer", "志愿服务中心", "Volunteer service centre"),
    }
}

/// The shipped lead department of each kind, by the demo city's department codes: 行政服务中心
/// (ZW), 综治办 (ZF), 文广新局 (WL), 卫计委 (WJ), 民政局 (MZ), 教育局 (JY), 文明办 (WM).
pub const DEFAULT_LEAD_DEPARTMENTS: [(CentreKind, &str); 7] = [
    (CentreKind::Convenience, "ZW"),
    (CentreKind::Safety, "ZF"),
    (CentreKind::Culture, "WL"),
    (CentreKind::Health, "WJ"),
    (CentreKind::ElderCare, "MZ"),
    (CentreKind::Children, "JY"),
    (CentreKind::Volunteer, "WM"),
];

/// The city's settings of the seven centres: which kinds a community gets and which
/// department leads each. Kept as one JSON settings row; absent, the shipped default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentreSettings {
    pub lead_departments: BTreeMap<CentreKind, String>,
}

impl Default for CentreSettings {
    fn default() -> Self {
        CentreSettings {
            lead_departments: DEFAULT_LEAD_DEPARTMENTS
                .iter()
                .map(|(k, d)| (*k, d.to_string()))
                .collect(),
        }
    }
}

impl CentreSettings {
    /// Checks every lead department is one of the city's `departments`.
    pub fn checked(self, departments: &[String]) -> Result<Self, ServicesError> {
        for d in self.lead_departments.values() {
            if !departments.iter().any(|x| x == d) {
                return Err(ServicesError::UnknownDepartment(d.clone()));
            }
        }
        if self.lead_departments.is_empty() {
            return Err(ServicesError::Blank("lead_departments"));
        }
        Ok(self)
    }

    pub fn lead_of(&self, kind: CentreKind) -> Option<&str> {
        self.lead_departments.get(&kind).map(String::as_str)
    }
}

/// A centre's staff member as typed: a name, a phone, optionally the account they log in with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffDraft {
    pub name: String,
    pub phone: String,
    pub account_id: Option<i64>,
}

impl StaffDraft {
    pub fn checked(self) -> Result<Self, ServicesError> {
        let name = required("staff_name", &self.name, 50)?;
        let phone = Phone::parse(&self.phone)
            .map_err(|_| ServicesError::BadPhone(self.phone.clone()))?
            .as_str()
            .to_string();
        Ok(StaffDraft {
            name,
            phone,
            account_id: self.account_id,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    #[test]
    fn the_default_names_a_lead_for_each_of_the_seven() {
        let s = CentreSettings::default();
        assert_eq!(s.lead_departments.len(), 7);
        assert_eq!(s.lead_of(CentreKind::ElderCare), Some("MZ"));
        let city: Vec<String> = ["ZW", "ZF", "WL", "WJ", "MZ", "JY", "WM"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert!(s.clone().checked(&city).is_ok());
        let err = s.checked(&city[1..]).unwrap_err();
        assert_eq!(err, ServicesError::UnknownDepartment("ZW".into()));
        assert_eq!(
            CentreKind::parse("老年人日间照料中心"),
            Some(CentreKind::ElderCare)
        );
    }

    #[test]
    fn staff_need_a_name_and_a_mobile_phone() {
        let ok = StaffDraft {
            name: " 王芳 ".into(),
            phone: "13800001234".into(),
            account_id: None,
        }
        .checked()
        .unwrap();
        assert_eq!(ok.name, "王芳");
        let bad = StaffDraft {
            name: "王芳".into(),
            phone: "12".into(),
            account_id: None,
        }
        .checked()
        .unwrap_err();
        assert_eq!(bad.field().as_deref(), Some("staff_phone"));
    }
}
