//! The frame around every page: navigation by what the user may do, language, CSRF token.

use crate::auth::User;
use crate::i18n::Lang;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use gongzhi_domain::access::{Action, List, Region, Target, is_staff, visible_region};

pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub active: bool,
    /// A count beside the label (unread notifications on 待办), with its spoken form.
    pub badge: Option<(i64, String)>,
}

pub struct Chrome {
    pub t: Lang,
    pub title: String,
    pub user_name: String,
    pub role_label: String,
    pub csrf: String,
    pub nav: Vec<NavItem>,
}

/// The target standing for "the caller's own part of the city", for menu decisions.
pub fn home_target(user: &User) -> Target {
    match visible_region(&user.principal()) {
        Region::Everything | Region::Nothing => Target::Everything,
        Region::Area(a) => Target::Area(a),
        Region::Grid(g) => Target::Grid(g),
    }
}

impl Chrome {
    pub fn new(t: Lang, user: &User, active: &str, title: &str) -> Chrome {
        let here = home_target(user);
        let may = |a: Action, target: &Target| user.may(a, target).is_ok();
        // Each list is in the menu when the policy lists something of it for the caller.
        let lists = |l: List| !user.listing(l).is_nothing();
        let staff = is_staff(&user.principal());
        let cadres = lists(List::Secondments) || lists(List::CommunityCheckIns);
        // A red grid member's red grid is its own households; staff see coverage.
        let red_grid = user.listing(List::RedGrid);
        let own_households = matches!(red_grid, gongzhi_domain::access::Listing::Linked(_));
        let items: [(&'static str, &'static str, &'static str, bool); 40] = [
            ("/", "工作台", "Dashboard", true),
            (
                "/red-grid/households",
                "我的联户",
                "My households",
                own_households,
            ),
            ("/inbox", "待办", "Inbox", staff && lists(List::Cases)),
            (
                "/patrol",
                "巡查上报",
                "Patrol report",
                staff && may(Action::ReportCase, &here),
            ),
            ("/cases", "案件", "Cases", lists(List::Cases)),
            (
                "/whistles",
                "吹哨报到",
                "Whistles",
                lists(List::WhistleBoard),
            ),
            ("/scorecards", "考核", "Scorecards", lists(List::Scorecards)),
            ("/cadres", "干部下沉", "Cadres", cadres),
            ("/party", "党组织", "Party", lists(List::PartyOrgs)),
            (
                "/compounds",
                "小区",
                "Compounds",
                lists(List::PartyOrgs) || may(Action::ViewHousehold, &here),
            ),
            // 找组织: a resident registers with their community's party organisation.
            (
                "/party/register",
                "党员找组织",
                "Register as a member",
                !staff,
            ),
            (
                "/party/meetings",
                "三会一课",
                "Party meetings",
                lists(List::PartyOrgs),
            ),
            (
                "/five-steps",
                "五步工作法",
                "Five steps",
                lists(List::PartyOrgs),
            ),
            (
                "/assessment",
                "党员考核",
                "Member assessment",
                lists(List::Assessments),
            ),
            (
                "/cadre-roster",
                "社区干部名册",
                "Community cadres",
                lists(List::CadreRoster),
            ),
            (
                "/red-grid",
                "红色网格",
                "Red grid",
                !red_grid.is_nothing() && !own_households,
            ),
            (
                "/red-grid/visits",
                "民情日记",
                "Visit diary",
                !red_grid.is_nothing(),
            ),
            (
                "/services",
                "服务中心",
                "Service centres",
                lists(List::ServiceCentres),
            ),
            (
                "/services/orders",
                "服务订单",
                "Service orders",
                lists(List::ServiceCentres),
            ),
            (
                "/cobuild",
                "契约化共建",
                "Co-build contracts",
                lists(List::CoBuildContracts),
            ),
            ("/notices", "公示栏", "Notice board", lists(List::Notices)),
            // 消极怠政: supervision's desk; anyone else files (a referral, a resident's own
            // report) and follows its own reports there.
            (
                "/conduct",
                "消极怠政举报",
                "Misconduct reports",
                lists(List::MisconductReports),
            ),
            (
                "/conduct/signals",
                "待复核线索",
                "Signals to review",
                crate::conduct::supervises(user),
            ),
            (
                "/conduct/stats",
                "问责统计",
                "Accountability statistics",
                crate::conduct::supervises(user),
            ),
            (
                "/power/manage",
                "权力清单",
                "Power lists",
                lists(List::PowerLists),
            ),
            (
                "/deliberation",
                "议事协商",
                "Deliberation",
                lists(List::Deliberations),
            ),
            (
                "/supervision",
                "督办",
                "Supervision",
                lists(List::Supervisions),
            ),
            (
                "/livelihood",
                "民生监督",
                "Livelihood supervision",
                lists(List::Livelihood),
            ),
            (
                "/rules",
                "派遣规则",
                "Dispatch rules",
                may(Action::DispatchCase, &here),
            ),
            (
                "/hotline",
                "热线导入",
                "Hotline import",
                may(Action::DispatchCase, &here),
            ),
            (
                "/areas",
                "区划网格",
                "Areas",
                may(Action::ViewGrid, &here) || may(Action::ViewArea, &here),
            ),
            (
                "/map",
                "网格地图",
                "Map",
                may(Action::ViewGrid, &here) || may(Action::ViewArea, &here),
            ),
            (
                "/households",
                "住户",
                "Households",
                may(Action::ViewHousehold, &here),
            ),
            (
                "/residents",
                "居民",
                "Residents",
                may(Action::ViewResident, &here),
            ),
            (
                "/import",
                "导入",
                "Import",
                may(Action::ImportPopulation, &here) || may(Action::ImportGeo, &here),
            ),
            (
                "/admin/accounts",
                "账号",
                "Accounts",
                may(Action::ManageAccounts, &Target::Everything),
            ),
            (
                "/admin/audit",
                "审计",
                "Audit",
                may(Action::ViewAuditLog, &Target::Everything),
            ),
            (
                "/emergencies",
                "应急指挥",
                "Emergencies",
                lists(List::Emergencies),
            ),
            // 诊断: findings from the case data, for those who see scorecards beyond their
            // own reports.
            (
                "/diagnosis",
                "诊断发现",
                "Diagnosis",
                crate::diagnosis::scope(user).is_ok(),
            ),
            // 查询: everyone finds at least the public notices and power items.
            ("/search", "查询", "Search", true),
        ];
        let nav = items
            .into_iter()
            .filter(|(_, _, _, shown)| *shown)
            .map(|(href, zh, en, _)| NavItem {
                href,
                label: t.s(zh, en),
                active: href == active,
                badge: (href == "/inbox" && user.unread > 0).then(|| {
                    let n = user.unread;
                    let spoken = match t {
                        Lang::Zh => format!("{n} 条未读通知"),
                        Lang::En => format!("{n} unread notifications"),
                    };
                    (n, spoken)
                }),
            })
            .collect();
        Chrome {
            t,
            title: title.to_string(),
            user_name: user.account.display_name.clone(),
            role_label: t
                .s(user.account.role.zh(), user.account.role.en())
                .to_string(),
            csrf: user.csrf.clone().unwrap_or_default(),
            nav,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Chrome,
    message: String,
}

/// Renders a template; a template error is a bug, logged and shown as a plain 500.
pub fn render(t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "template error").into_response()
        }
    }
}

/// An API error shown as a page in the user's language, with the same status code.
pub fn error_page(t: Lang, user: &User, err: crate::error::ApiError) -> Response {
    let title = t.s("无法完成", "Cannot do that");
    let message = if t.is_en() {
        err.body.message_en.clone()
    } else {
        err.body.message.clone()
    };
    let mut resp = render(&ErrorPage {
        c: Chrome::new(t, user, "", title),
        message,
    });
    *resp.status_mut() = err.status;
    crate::error::with_retry_after(resp)
}
