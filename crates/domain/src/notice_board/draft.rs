//! A notice as entered: kind, title, plain-text body, period, audience and an optional link to
//! its subject (a resolution, a case ticket). The body is text, never HTML: pages escape it and
//! break it into paragraphs at blank lines.

use super::NoticeError;
use crate::calendar::Date;
use crate::codes::AreaCode;
use crate::labelled_enum;

pub const MAX_TITLE: usize = 120;
pub const MAX_BODY: usize = 20_000;
pub const MAX_REASON: usize = 500;
const MAX_SUBJECT: usize = 200;

labelled_enum! {
    /// The kinds of the seed appendix's 公示 platforms.
    pub enum NoticeKind {
        Government = ("government", "政务公示", "Government affairs"),
        CommunityAffairs = ("community_affairs", "村务/居务公示", "Village and community affairs"),
        PartyAffairs = ("party_affairs", "党务公开", "Party affairs"),
        BenefitPolicy = ("benefit_policy", "惠民政策", "Benefit policies"),
        Finance = ("finance", "财务公开", "Finances"),
        Resolution = ("resolution", "协商决议及落实结果", "Resolutions and their results"),
        ServiceResult = ("service_result", "服务结果", "Service results"),
    }
}

impl NoticeKind {
    pub fn parse_or(s: &str) -> Result<NoticeKind, NoticeError> {
        NoticeKind::parse(s)
            .ok_or_else(|| NoticeError::UnknownKind(s.trim().chars().take(20).collect()))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDraft {
    pub kind: NoticeKind,
    pub title: String,
    pub body: String,
    pub from: Date,
    pub until: Date,
    /// Residents of this area (a community, a street, the district or the city) are its audience.
    pub audience: AreaCode,
    /// The publishing department, for a department's own notices.
    pub department: Option<String>,
    pub subject_text: String,
    pub subject_url: String,
}

fn required(field: &'static str, v: &str, max: usize) -> Result<String, NoticeError> {
    let t = v.trim();
    if t.is_empty() {
        Err(NoticeError::Blank(field))
    } else if t.chars().count() > max {
        Err(NoticeError::TooLong(field, max))
    } else {
        Ok(t.to_string())
    }
}

/// Line breaks as `\n`, trailing blanks of each line dropped: the text hashed on the log is
/// the text shown.
fn normalise(body: &str) -> String {
    body.replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

impl NoticeDraft {
    pub fn checked(self) -> Result<NoticeDraft, NoticeError> {
        let title = required("title", &self.title, MAX_TITLE)?;
        let body = required("body", &normalise(&self.body), MAX_BODY)?;
        if self.until < self.from {
            return Err(NoticeError::UntilBeforeFrom);
        }
        let subject_text = self.subject_text.trim().to_string();
        if subject_text.chars().count() > MAX_SUBJECT {
            return Err(NoticeError::TooLong("subject_text", MAX_SUBJECT));
        }
        let subject_url = self.subject_url.trim().to_string();
        let ok_link = subject_url.is_empty()
            || (subject_url.starts_with('/') && !subject_url.starts_with("//"))
            || subject_url.starts_with("https://")
            || subject_url.starts_with("http://");
        if !ok_link || subject_url.chars().any(|c| c.is_whitespace() || c == '"') {
            return Err(NoticeError::BadLink);
        }
        if subject_url.chars().count() > MAX_SUBJECT {
            return Err(NoticeError::TooLong("subject_url", MAX_SUBJECT));
        }
        Ok(NoticeDraft {
            title,
            body,
            subject_text,
            subject_url,
            department: self
                .department
                .map(|d| d.trim().to_string())
                .filter(|d| !d.is_empty()),
            ..self
        })
    }

    /// Whether residents of `community` are in the audience.
    pub fn reaches(&self, community: &AreaCode) -> bool {
        self.audience == *community || self.audience.contains(community)
    }
}

/// The reason a notice is withdrawn: required, shown on the public page.
pub fn withdraw_reason(reason: &str) -> Result<String, NoticeError> {
    required("reason", reason, MAX_REASON)
}

/// The body's paragraphs: separated by blank lines; single line breaks stay inside one.
pub fn paragraphs(body: &str) -> Vec<String> {
    normalise(body)
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Bilingual;

    fn draft() -> NoticeDraft {
        NoticeDraft {
            kind: NoticeKind::Finance,
            title: " 2026年第三季度居务收支公开 ".into(),
            body: "收入：12,000 元\r\n支出：8,500 元\r\n\r\n\r\n<script>alert(1)</script>  ".into(),
            from: Date::new(2026, 10, 1).unwrap(),
            until: Date::new(2026, 10, 31).unwrap(),
            audience: AreaCode::parse("320508019044").unwrap(),
            department: Some(" ".into()),
            subject_text: String::new(),
            subject_url: String::new(),
        }
    }

    #[test]
    fn a_notice_is_plain_text_in_paragraphs_for_a_period() {
        let n = draft().checked().unwrap();
        assert_eq!(n.title, "2026年第三季度居务收支公开");
        assert_eq!(n.department, None);
        assert_eq!(
            paragraphs(&n.body),
            vec![
                "收入：12,000 元\n支出：8,500 元".to_string(),
                "<script>alert(1)</script>".to_string()
            ]
        );
        let back = NoticeDraft {
            until: Date::new(2026, 9, 30).unwrap(),
            ..draft()
        };
        let e = back.checked().unwrap_err();
        assert_eq!(e.field().as_deref(), Some("until"));
        let blank = NoticeDraft {
            body: " \n ".into(),
            ..draft()
        };
        assert_eq!(blank.checked(), Err(NoticeError::Blank("body")));
    }

    #[test]
    fn a_subject_link_is_ours_or_http() {
        for (url, ok) in [
            ("/c/320508019044/results", true),
            ("https://www.gov.cn/zhengce/", true),
            ("javascript:alert(1)", false),
            ("//evil.example/x", false),
            ("/a b", false),
        ] {
            let n = NoticeDraft {
                subject_url: url.into(),
                ..draft()
            };
            assert_eq!(n.checked().is_ok(), ok, "{url}");
        }
    }

    #[test]
    fn the_audience_covers_the_communities_inside_it() {
        let n = draft();
        let own = AreaCode::parse("320508019044").unwrap();
        let other = AreaCode::parse("320508019045").unwrap();
        assert!(n.reaches(&own) && !n.reaches(&other));
        let street = NoticeDraft {
            audience: AreaCode::parse("320508019000").unwrap(),
            ..draft()
        };
        assert!(street.reaches(&own) && street.reaches(&other));
        assert_eq!(
            NoticeKind::parse("党务公开"),
            Some(NoticeKind::PartyAffairs)
        );
        assert!(
            NoticeKind::parse_or("通知")
                .unwrap_err()
                .message_zh()
                .contains("惠民政策")
        );
        assert_eq!(withdraw_reason(" "), Err(NoticeError::Blank("reason")));
    }
}
