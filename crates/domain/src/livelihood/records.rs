//! The four databases' records as entered, and a project's disclosure on the notice board.

use super::{LivelihoodError, fen_to_yuan, parse_yuan};
use crate::calendar::Date;
use crate::codes::AreaCode;
use crate::labelled_enum;
use crate::notice_board::{NoticeDraft, NoticeKind};

const MAX_NAME: usize = 120;
const MAX_TEXT: usize = 2_000;
const MAX_SHORT: usize = 60;

/// The three disclosure platforms of "1234" (三个公开平台) among the notice board's kinds.
pub const DISCLOSURE_KINDS: [NoticeKind; 3] = [
    NoticeKind::Government,
    NoticeKind::CommunityAffairs,
    NoticeKind::BenefitPolicy,
];

/// How long a disclosure stays on the board.
const DISCLOSURE_DAYS: i64 = 30;

fn required(field: &'static str, v: &str, max: usize) -> Result<String, LivelihoodError> {
    let t = v.trim();
    if t.is_empty() {
        Err(LivelihoodError::Blank(field))
    } else if t.chars().count() > max {
        Err(LivelihoodError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

fn optional(field: &'static str, v: &str, max: usize) -> Result<String, LivelihoodError> {
    let t = v.trim();
    if t.chars().count() > max {
        Err(LivelihoodError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// Fen from what was typed in yuan in `field`; blank is zero.
pub fn yuan(field: &'static str, typed: &str) -> Result<i64, LivelihoodError> {
    if typed.trim().is_empty() {
        return Ok(0);
    }
    parse_yuan(typed)
        .ok_or_else(|| LivelihoodError::NotYuan(field, typed.trim().chars().take(20).collect()))
}

fn progress(p: i64) -> Result<i64, LivelihoodError> {
    if (0..=100).contains(&p) {
        Ok(p)
    } else {
        Err(LivelihoodError::Progress(p))
    }
}

/// 责任: who answers for a policy or fund area, at which post, with which duties.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponsibilityDraft {
    pub area: AreaCode,
    /// The responsible department, when a department holds it; else the area's office.
    pub department: Option<String>,
    pub post: String,
    pub policy_area: String,
    pub duties: String,
}

impl ResponsibilityDraft {
    pub fn checked(self) -> Result<ResponsibilityDraft, LivelihoodError> {
        Ok(ResponsibilityDraft {
            post: required("post", &self.post, MAX_SHORT)?,
            policy_area: required("policy_area", &self.policy_area, MAX_SHORT)?,
            duties: required("duties", &self.duties, MAX_TEXT)?,
            department: self
                .department
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            ..self
        })
    }
}

/// 项目: a livelihood project and its funds in fen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectDraft {
    pub name: String,
    pub area: AreaCode,
    pub department: Option<String>,
    pub budget_fen: i64,
    pub allocated_fen: i64,
    pub disbursed_fen: i64,
    pub beneficiaries: i64,
    pub progress: i64,
}

impl ProjectDraft {
    pub fn checked(self) -> Result<ProjectDraft, LivelihoodError> {
        if self.allocated_fen > self.budget_fen {
            return Err(LivelihoodError::FundsExceed("allocated"));
        }
        if self.disbursed_fen > self.allocated_fen {
            return Err(LivelihoodError::FundsExceed("disbursed"));
        }
        if self.beneficiaries < 0 {
            return Err(LivelihoodError::Beneficiaries(self.beneficiaries));
        }
        Ok(ProjectDraft {
            name: required("name", &self.name, MAX_NAME)?,
            progress: progress(self.progress)?,
            department: self
                .department
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            ..self
        })
    }
}

/// A dated progress update of a project, with the funds disbursed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgressDraft {
    pub on: Date,
    pub progress: i64,
    pub disbursed_fen: i64,
    pub note: String,
}

impl ProgressDraft {
    /// Checked against the project's allocated funds.
    pub fn checked(self, allocated_fen: i64) -> Result<ProgressDraft, LivelihoodError> {
        if self.disbursed_fen > allocated_fen {
            return Err(LivelihoodError::FundsExceed("disbursed"));
        }
        Ok(ProgressDraft {
            progress: progress(self.progress)?,
            note: required("note", &self.note, MAX_TEXT)?,
            ..self
        })
    }
}

labelled_enum! {
    pub enum Rectification {
        NotRequired = ("none", "无需整改", "None required"),
        Required = ("required", "待整改", "Required"),
        Done = ("done", "已整改", "Done"),
    }
}

impl Rectification {
    pub fn parse_or(s: &str) -> Result<Rectification, LivelihoodError> {
        if s.trim().is_empty() {
            return Ok(Rectification::NotRequired);
        }
        Rectification::parse(s).ok_or_else(|| {
            LivelihoodError::UnknownRectification(s.trim().chars().take(20).collect())
        })
    }
}

/// 监督: an inspection of a project by a post (never a person's name on the ledger).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectionDraft {
    pub on: Date,
    pub by_post: String,
    pub findings: String,
    pub rectification: Rectification,
}

impl InspectionDraft {
    pub fn checked(self) -> Result<InspectionDraft, LivelihoodError> {
        Ok(InspectionDraft {
            by_post: required("by_post", &self.by_post, MAX_SHORT)?,
            findings: required("findings", &self.findings, MAX_TEXT)?,
            ..self
        })
    }
}

/// 查处: a matter found on a project, its handling and result; `report_ref` is the misconduct
/// report it went to, when one was filed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvestigationDraft {
    pub matter: String,
    pub handling: String,
    pub result: String,
    pub report_ref: Option<i64>,
}

impl InvestigationDraft {
    pub fn checked(self) -> Result<InvestigationDraft, LivelihoodError> {
        Ok(InvestigationDraft {
            matter: required("matter", &self.matter, MAX_TEXT)?,
            handling: required("handling", &self.handling, MAX_TEXT)?,
            result: optional("result", &self.result, MAX_TEXT)?,
            ..self
        })
    }
}

/// The notice disclosing `p` (funds, beneficiaries, progress) on platform `kind` from `today`,
/// to the project's area: a checked notice draft for the board.
pub fn disclosure(
    p: &ProjectDraft,
    id: i64,
    kind: NoticeKind,
    today: Date,
) -> Result<NoticeDraft, LivelihoodError> {
    if !DISCLOSURE_KINDS.contains(&kind) {
        return Err(LivelihoodError::DisclosureKind(kind.zh().to_string()));
    }
    let body = format!(
        "项目名称：{}\n预算资金：{} 元\n已拨付：{} 元\n已发放：{} 元\n受益人数：{} 人\n项目进度：{}%\n\n\
         如对项目资金使用有疑问，可通过民生监督举报箱反映。",
        p.name,
        fen_to_yuan(p.budget_fen),
        fen_to_yuan(p.allocated_fen),
        fen_to_yuan(p.disbursed_fen),
        p.beneficiaries,
        p.progress,
    );
    NoticeDraft {
        kind,
        title: format!("民生项目公开：{}", p.name),
        body,
        from: today,
        until: today.add_days(DISCLOSURE_DAYS),
        audience: p.area,
        department: p.department.clone(),
        subject_text: format!("民生项目 {id}"),
        subject_url: String::new(),
    }
    .checked()
    .map_err(|_| LivelihoodError::TooLong("name", MAX_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn project() -> ProjectDraft {
        ProjectDraft {
            name: " 老旧小区加装电梯补助 ".into(),
            area: AreaCode::parse("320508019044").unwrap(),
            department: Some("".into()),
            budget_fen: 100_000_000,
            allocated_fen: 60_000_000,
            disbursed_fen: 20_000_000,
            beneficiaries: 320,
            progress: 40,
        }
    }

    #[test]
    fn funds_add_up_and_progress_is_a_percentage() {
        let p = project().checked().unwrap();
        assert_eq!(p.name, "老旧小区加装电梯补助");
        assert_eq!(p.department, None);
        let over = ProjectDraft {
            disbursed_fen: 70_000_000,
            ..project()
        };
        assert_eq!(
            over.checked().unwrap_err().field().as_deref(),
            Some("disbursed")
        );
        let over = ProjectDraft {
            allocated_fen: 200_000_000,
            ..project()
        };
        assert_eq!(
            over.checked(),
            Err(LivelihoodError::FundsExceed("allocated"))
        );
        let bad = ProjectDraft {
            progress: 101,
            ..project()
        };
        assert_eq!(bad.checked(), Err(LivelihoodError::Progress(101)));
        assert_eq!(yuan("budget", "1,000.5"), Ok(100_050));
        assert_eq!(
            yuan("budget", "一百").unwrap_err().field().as_deref(),
            Some("budget")
        );
    }

    #[test]
    fn a_disclosure_shows_funds_beneficiaries_and_progress() {
        let p = project().checked().unwrap();
        let today = Date::new(2026, 12, 1).unwrap();
        let n = disclosure(&p, 7, NoticeKind::BenefitPolicy, today).unwrap();
        assert_eq!(n.audience, p.area);
        assert!(n.body.contains("1,000,000.00 元") && n.body.contains("320 人"));
        assert!(n.body.contains("40%"));
        assert_eq!(n.until, today.add_days(30));
        assert!(disclosure(&p, 7, NoticeKind::PartyAffairs, today).is_err());
        assert_eq!(Rectification::parse_or(""), Ok(Rectification::NotRequired));
        assert!(Rectification::parse_or("x").is_err());
    }
}
