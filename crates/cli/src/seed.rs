//! Seeding the demo city into an empty database, through the same store calls as imports,
//! and one demo account per role.

use anyhow::Context;
use gongzhi_demo::DemoCity;
use gongzhi_domain::access::{Role, Scope};
use gongzhi_geo::geojson_io::geometry_of;
use gongzhi_store::records::GridRecord;
use gongzhi_store::{AccountDraft, Actor, Store};
use std::time::Instant;

/// Seeds when the database holds no areas yet; otherwise leaves it alone.
pub async fn seed_if_empty(store: &Store, households: usize) -> anyhow::Result<()> {
    if !store.areas().await?.is_empty() {
        eprintln!(
            "数据库已有数据，跳过演示数据生成 / the database is not empty; demo seeding skipped"
        );
        return Ok(());
    }
    eprintln!("正在生成演示城市 / generating the demo city ({households} households)…");
    let city = tokio::task::spawn_blocking(move || {
        gongzhi_demo::generate(households, gongzhi_demo::DEFAULT_SEED)
    })
    .await?;
    store_city(store, &city).await?;
    create_demo_accounts(store, &city).await
}

/// Writes a generated city through the same store calls as imports.
pub async fn store_city(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
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
    store.import_households(&city.households).await?;
    store.import_residents(&city.residents).await?;
    store.import_places(&city.places).await?;
    eprintln!(
        "演示城市已写入 / demo city stored: {} areas, {} grids, {} buildings, {} households, {} residents, {} departments, {} places in {:.1}s",
        city.areas.len(),
        city.grids.len(),
        city.buildings.len(),
        city.households.len(),
        city.residents.len(),
        city.departments.len(),
        city.places.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One demo account per role, scoped to the city's first district, street, community, grid
/// and department.
pub async fn create_demo_accounts(store: &Store, city: &DemoCity) -> anyhow::Result<()> {
    let district = city
        .areas
        .iter()
        .find(|a| a.code.level() == gongzhi_domain::codes::AreaLevel::District)
        .context("demo district")?;
    let street = city
        .areas
        .iter()
        .find(|a| a.code.level() == gongzhi_domain::codes::AreaLevel::Street)
        .context("demo street")?;
    let community = city
        .areas
        .iter()
        .find(|a| {
            a.code.level() == gongzhi_domain::codes::AreaLevel::Community
                && street.code.contains(&a.code)
        })
        .context("demo community")?;
    let grid = city
        .grids
        .iter()
        .find(|g| g.code.community() == community.code)
        .context("demo grid")?;
    let department = city.departments.first().context("demo department")?;
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
            "resident",
            "居民张三",
            Role::Resident,
            Scope::SelfOnly,
            false,
        ),
    ];
    let shared = std::env::var("GONGZHI_DEMO_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty());
    println!("演示账号（仅供演示）/ demo accounts (for demos only):");
    println!("  用户名 user   角色 role      密码 password          范围 scope");
    for (username, name, role, scope, can_unmask) in accounts {
        let password = shared.clone().unwrap_or_else(random_password);
        let draft = AccountDraft {
            username: username.to_string(),
            display_name: name.to_string(),
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

/// 12 characters from an alphabet without look-alikes, with at least one digit.
fn random_password() -> String {
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
