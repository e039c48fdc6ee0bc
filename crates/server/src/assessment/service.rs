//! The assessment operations the API and the pages share: parse, authorise by the policy, let
//! the domain decide, write through the store (which logs each write in its transaction).

use crate::auth::User;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use axum::http::StatusCode;
use gongzhi_domain::Bilingual;
use gongzhi_domain::access::{Action, List, Listing, Target};
use gongzhi_domain::assessment::{
    Alert, AssessmentError, Evidence, GroupStanding, MemberStanding, PointsRules, StarRules,
    alerts, deduction_year, group_standings, open_year, rank_members, running_balances,
};
use gongzhi_domain::calendar::{Date, date_of};
use gongzhi_domain::codes::AreaCode;
use gongzhi_store::{
    Actor, AssessedMember, AssessmentFilter, DeductionRow, MemberYearRow, NewDeduction, NewRating,
    RulesVersion, StarRatingRow, now_millis,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

pub fn today() -> Date {
    date_of(now_millis())
}

/// Who writes, as the log names them: the account's id and display name.
pub fn actor(user: &User) -> Actor<'_> {
    Actor {
        id: Some(user.account.id),
        name: &user.account.display_name,
    }
}

pub fn domain_error(e: AssessmentError) -> ApiError {
    let field = e.field().unwrap_or_default();
    ApiError::invalid(&field, &e)
}

fn forbidden() -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "forbidden",
        "您无权查看党员考核",
        "you may not see the members' assessment",
    )
}

/// The area the caller's assessment lists cover (`None`: the whole city), or a refusal.
pub fn listed_area(user: &User) -> ApiResult<Option<AreaCode>> {
    match user.listing(List::Assessments) {
        Listing::Everything => Ok(None),
        Listing::Area(a) => Ok(Some(a)),
        Listing::Grid(_)
        | Listing::Department(_)
        | Listing::Reports(_)
        | Listing::Linked(_)
        | Listing::Nothing => Err(forbidden()),
    }
}

/// A member the caller may assess, else 404 (a member outside the caller's area is not shown
/// to exist).
pub async fn member_of(st: &AppState, user: &User, id: i64) -> ApiResult<AssessedMember> {
    st.store
        .assessed_member(id)
        .await?
        .filter(|m| {
            user.may(Action::AssessMembers, &Target::Area(m.area))
                .is_ok()
        })
        .ok_or_else(|| ApiError::not_found(format!("党员 {id}"), format!("party member {id}")))
}

/// `YYYY`, this year when absent.
pub fn year_param(raw: Option<&str>) -> ApiResult<i32> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today().year()),
        Some(s) => s
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y))
            .ok_or_else(|| {
                ApiError::bad_request(
                    "year",
                    format!("年度应为 2000–2100 之间的四位数字：{s}"),
                    format!("the year must be four digits between 2000 and 2100: {s}"),
                )
            }),
    }
}

fn date_param(field: &str, raw: Option<&str>) -> ApiResult<Date> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(today()),
        Some(s) => Date::parse(s).ok_or_else(|| {
            ApiError::bad_request(
                field,
                format!("日期应为 YYYY-MM-DD：{s}"),
                format!("a date must be YYYY-MM-DD: {s}"),
            )
        }),
    }
}

/// The list's query: the year, an organisation, a community, only the alerted.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ListQuery {
    pub year: Option<String>,
    pub org: Option<String>,
    pub community: Option<String>,
    /// `1` / `true`: only members with an alert.
    pub alert: Option<String>,
}

impl ListQuery {
    pub fn alerted_only(&self) -> bool {
        matches!(self.alert.as_deref().map(str::trim), Some("1" | "true"))
    }

    /// The query string of this query (for the export link and the page's filters).
    pub fn to_query(&self, year: i32) -> String {
        let mut q = format!("year={year}");
        for (k, v) in [
            ("org", &self.org),
            ("community", &self.community),
            ("alert", &self.alert),
        ] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                q.push_str(&format!("&{k}={}", urlencode(v)));
            }
        }
        q
    }
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// One member's year in a list: the row, points left, the star total as points, alerts, rank.
#[derive(Clone, Debug, Serialize)]
pub struct MemberEntry {
    #[serde(flatten)]
    pub row: MemberYearRow,
    pub points_left: i64,
    /// The star total in points, two decimals.
    pub score: Option<f64>,
    pub alerts: Vec<Alert>,
    /// Rank within the list (by stars, total, points left; equals share a rank).
    pub rank: usize,
}

impl MemberEntry {
    pub fn alerted(&self) -> bool {
        !self.alerts.is_empty()
    }

    pub fn has(&self, a: &Alert) -> bool {
        self.alerts.contains(a)
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct YearList {
    pub year: i32,
    /// The yearly budget of the rules in force.
    pub budget: u32,
    pub members: Vec<MemberEntry>,
}

/// A total in hundredths as points (`7650` → 76.5).
pub fn points_of(hundredths: u32) -> f64 {
    f64::from(hundredths) / 100.0
}

/// The members' years the caller may see under `q`, ranked best first.
pub async fn year_list(st: &AppState, user: &User, q: &ListQuery) -> ApiResult<YearList> {
    let within = listed_area(user)?;
    let year = year_param(q.year.as_deref())?;
    let org = match q.org.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(s.parse::<i64>().map_err(|_| {
            ApiError::bad_request(
                "org",
                format!("党组织编号应为数字：{s}"),
                format!("the organisation id must be a number: {s}"),
            )
        })?),
    };
    let community = match q
        .community
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(crate::http::api_geo::parse_area("community", s)?),
    };
    let rows = st
        .store
        .assessment_years(&AssessmentFilter {
            year,
            within,
            org,
            community,
            member: None,
        })
        .await?;
    let (points, stars) = (st.store.points_rules().await?, st.store.star_rules().await?);
    let mut members = entries(rows, &points.rules, &stars.rules);
    if q.alerted_only() {
        members.retain(MemberEntry::alerted);
    }
    Ok(YearList {
        year,
        budget: points.rules.budget,
        members,
    })
}

/// Rows as ranked entries.
fn entries(rows: Vec<MemberYearRow>, points: &PointsRules, stars: &StarRules) -> Vec<MemberEntry> {
    let mut standings: Vec<MemberStanding> = rows
        .iter()
        .map(|r| MemberStanding {
            member: r.member.id,
            stars: r.stars,
            total: r.total,
            points_left: points.left(u32::try_from(r.deducted).unwrap_or(u32::MAX)),
            rank: 0,
        })
        .collect();
    rank_members(&mut standings);
    let mut by_id: HashMap<i64, MemberYearRow> =
        rows.into_iter().map(|r| (r.member.id, r)).collect();
    standings
        .into_iter()
        .filter_map(|s| {
            let row = by_id.remove(&s.member)?;
            Some(MemberEntry {
                alerts: alerts(s.points_left, row.stars, points, stars),
                score: row.total.map(points_of),
                points_left: s.points_left,
                rank: s.rank,
                row,
            })
        })
        .collect()
}

/// An organisation's or community's standing, with its name and averages as points.
#[derive(Clone, Debug, Serialize)]
pub struct GroupRow {
    #[serde(flatten)]
    pub standing: GroupStanding,
    pub name: String,
    pub average_score: Option<f64>,
    pub average_points_left: f64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Rankings {
    pub year: i32,
    /// `org` or `community`.
    pub by: &'static str,
    pub groups: Vec<GroupRow>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct RankingQuery {
    pub year: Option<String>,
    /// `org` (default) or `community`.
    pub by: Option<String>,
}

/// Organisations (members without one are left out) or communities ranked by their members'
/// averages, over the members in `list`.
pub fn rankings(list: &YearList, by_org: bool) -> Rankings {
    let mut groups: BTreeMap<String, (String, Vec<MemberStanding>, usize)> = BTreeMap::new();
    for m in &list.members {
        let (key, name) = if by_org {
            let Some(id) = m.row.member.org_id else {
                continue;
            };
            (
                id.to_string(),
                m.row.member.org_name.clone().unwrap_or_default(),
            )
        } else {
            let c = m.row.member.community.to_string();
            let name = m
                .row
                .member
                .community_name
                .clone()
                .unwrap_or_else(|| c.clone());
            (c, name)
        };
        let g = groups.entry(key).or_insert_with(|| (name, Vec::new(), 0));
        g.1.push(MemberStanding {
            member: m.row.member.id,
            stars: m.row.stars,
            total: m.row.total,
            points_left: m.points_left,
            rank: 0,
        });
        g.2 += usize::from(m.alerted());
    }
    let names: HashMap<String, String> = groups
        .iter()
        .map(|(k, (name, _, _))| (k.clone(), name.clone()))
        .collect();
    let standings = group_standings(
        groups
            .into_iter()
            .map(|(k, (_, members, alerted))| (k, members, alerted))
            .collect(),
    );
    Rankings {
        year: list.year,
        by: if by_org { "org" } else { "community" },
        groups: standings
            .into_iter()
            .map(|s| GroupRow {
                name: names.get(&s.key).cloned().unwrap_or_default(),
                average_score: s.average_total.map(points_of),
                average_points_left: s.average_points as f64 / 100.0,
                standing: s,
            })
            .collect(),
    }
}

pub fn by_org(raw: Option<&str>) -> ApiResult<bool> {
    match raw.map(str::trim).unwrap_or("org") {
        "" | "org" => Ok(true),
        "community" => Ok(false),
        other => Err(ApiError::bad_request(
            "by",
            format!("排名方式应为 org（党组织）或 community（社区）：{other}"),
            format!("rank by org or community, not {other}"),
        )),
    }
}

/// A deduction with the balance it left.
#[derive(Clone, Debug, Serialize)]
pub struct LedgerDeduction {
    #[serde(flatten)]
    pub row: DeductionRow,
    /// Points left after this deduction (revoked ones leave it unchanged).
    pub balance_after: i64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RatingView {
    #[serde(flatten)]
    pub row: StarRatingRow,
    pub score: f64,
}

/// A member's year: the ledger with its running balance, the rating, the alerts.
#[derive(Clone, Debug, Serialize)]
pub struct MemberLedger {
    pub member: AssessedMember,
    pub year: i32,
    pub budget: u32,
    pub deducted: i64,
    pub points_left: i64,
    pub alerts: Vec<Alert>,
    pub deductions: Vec<LedgerDeduction>,
    pub rating: Option<RatingView>,
}

pub async fn ledger(st: &AppState, user: &User, id: i64, year: i32) -> ApiResult<MemberLedger> {
    let member = member_of(st, user, id).await?;
    let (points, stars) = (st.store.points_rules().await?, st.store.star_rules().await?);
    let rows = st.store.points_deductions(id, year).await?;
    let flags: Vec<(u32, bool)> = rows
        .iter()
        .map(|d| (d.points as u32, d.revoked_at.is_some()))
        .collect();
    let balances = running_balances(points.rules.budget, &flags);
    let deducted: i64 = rows
        .iter()
        .filter(|d| d.revoked_at.is_none())
        .map(|d| d.points)
        .sum();
    let points_left = points
        .rules
        .left(u32::try_from(deducted).unwrap_or(u32::MAX));
    let rating = st.store.star_rating(id, year).await?;
    Ok(MemberLedger {
        alerts: alerts(
            points_left,
            rating.as_ref().map(|r| r.stars),
            &points.rules,
            &stars.rules,
        ),
        member,
        year,
        budget: points.rules.budget,
        deducted,
        points_left,
        deductions: rows
            .into_iter()
            .zip(balances)
            .map(|(row, balance_after)| LedgerDeduction { row, balance_after })
            .collect(),
        rating: rating.map(|row| RatingView {
            score: points_of(row.total),
            row,
        }),
    })
}

/// Refuses a year in which the member did not belong to the party.
async fn member_in_year(st: &AppState, member: &AssessedMember, year: i32) -> ApiResult<()> {
    let f = AssessmentFilter {
        year,
        member: Some(member.id),
        ..Default::default()
    };
    if st.store.assessment_years(&f).await?.is_empty() {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "not_a_member_that_year",
            format!("{}在 {year} 年度不是党员，无法考核", member.name),
            format!("{} was not a party member in {year}", member.name),
        ));
    }
    Ok(())
}

#[derive(Clone, Debug, Deserialize)]
pub struct DeductBody {
    /// The catalogue item's code (or Chinese name).
    pub item: String,
    /// The day of the failing; today when absent.
    pub occurred_on: Option<String>,
    pub reason: String,
    #[serde(default)]
    pub note: String,
}

/// Records a deduction with its photos: checked by the domain (year, item, evidence, balance),
/// photos written first and taken back if the deduction is refused.
pub async fn deduct(
    st: &AppState,
    user: &User,
    id: i64,
    b: DeductBody,
    photos: &[Vec<u8>],
) -> ApiResult<DeductionRow> {
    let member = member_of(st, user, id).await?;
    let occurred_on = date_param("occurred_on", b.occurred_on.as_deref())?;
    let year = deduction_year(occurred_on, today()).map_err(domain_error)?;
    member_in_year(st, &member, year).await?;
    let evidence = Evidence {
        reason: b.reason,
        note: b.note,
        photos: photos.len(),
    }
    .checked()
    .map_err(domain_error)?;
    let rules = st.store.points_rules().await?;
    rules.rules.item(&b.item).map_err(domain_error)?;
    crate::cases::pages::check_photos(photos)?;
    let mut written = Vec::new();
    for p in photos {
        match crate::cases::photos::write_into(st, &format!("photos/assessment/{id}"), p).await {
            Ok(w) => written.push(w),
            Err(e) => {
                crate::cases::photos::take_back(st, &written).await;
                return Err(e);
            }
        }
    }
    let new = NewDeduction {
        member_id: id,
        year,
        occurred_on,
        item: b.item,
        reason: evidence.reason,
        note: evidence.note,
        photos: written.iter().map(|(p, _)| p.clone()).collect(),
    };
    let done = st.store.deduct_points(&new, &rules, &actor(user)).await;
    let deduction = match done {
        Ok(d) => d,
        Err(e) => {
            crate::cases::photos::take_back(st, &written).await;
            return Err(e.into());
        }
    };
    st.store
        .points_deduction(deduction)
        .await?
        .ok_or_else(|| ApiError::not_found("扣分记录", "deduction"))
}

#[derive(Clone, Debug, Deserialize)]
pub struct RevokeBody {
    pub reason: String,
}

/// Revokes a deduction of a member the caller may assess.
pub async fn revoke(st: &AppState, user: &User, id: i64, reason: &str) -> ApiResult<DeductionRow> {
    let not_found = || ApiError::not_found(format!("扣分记录 {id}"), format!("deduction {id}"));
    let d = st.store.points_deduction(id).await?.ok_or_else(not_found)?;
    member_of(st, user, d.member_id)
        .await
        .map_err(|_| not_found())?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(domain_error(AssessmentError::Blank("reason")));
    }
    if reason.chars().count() > gongzhi_domain::assessment::MAX_REASON {
        return Err(domain_error(AssessmentError::TooLong(
            "reason",
            gongzhi_domain::assessment::MAX_REASON,
        )));
    }
    st.store.revoke_deduction(id, reason, &actor(user)).await?;
    st.store.points_deduction(id).await?.ok_or_else(not_found)
}

#[derive(Clone, Debug, Deserialize)]
pub struct RatingBody {
    /// Dimension code → score.
    pub scores: BTreeMap<String, u32>,
    #[serde(default)]
    pub note: String,
}

/// Rates a member's year under the star rules in force (a re-rating replaces the last).
pub async fn rate(
    st: &AppState,
    user: &User,
    id: i64,
    year: i32,
    b: RatingBody,
) -> ApiResult<RatingView> {
    let member = member_of(st, user, id).await?;
    open_year(year, today()).map_err(domain_error)?;
    member_in_year(st, &member, year).await?;
    let note = b.note.trim().to_string();
    if note.chars().count() > 500 {
        return Err(domain_error(AssessmentError::TooLong("note", 500)));
    }
    let rules = st.store.star_rules().await?;
    let result = rules.rules.rate(&b.scores).map_err(domain_error)?;
    st.store
        .rate_member(
            &NewRating {
                member_id: id,
                year,
                rules_id: rules.id,
                scores: b.scores,
                result,
                note,
            },
            &actor(user),
        )
        .await?;
    let row = st
        .store
        .star_rating(id, year)
        .await?
        .ok_or_else(|| ApiError::not_found("考核评定", "rating"))?;
    Ok(RatingView {
        score: points_of(row.total),
        row,
    })
}

#[derive(Clone, Debug, Serialize)]
pub struct RulesView {
    pub stars: RulesVersion<StarRules>,
    pub points: RulesVersion<PointsRules>,
}

pub async fn rules(st: &AppState, user: &User) -> ApiResult<RulesView> {
    listed_area(user)?;
    Ok(RulesView {
        stars: st.store.star_rules().await?,
        points: st.store.points_rules().await?,
    })
}

/// The rule sets are the city's: changed only by an account whose scope covers everything.
pub fn may_set_rules(user: &User) -> ApiResult<()> {
    user.may(Action::AssessMembers, &Target::Everything)
}

pub async fn set_star_rules(st: &AppState, user: &User, r: StarRules) -> ApiResult<RulesView> {
    may_set_rules(user)?;
    r.check().map_err(domain_error)?;
    st.store.set_star_rules(&r, &actor(user)).await?;
    rules(st, user).await
}

pub async fn set_points_rules(st: &AppState, user: &User, r: PointsRules) -> ApiResult<RulesView> {
    may_set_rules(user)?;
    r.check().map_err(domain_error)?;
    st.store.set_points_rules(&r, &actor(user)).await?;
    rules(st, user).await
}
