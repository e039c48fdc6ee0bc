//! Seeding the demo city into an empty database, through the same store calls as imports:
//! the city, 90 days of cases ending now on the bulk path (the living demo), one demo account
//! per role scoped where the cases are liveliest, and one per department that has cases.

use anyhow::Context;
use gongzhi_demo::DemoCity;
use gongzhi_domain::access::{Role, Scope};
use gongzhi_geo::geojson_io::geometry_of;
use gongzhi_server::config::ServerConfig;
use gongzhi_store::records::GridRecord;
use gongzhi_store::{AccountDraft, Actor, Store};
use std::time::Instant;

/// Households or residents written per transaction.
const POPULATION_SLICE: usize = 5_000;

/// Days of cases in the living demo, ending now.
pub const DEMO_DAYS: u32 = 90;

/// Cases of the living demo for a city of `households`: about one case a quarter for every
/// eight households, never fewer than the demo needs to show every state in every street.
pub fn demo_cases(households: usize) -> u64 {
    (households as u64 / 8).clamp(3_000, 12_000)
}

/// Seeds when the database holds no areas yet; otherwise leaves it alone. The city's map,
/// departments and buildings, its cases and the demo accounts are written first; the
/// population (the slow part: every 身份证号 sealed) is written now, or — with
/// `population_later` — returned for the caller to write while the server already serves.
pub async fn seed_if_empty(
    store: &Store,
    config: &ServerConfig,
    households: usize,
    population_later: bool,
) -> anyhow::Result<Option<DemoCity>> {
    if !store.areas().await?.is_empty() {
        eprintln!(
            "数据库已有数据，跳过演示数据生成 / the database is not empty; demo seeding skipped"
        );
        return Ok(None);
    }
    eprintln!("正在生成演示城市 / generating the demo city ({households} households)…");
    let city = tokio::task::spawn_blocking(move || {
        gongzhi_demo::generate(households, gongzhi_demo::DEFAULT_SEED)
    })
    .await?;
    store_places(store, &city).await?;
    let resident = create_demo_resident(store).await?;
    crate::city::seed_recent_cases(
        store,
        config,
        demo_cases(households),
        DEMO_DAYS,
        Some(resident.0),
    )
    .await?;
    create_demo_accounts(store, &city, Some(resident)).await?;
    crate::cobuild_seed::seed(store).await?;
    crate::power_seed::seed(store).await?;
    // 应急 needs only the accounts and the cases: alive before the population follows.
    crate::emergency_seed::seed(&gongzhi_server::state(store.clone(), config).await?).await?;
    if population_later {
        return Ok(Some(city));
    }
    store_population(store, &city).await?;
    store_after_population(store, &city).await?;
    let state = gongzhi_server::state(store.clone(), config).await?;
    crate::red_grid::seed(&state).await?;
    crate::deliberation_seed::seed(&state).await?;
    crate::supervision_seed::seed(&state).await?;
    crate::conduct_seed::seed(&state).await?;
    Ok(None)
}

/// What hangs off the population: the party organisation and its members (residents), and
/// the modules built on them.
pub async fn store_after_population(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    crate::party_seed::store_party(store, city).await?;
    crate::party_life_seed::store_party_life(store).await?;
    // After the party members: a year of their assessment.
    crate::seed_party::seed_assessments(store).await?;
    crate::services_seed::seed(store).await
}

/// Writes a generated city through the same store calls as imports.
pub async fn store_city(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    store_places(store, city).await?;
    store_population(store, city).await
}

/// The map, the departments and the buildings: all that cases need.
async fn store_places(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    let started = Instant::now();
    store.upsert_areas(&city.areas).await?;
    for (code, boundary) in &city.community_boundaries {
        store
            .set_area_geometry(code, &geometry_of(boundary).to_string())
            .await?;
    }
    let grids: Vec<GridRecord> = city
        .grids
        .iter()
        .map(|g| GridRecord {
            code: g.code,
            name: g.name.clone(),
            geometry_geojson: geometry_of(&g.polygon).to_string(),
            area_m2: g.area_m2(),
        })
        .collect();
    store.import_grids(&grids).await?;
    store.upsert_departments(&city.departments).await?;
    store.import_buildings(&city.buildings).await?;
    store.import_places(&city.places).await?;
    crate::seed_party::seed_cadre_roster(store, city).await?;
    eprintln!(
        "演示城市地图已写入 / demo city map stored: {} areas, {} grids, {} buildings, {} departments, {} places in {:.1}s",
        city.areas.len(),
        city.grids.len(),
        city.buildings.len(),
        city.departments.len(),
        city.places.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The households and residents.
pub async fn store_population(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    let started = Instant::now();
    // In slices, so that a server already serving never waits long for the writer.
    let households = store.bulk().await?;
    for part in city.households.chunks(POPULATION_SLICE) {
        store.import_with(&households, part).await?;
    }
    // The households are all written: the residents' references are read once.
    let residents = store.bulk().await?;
    for part in city.residents.chunks(POPULATION_SLICE) {
        store.import_with(&residents, part).await?;
    }
    eprintln!(
        "演示人口已写入 / demo population stored: {} households, {} residents in {:.1}s",
        city.households.len(),
        city.residents.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The demo resident's account, made before the cases so that some of them are its own
/// reports: its id and password.
async fn create_demo_resident(store: &Store) -> anyhow::Result<(i64, String)> {
    let password = shared_password().unwrap_or_else(random_password);
    let draft = AccountDraft {
        username: "resident".into(),
        display_name: "居民张三".into(),
        role: Role::Resident,
        scope: Scope::SelfOnly,
        can_unmask: false,
        password: password.clone(),
        is_demo: true,
    };
    Ok((
        store.create_account(&draft, &Actor::SYSTEM).await?,
        password,
    ))
}

pub(crate) fn shared_password() -> Option<String> {
    std::env::var("GONGZHI_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
}

/// One demo account per role, scoped to the grid whose cases are in the most states (its
/// community, street and district; the first ones when there are no cases yet) and to the
/// department with the most states; then one account per department that has cases. The
/// resident's account, when made already, is only listed.
pub async fn create_demo_accounts(
    store: &Store,
    city: &DemoCity,
    resident: Option<(i64, String)>,
) -> anyhow::Result<()> {
    let liveliest = store.liveliest_grid().await?;
    let grid = city
        .grids
        .iter()
        .find(|g| Some(g.code.as_str()) == liveliest.as_deref())
        .or_else(|| city.grids.first())
        .context("demo grid")?;
    let area = |code: Option<gongzhi_domain::codes::AreaCode>, what: &'static str| {
        city.areas
            .iter()
            .find(|a| Some(a.code) == code)
            .context(what)
    };
    let community = area(Some(grid.code.community()), "demo community")?;
    let street = area(community.code.parent(), "demo street")?;
    let district = area(street.code.parent(), "demo district")?;
    let liveliest = store.liveliest_department().await?;
    let department = city
        .departments
        .iter()
        .find(|d| Some(&d.code) == liveliest.as_ref())
        .or_else(|| city.departments.first())
        .context("demo department")?;
    let with_cases = store.departments_with_cases().await?;
    let per_department: Vec<(String, String, Role, Scope, bool)> = city
        .departments
        .iter()
        .filter(|d| with_cases.contains(&d.code))
        .map(|d| {
            (
                department_login(&d.code),
                format!("{}科员", d.name),
                Role::Department,
                Scope::Department(d.code.clone()),
                false,
            )
        })
        .collect();
    let accounts = [
        ("admin", "系统管理员", Role::Admin, Scope::All, true),
        (
            "district",
            format!("{}干部", district.name).leak() as &str,
            Role::District,
            Scope::Area(district.code),
            false,
        ),
        (
            "street",
            format!("{}干部", street.name).leak(),
            Role::Street,
            Scope::Area(street.code),
            false,
        ),
        (
            "community",
            format!("{}社工", community.name).leak(),
            Role::Community,
            Scope::Area(community.code),
            true,
        ),
        (
            "grid",
            format!("{}网格员", grid.name).leak(),
            Role::GridWorker,
            Scope::Grid(grid.code),
            false,
        ),
        (
            "centre",
            format!("{}便民服务中心工作人员", community.name).leak(),
            Role::CentreStaff,
            Scope::Area(community.code),
            false,
        ),
        (
            "department",
            format!("{}科员", department.name).leak(),
            Role::Department,
            Scope::Department(department.code.clone()),
            false,
        ),
        (
            "party",
            format!("{}党工委", street.name).leak(),
            Role::PartyOrg,
            Scope::Area(street.code),
            false,
        ),
        (
            "supervisor",
            "区纪委监督员",
            Role::Supervisor,
            Scope::All,
            false,
        ),
        (
            // A second supervisor, of the street's discipline working committee (纪工委): the
            // investigations it is not assigned to show it no reporter.
            "inspector",
            format!("{}纪工委监督员", street.name).leak(),
            Role::Supervisor,
            Scope::Area(street.code),
            false,
        ),
        (
            "resident",
            "居民张三",
            Role::Resident,
            Scope::SelfOnly,
            false,
        ),
    ]
    .map(|(u, n, r, s, m)| (u.to_string(), n.to_string(), r, s, m));
    let shared = shared_password();
    println!("演示账号（仅供演示）/ demo accounts (for demos only):");
    println!("  用户名 user   角色 role      密码 password          范围 scope");
    for (username, name, role, scope, can_unmask) in accounts.into_iter().chain(per_department) {
        if let Some((_, password)) = resident.as_ref().filter(|_| username == "resident") {
            println!(
                "  {:<12} {:<12} {:<20} {}",
                username,
                role.as_str(),
                password,
                gongzhi_store::scope_to_db(&scope)
            );
            continue;
        }
        let password = shared.clone().unwrap_or_else(random_password);
        let draft = AccountDraft {
            username: username.clone(),
            display_name: name,
            role,
            scope: scope.clone(),
            can_unmask,
            password: password.clone(),
            is_demo: true,
        };
        store.create_account(&draft, &Actor::SYSTEM).await?;
        println!(
            "  {:<12} {:<12} {:<20} {}",
            username,
            role.as_str(),
            password,
            gongzhi_store::scope_to_db(&scope)
        );
    }
    Ok(())
}

/// A department's demo login: `dept-` and its code in lower case (`dept-cg`, `dept-pcs-pj`).
pub fn department_login(code: &str) -> String {
    format!("dept-{}", code.to_lowercase())
}

/// 12 characters from an alphabet without look-alikes, with at least one digit.
pub(crate) fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    loop {
        let mut bytes = [0u8; 12];
        getrandom::fill(&mut bytes).expect("operating system random source");
        let p: String = bytes
            .iter()
            .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
            .collect();
        if p.chars().any(|c| c.is_ascii_digit()) && p.chars().any(|c| c.is_ascii_alphabetic()) {
            return p;
        }
    }
}
