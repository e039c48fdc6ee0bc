//! Where a case came from (信息收集的来源).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A resident's report on the web or phone page (公众举报).
    ResidentWeb,
    /// A grid worker's patrol (网格员巡查).
    GridPatrol,
    /// The 12345 citizen hotline (市民服务热线).
    Hotline,
    /// Video surveillance (视频监控).
    Video,
    /// Assigned by a superior (上级交办).
    SuperiorAssignment,
    /// An Open311 GeoReport client.
    Open311,
    /// Raised in a deliberation (有事好商量).
    Deliberation,
    /// Found on a red grid member's household visit (民情走访).
    Visit,
}

impl Channel {
    pub const ALL: [Channel; 8] = [
        Channel::ResidentWeb,
        Channel::GridPatrol,
        Channel::Hotline,
        Channel::Video,
        Channel::SuperiorAssignment,
        Channel::Open311,
        Channel::Deliberation,
        Channel::Visit,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Channel::ResidentWeb => "resident_web",
            Channel::GridPatrol => "grid_patrol",
            Channel::Hotline => "hotline",
            Channel::Video => "video",
            Channel::SuperiorAssignment => "superior_assignment",
            Channel::Open311 => "open311",
            Channel::Deliberation => "deliberation",
            Channel::Visit => "visit",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Channel::ResidentWeb => "公众举报",
            Channel::GridPatrol => "网格员巡查",
            Channel::Hotline => "12345热线",
            Channel::Video => "视频监控",
            Channel::SuperiorAssignment => "上级交办",
            Channel::Open311 => "Open311接口",
            Channel::Deliberation => "有事好商量",
            Channel::Visit => "民情走访",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Channel::ResidentWeb => "Resident report",
            Channel::GridPatrol => "Grid patrol",
            Channel::Hotline => "12345 hotline",
            Channel::Video => "Video surveillance",
            Channel::SuperiorAssignment => "Assigned from above",
            Channel::Open311 => "Open311 client",
            Channel::Deliberation => "Deliberation",
            Channel::Visit => "Household visit",
        }
    }

    /// Accepts the snake_case code or the Chinese name.
    /// Whether a report through this channel may be filed located nowhere: the 12345 centre
    /// files calls it could not place, and its city-wide dispatchers see them; a report from
    /// anyone else needs a point, an address the city holds, or a street.
    pub fn files_unlocated(self) -> bool {
        self == Channel::Hotline
    }

    pub fn parse(s: &str) -> Option<Channel> {
        let s = s.trim();
        Channel::ALL
            .into_iter()
            .find(|c| s.eq_ignore_ascii_case(c.as_str()) || s == c.zh())
    }
}
