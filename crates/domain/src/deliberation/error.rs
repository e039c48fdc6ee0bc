//! Why a deliberation record cannot be accepted, in Chinese and English, naming the field.

use std::fmt;

use super::{
    Majority, MeetingKind, MotionStatus, Party, TopicCategory, TopicStatus, VoteChoice, VotingBasis,
};
use crate::Bilingual;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliberationError {
    Blank(&'static str),
    TooLong(&'static str, usize),
    TooMany(&'static str, u32),
    /// Topics and meetings belong to a community.
    NotACommunity,
    DateOutOfRange(&'static str),
    UnknownCategory(String),
    UnknownMeetingKind(String),
    UnknownParty(String),
    UnknownBasis(String),
    UnknownMajority(String),
    UnknownChoice(String),
    Threshold(u32),
    Quorum(u32),
    /// The topic takes no support, no decline: it was declined or discussed.
    TopicClosed(TopicStatus),
    /// Only an open topic is tabled by staff.
    TopicNotOpen(TopicStatus),
    /// A meeting's agenda takes tabled topics.
    TopicNotTabled(TopicStatus),
    /// The topic is on another meeting's agenda.
    TopicOnAgenda,
    /// This account or lookup code supported the topic already.
    AlreadySupported,
    /// The lookup code was not issued by this platform.
    UnknownLookupCode,
    DepartmentsNotInvited,
    UnknownDepartment(String),
    PartyNotInvited(Party),
    MeetingNotYetHeld,
    /// The meeting's minutes are recorded: it is held and changes no more.
    MeetingHeld,
    MotionClosed(MotionStatus),
    MotionNotPassed(MotionStatus),
    /// The household or resident voted on this motion already.
    AlreadyVoted,
    /// The voter is not a household (or resident) of the meeting's community.
    NotAVoter,
    /// Every eligible voter has voted.
    AllVoted,
    /// The motion has its resolution already.
    AlreadyResolved,
    DueInThePast,
    Progress(u32),
    ProgressBack {
        before: u32,
        now: u32,
    },
    /// The item is no task: a case's progress is its own.
    NotATask,
}

fn choices<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, sep: &str) -> String {
    all.iter().map(|v| name(*v)).collect::<Vec<_>>().join(sep)
}

impl Bilingual for DeliberationError {
    fn code(&self) -> &'static str {
        use DeliberationError::*;
        match self {
            Blank(_) => "blank",
            TooLong(..) => "too_long",
            TooMany(..) => "too_many",
            NotACommunity => "not_a_community",
            DateOutOfRange(_) => "date_out_of_range",
            UnknownCategory(_) => "unknown_topic_category",
            UnknownMeetingKind(_) => "unknown_meeting_kind",
            UnknownParty(_) => "unknown_party",
            UnknownBasis(_) => "unknown_voting_basis",
            UnknownMajority(_) => "unknown_majority",
            UnknownChoice(_) => "unknown_vote_choice",
            Threshold(_) => "invalid_support_threshold",
            Quorum(_) => "invalid_quorum",
            TopicClosed(_) => "topic_closed",
            TopicNotOpen(_) => "topic_not_open",
            TopicNotTabled(_) => "topic_not_tabled",
            TopicOnAgenda => "topic_on_agenda",
            AlreadySupported => "already_supported",
            UnknownLookupCode => "unknown_lookup_code",
            DepartmentsNotInvited => "departments_not_invited",
            UnknownDepartment(_) => "unknown_department",
            PartyNotInvited(_) => "party_not_invited",
            MeetingNotYetHeld => "meeting_not_yet_held",
            MeetingHeld => "meeting_held",
            MotionClosed(_) => "motion_closed",
            MotionNotPassed(_) => "motion_not_passed",
            AlreadyVoted => "already_voted",
            NotAVoter => "not_a_voter",
            AllVoted => "all_voted",
            AlreadyResolved => "already_resolved",
            DueInThePast => "due_in_the_past",
            Progress(_) => "invalid_progress",
            ProgressBack { .. } => "progress_goes_back",
            NotATask => "not_a_task",
        }
    }

    fn message_zh(&self) -> String {
        use DeliberationError::*;
        match self {
            Blank(f) => format!("“{}”不能为空", field_zh(f)),
            TooLong(f, n) => format!("“{}”不能超过 {n} 个字", field_zh(f)),
            TooMany(f, n) => format!("“{}”不能超过 {n}", field_zh(f)),
            NotACommunity => "议题和议事会属于一个社区：请选择社区".into(),
            DateOutOfRange(f) => format!("“{}”须在前后一年之内", field_zh(f)),
            UnknownCategory(c) => format!(
                "“{c}”不是议题类别，可选：{}",
                choices(TopicCategory::ALL, TopicCategory::zh, "、")
            ),
            UnknownMeetingKind(k) => format!(
                "“{k}”不是议事会类型，可选：{}",
                choices(MeetingKind::ALL, MeetingKind::zh, "、")
            ),
            UnknownParty(p) => format!(
                "“{p}”不是参会方，可选：{}",
                choices(Party::ALL, Party::zh, "、")
            ),
            UnknownBasis(b) => format!(
                "“{b}”不是表决方式，可选：{}",
                choices(VotingBasis::ALL, VotingBasis::zh, "、")
            ),
            UnknownMajority(m) => format!(
                "“{m}”不是通过比例，可选：{}",
                choices(Majority::ALL, Majority::zh, "、")
            ),
            UnknownChoice(c) => format!(
                "“{c}”不是表决意见，可选：{}",
                choices(VoteChoice::ALL, VoteChoice::zh, "、")
            ),
            Threshold(n) => format!(
                "列入议程所需支持数 {n} 无效：须在 1 到 {} 之间",
                super::MAX_THRESHOLD
            ),
            Quorum(n) => format!("参与率 {n}% 无效：须在 1% 到 100% 之间"),
            TopicClosed(s) => format!("该议题{}，不能再支持或不予采纳", s.zh()),
            TopicNotOpen(s) => format!("该议题{}，只有征集支持中的议题可以列入议程", s.zh()),
            TopicNotTabled(s) => format!("该议题{}：议程只收已列入议程的议题", s.zh()),
            TopicOnAgenda => "该议题已在另一次议事会的议程中".into(),
            AlreadySupported => "您已支持过这个议题，每人只能支持一次".into(),
            UnknownLookupCode => "查询码不正确：请使用您反映问题或提出议题时得到的查询码".into(),
            DepartmentsNotInvited => "未邀请职能部门，不能填写部门".into(),
            UnknownDepartment(d) => format!("没有代码为“{d}”的职能部门"),
            PartyNotInvited(p) => format!("本次议事会未邀请{}", p.zh()),
            MeetingNotYetHeld => "议事会尚未召开，不能记录会议纪要".into(),
            MeetingHeld => "议事会已召开并记录纪要，议程和参会情况不能再改".into(),
            MotionClosed(s) => format!("该表决事项已{}，不能再表决", s.zh()),
            MotionNotPassed(s) => format!("表决事项{}，不能形成决议", s.zh()),
            AlreadyVoted => "该户（人）已对本事项表决，一户（人）只能投一票".into(),
            NotAVoter => "投票人不是本社区的住户（居民）".into(),
            AllVoted => "有表决权的住户（居民）都已投票".into(),
            AlreadyResolved => "该表决事项已形成决议".into(),
            DueInThePast => "完成期限不能早于今天".into(),
            Progress(n) => format!("进度 {n}% 无效：须在 0% 到 100% 之间"),
            ProgressBack { before, now } => {
                format!("进度不能倒退：已记录 {before}%，本次为 {now}%")
            }
            NotATask => "这一项是案件，进度随案件办理，不能手工记录".into(),
        }
    }

    fn message_en(&self) -> String {
        use DeliberationError::*;
        match self {
            Blank(f) => format!("'{f}' must not be blank"),
            TooLong(f, n) => format!("'{f}' must be at most {n} characters"),
            TooMany(f, n) => format!("'{f}' must be at most {n}"),
            NotACommunity => "topics and meetings belong to a community: choose one".into(),
            DateOutOfRange(f) => format!("'{f}' must be within a year either way"),
            UnknownCategory(c) => format!(
                "'{c}' is not a topic category; expected one of: {}",
                choices(TopicCategory::ALL, TopicCategory::as_str, ", ")
            ),
            UnknownMeetingKind(k) => format!(
                "'{k}' is not a meeting kind; expected one of: {}",
                choices(MeetingKind::ALL, MeetingKind::as_str, ", ")
            ),
            UnknownParty(p) => format!(
                "'{p}' is not a party; expected one of: {}",
                choices(Party::ALL, Party::as_str, ", ")
            ),
            UnknownBasis(b) => format!(
                "'{b}' is not a voting basis; expected one of: {}",
                choices(VotingBasis::ALL, VotingBasis::as_str, ", ")
            ),
            UnknownMajority(m) => format!(
                "'{m}' is not a majority; expected one of: {}",
                choices(Majority::ALL, Majority::as_str, ", ")
            ),
            UnknownChoice(c) => format!(
                "'{c}' is not a vote; expected one of: {}",
                choices(VoteChoice::ALL, VoteChoice::as_str, ", ")
            ),
            Threshold(n) => format!(
                "support threshold {n} is invalid: need 1 to {}",
                super::MAX_THRESHOLD
            ),
            Quorum(n) => format!("quorum {n}% is invalid: need 1% to 100%"),
            TopicClosed(s) => format!(
                "the topic is {}: it takes no support and cannot be declined",
                s.en().to_lowercase()
            ),
            TopicNotOpen(s) => format!(
                "the topic is {}: only a topic gathering support is tabled",
                s.en().to_lowercase()
            ),
            TopicNotTabled(s) => format!(
                "the topic is {}: an agenda takes tabled topics",
                s.en().to_lowercase()
            ),
            TopicOnAgenda => "the topic is on another meeting's agenda".into(),
            AlreadySupported => "you supported this topic already; one support each".into(),
            UnknownLookupCode => {
                "unknown lookup code: use the one you got when you reported or raised a topic"
                    .into()
            }
            DepartmentsNotInvited => {
                "departments are named only when departments are invited".into()
            }
            UnknownDepartment(d) => format!("no department with code '{d}'"),
            PartyNotInvited(p) => format!("{} were not invited", p.en().to_lowercase()),
            MeetingNotYetHeld => "the meeting has not been held yet: no minutes".into(),
            MeetingHeld => {
                "the meeting is held and minuted: its agenda and attendance are final".into()
            }
            MotionClosed(s) => format!("the motion is {}: no more votes", s.en().to_lowercase()),
            MotionNotPassed(s) => format!("the motion is {}: no resolution", s.en().to_lowercase()),
            AlreadyVoted => "this household (resident) voted on the motion already".into(),
            NotAVoter => "the voter is not a household (resident) of the community".into(),
            AllVoted => "every eligible voter has voted".into(),
            AlreadyResolved => "the motion has its resolution already".into(),
            DueInThePast => "the due date is in the past".into(),
            Progress(n) => format!("progress {n}% is invalid: need 0% to 100%"),
            ProgressBack { before, now } => {
                format!("progress does not go back: {before}% recorded, {now}% given")
            }
            NotATask => "the item is a case: its progress is the case's own".into(),
        }
    }

    fn field(&self) -> Option<String> {
        use DeliberationError::*;
        let f = match self {
            Blank(f) | TooLong(f, _) | TooMany(f, _) | DateOutOfRange(f) => f,
            NotACommunity => "community",
            UnknownCategory(_) => "category",
            UnknownMeetingKind(_) => "kind",
            UnknownParty(_) | PartyNotInvited(_) => "party",
            UnknownBasis(_) => "basis",
            UnknownMajority(_) => "majority",
            UnknownChoice(_) => "choice",
            Threshold(_) => "support_threshold",
            Quorum(_) => "quorum_pct",
            TopicClosed(_) | TopicNotOpen(_) | TopicNotTabled(_) | TopicOnAgenda => "topic",
            AlreadySupported => "topic",
            UnknownLookupCode => "lookup_code",
            DepartmentsNotInvited | UnknownDepartment(_) => "departments",
            MeetingNotYetHeld => "held_on",
            MeetingHeld => "meeting",
            MotionClosed(_) | MotionNotPassed(_) | AlreadyResolved => "motion",
            AlreadyVoted | NotAVoter | AllVoted => "voter",
            DueInThePast => "due_on",
            Progress(_) | ProgressBack { .. } => "progress",
            NotATask => "item",
        };
        Some(f.to_string())
    }
}

/// The Chinese name of a form field, for messages.
fn field_zh(f: &str) -> &str {
    match f {
        "title" => "标题",
        "description" => "内容",
        "reason" => "理由",
        "place" => "地点",
        "invited" => "参会方",
        "departments" => "职能部门",
        "minutes" => "会议纪要",
        "note" => "说明",
        "count" => "人数",
        "owner" => "责任人",
        "due_on" => "完成期限",
        "held_on" => "召开日期",
        other => other,
    }
}

impl fmt::Display for DeliberationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

impl std::error::Error for DeliberationError {}
