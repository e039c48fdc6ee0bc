//! Rankings: members of an organisation or community by their year, and organisations or
//! communities by their members' averages.

use std::cmp::Ordering;

use serde::Serialize;

/// A member's year as the ranking sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberStanding {
    pub member: i64,
    /// `None` until rated this year.
    pub stars: Option<u8>,
    /// The star total in hundredths of a point.
    pub total: Option<u32>,
    pub points_left: i64,
    /// 1-based; members who compare equal share a rank (1, 2, 2, 4).
    pub rank: usize,
}

fn by_merit(a: &MemberStanding, b: &MemberStanding) -> Ordering {
    // Rated before unrated, more stars first, then the higher total, then more points left.
    b.stars
        .cmp(&a.stars)
        .then(b.total.cmp(&a.total))
        .then(b.points_left.cmp(&a.points_left))
}

/// Sorts members best first and numbers their ranks; equals keep the order of their ids.
pub fn rank_members(members: &mut [MemberStanding]) {
    members.sort_by(|a, b| by_merit(a, b).then(a.member.cmp(&b.member)));
    for i in 0..members.len() {
        members[i].rank = if i > 0 && by_merit(&members[i - 1], &members[i]) == Ordering::Equal {
            members[i - 1].rank
        } else {
            i + 1
        };
    }
}

/// An organisation's or community's standing: its members' averages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupStanding {
    /// The organisation's id or the community's code, as the caller keyed it.
    pub key: String,
    pub members: usize,
    /// Members rated this year.
    pub rated: usize,
    /// The rated members' average star total, in hundredths of a point.
    pub average_total: Option<u32>,
    /// The average points left, in hundredths of a point.
    pub average_points: i64,
    /// Members with at least one alert.
    pub alerted: usize,
    pub rank: usize,
}

/// `num / den` rounded half away from zero.
fn rounded(num: i64, den: i64) -> i64 {
    if num >= 0 {
        (2 * num + den) / (2 * den)
    } else {
        -((-2 * num + den) / (2 * den))
    }
}

fn group_order(a: &GroupStanding, b: &GroupStanding) -> Ordering {
    b.average_total
        .cmp(&a.average_total)
        .then(b.average_points.cmp(&a.average_points))
        .then(a.alerted.cmp(&b.alerted))
}

/// Ranks groups (key, their members, how many of them are alerted) by the average star total
/// of their rated members, then average points left, then fewer alerts. Groups without
/// members are left out.
pub fn group_standings(groups: Vec<(String, Vec<MemberStanding>, usize)>) -> Vec<GroupStanding> {
    let mut out: Vec<GroupStanding> = groups
        .into_iter()
        .filter(|(_, m, _)| !m.is_empty())
        .map(|(key, members, alerted)| {
            let totals: Vec<i64> = members
                .iter()
                .filter_map(|m| m.total.map(i64::from))
                .collect();
            let n = members.len() as i64;
            let left: i64 = members.iter().map(|m| m.points_left).sum();
            GroupStanding {
                key,
                members: members.len(),
                rated: totals.len(),
                average_total: (!totals.is_empty())
                    .then(|| rounded(totals.iter().sum::<i64>(), totals.len() as i64) as u32),
                average_points: rounded(left * 100, n),
                alerted,
                rank: 0,
            }
        })
        .collect();
    out.sort_by(|a, b| group_order(a, b).then(a.key.cmp(&b.key)));
    for i in 0..out.len() {
        out[i].rank = if i > 0 && group_order(&out[i - 1], &out[i]) == Ordering::Equal {
            out[i - 1].rank
        } else {
            i + 1
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(member: i64, stars: Option<u8>, total: Option<u32>, points_left: i64) -> MemberStanding {
        MemberStanding {
            member,
            stars,
            total,
            points_left,
            rank: 0,
        }
    }

    #[test]
    fn members_rank_by_stars_total_then_points_and_share_ties() {
        let mut v = vec![
            m(1, None, None, 12),
            m(2, Some(4), Some(8500), 10),
            m(3, Some(5), Some(9200), 6),
            m(4, Some(4), Some(8500), 10),
            m(5, Some(4), Some(8500), 12),
        ];
        rank_members(&mut v);
        let order: Vec<(i64, usize)> = v.iter().map(|s| (s.member, s.rank)).collect();
        assert_eq!(order, vec![(3, 1), (5, 2), (2, 3), (4, 3), (1, 5)]);
    }

    #[test]
    fn groups_rank_by_their_averages() {
        let g = group_standings(vec![
            (
                "a".into(),
                vec![m(1, Some(5), Some(9000), 12), m(2, None, None, 5)],
                1,
            ),
            ("b".into(), vec![m(3, Some(4), Some(8001), 12)], 0),
            ("empty".into(), vec![], 0),
            ("c".into(), vec![m(4, None, None, 11)], 0),
        ]);
        let keys: Vec<(&str, usize)> = g.iter().map(|s| (s.key.as_str(), s.rank)).collect();
        assert_eq!(keys, vec![("a", 1), ("b", 2), ("c", 3)]);
        assert_eq!(g[0].average_total, Some(9000));
        // (12 + 5) / 2 = 8.50 points.
        assert_eq!(g[0].average_points, 850);
        assert_eq!((g[0].members, g[0].rated, g[0].alerted), (2, 1, 1));
        assert_eq!(g[2].average_total, None);
    }
}
