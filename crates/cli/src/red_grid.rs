//! The living demo's red grid, once the population is stored: roles for every grid, 5–10
//! households per red grid member (gaps left on purpose), weeks of visit diaries with
//! mediations, and the visits that raised cases — filed through the same intake as every
//! report, those older than two weeks handled and closed since. The red grid members' accounts
//! are listed with the other demo accounts (`red` in the demo grid).

use gongzhi_demo::red_grid::{DEMO_RED_MEMBER, PlanGrid, plan};
use gongzhi_domain::access::{Principal, Role, Scope};
use gongzhi_domain::calendar::{DAY_MS, date_of};
use gongzhi_domain::case::{Actor, Command};
use gongzhi_domain::codes::GridCode;
use gongzhi_server::AppState;
use gongzhi_server::auth::{User, Via};
use gongzhi_server::red_grid::ops::{RaiseInput, raise_case_at};
use gongzhi_store::{EventActor, RedGridFilter, now_millis};
use std::time::Instant;

/// Cases raised more than this long ago have been handled and closed since.
const HANDLED_AFTER_MS: i64 = 14 * DAY_MS;

/// Seeds the red grid unless the database has grid roles already.
pub async fn seed(st: &AppState) -> anyhow::Result<()> {
    let store = &st.store;
    if !store
        .grid_roles(&RedGridFilter::default(), false)
        .await?
        .is_empty()
    {
        return Ok(());
    }
    let started = Instant::now();
    let households = store.household_ids_by_grid().await?;
    let grids: Vec<PlanGrid> = store
        .grids()
        .await?
        .into_iter()
        .map(|g| PlanGrid {
            households: households
                .get(&g.code)
                .map(|h| h.iter().map(|(id, _)| *id).collect())
                .unwrap_or_default(),
            code: g.code,
            name: g.name,
        })
        .collect();
    let Some(demo_grid) = demo_grid(store, &grids).await? else {
        return Ok(());
    };
    let members = store.party_members_by_grid().await?;
    let now = now_millis();
    let p = plan(
        &grids,
        &members,
        demo_grid,
        date_of(now),
        gongzhi_demo::DEFAULT_SEED,
    );
    let password = crate::seed::shared_password().unwrap_or_else(crate::seed::random_password);
    let by = EventActor {
        account_id: None,
        name: "演示数据".into(),
    };
    let (accounts, visits) = store
        .seed_red_grid(&p.accounts, &password, &p.roles, &p.links, &p.visits, &by)
        .await?;
    println!("红色网格员演示账号（仅供演示）/ red grid member demo accounts (for demos only):");
    println!(
        "  {:<12} {:<12} {:<20} {}",
        DEMO_RED_MEMBER,
        Role::RedMember.as_str(),
        password,
        gongzhi_store::scope_to_db(&Scope::Grid(demo_grid))
    );
    println!(
        "  red-<网格编码>-<序号> / red-<grid>-<n>: {} 个其他红色网格员账号，密码同上 / more red grid members, same password",
        accounts.len().saturating_sub(1)
    );
    let mut raised = 0usize;
    let mut handled = 0usize;
    for c in &p.cases {
        let v = &p.visits[c.visit];
        let Some(account) = store.account(accounts[v.visitor]).await? else {
            continue;
        };
        let user = User {
            account,
            via: Via::Token,
            csrf: None,
            token_id: None,
            unread: 0,
        };
        let raise = RaiseInput {
            category: c.category.to_string(),
            description: None,
        };
        match raise_case_at(st, &user, visits[c.visit], raise, v.at, false).await {
            Ok(filed) => {
                raised += 1;
                if now - v.at > HANDLED_AFTER_MS && handle(st, &filed.case, v.at).await {
                    handled += 1;
                }
            }
            Err(e) => tracing::warn!(error = %e.body.message_en, "demo visit's case not raised"),
        }
    }
    eprintln!(
        "演示红色网格已写入 / demo red grid stored: {} roles, {} links, {} visits, {} cases raised ({} closed) in {:.1}s",
        p.roles.len(),
        p.links.len(),
        p.visits.len(),
        raised,
        handled,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The grid of the demo's `grid` account (the liveliest), when it has households to serve;
/// else the grid of its community with the most, else the city's.
async fn demo_grid(
    store: &gongzhi_store::Store,
    grids: &[PlanGrid],
) -> anyhow::Result<Option<GridCode>> {
    let liveliest = store
        .liveliest_grid()
        .await?
        .and_then(|g| GridCode::parse(&g).ok());
    let most = |keep: &dyn Fn(&PlanGrid) -> bool| {
        grids
            .iter()
            .filter(|g| keep(g))
            .max_by_key(|g| g.households.len())
            .filter(|g| !g.households.is_empty())
            .map(|g| g.code)
    };
    Ok(match liveliest {
        Some(l) if grids.iter().any(|g| g.code == l && g.households.len() >= 3) => Some(l),
        Some(l) => most(&|g| g.code.community() == l.community()).or_else(|| most(&|_| true)),
        None => most(&|_| true),
    })
}

/// Handles and closes a raised case as its department (or community) and community would
/// have in the days after the visit; says whether it closed.
pub(crate) async fn handle(st: &AppState, case: &gongzhi_store::CaseRow, at: i64) -> bool {
    let Some(community) = case.case.community else {
        return false;
    };
    let staff = |role, scope| {
        Actor::account(Principal {
            account_id: 0,
            role,
            scope,
            can_unmask: false,
        })
    };
    let locality = staff(Role::Community, Scope::Area(community));
    let handler = match &case.case.department {
        Some(d) => staff(Role::Department, Scope::Department(d.clone())),
        None => locality.clone(),
    };
    let label = |name: &str| EventActor {
        account_id: None,
        name: name.into(),
    };
    let steps = [
        (&handler, "承办人员", Command::Start, DAY_MS),
        (
            &handler,
            "承办人员",
            Command::ReportBack {
                note: "已上门处理，居民认可".into(),
            },
            3 * DAY_MS,
        ),
        (
            &locality,
            "社区网格员",
            Command::Verify {
                passed: true,
                note: "现场核实已解决".into(),
            },
            4 * DAY_MS,
        ),
        (
            &locality,
            "社区网格员",
            Command::Close,
            4 * DAY_MS + 3_600_000,
        ),
    ];
    for (who, name, cmd, after) in steps {
        let r = gongzhi_server::app::command(st, case.id, None, who, &label(name), cmd, at + after)
            .await;
        if let Err(e) = r {
            tracing::warn!(case = case.id, error = ?e, "demo visit's case not handled");
            return false;
        }
    }
    true
}
