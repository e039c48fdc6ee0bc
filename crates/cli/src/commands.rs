//! The subcommands. Each parses its arguments and calls one library operation.

use crate::context::{DataOpts, open_store};
use crate::{backup, cadre_roster, calendar, city, seed};
use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use gongzhi_domain::access::Lifetime;
use gongzhi_server::imports::{DataKind, ExportRegion};
use gongzhi_store::Actor;
use indicatif::{ProgressBar, ProgressStyle};
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "gongzhi",
    version,
    about = "共治 gongzhi — 党建引领社区治理平台 / party-building-led community governance platform",
    long_about = "共治 gongzhi — 党建引领社区治理平台。一个程序：网格、人口、账号与权限、网页与 API。\n\
                  One binary: grids, population, accounts and roles, web pages and API.\n\n\
                  Environment: GONGZHI_DATABASE_URL, GONGZHI_LISTEN, GONGZHI_DATA_DIR, GONGZHI_MASTER_KEY,\n\
                  GONGZHI_DEMO_PASSWORD (demo accounts only)."
)]
pub struct Cli {
    #[command(flatten)]
    pub data: DataOpts,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// 启动服务 Serve the web pages and the API
    Serve {
        /// Address to listen on [default: 127.0.0.1:8080]
        #[arg(long, env = "GONGZHI_LISTEN")]
        listen: Option<SocketAddr>,
        /// Seed the demo city when the database is empty (creates a key file if there is no key)
        #[arg(long)]
        demo: bool,
        /// Cookies only over https (Secure, __Host- session cookie, HSTS) [default: true,
        /// except on a loopback address or with --demo]
        #[arg(long, env = "GONGZHI_SECURE_COOKIES", value_parser = parse_bool)]
        secure_cookies: Option<bool>,
        /// Reverse proxies (comma-separated IP addresses) whose X-Forwarded-For names the
        /// client, for the per-address limits [default: none]
        #[arg(long, env = "GONGZHI_TRUSTED_PROXIES")]
        trusted_proxies: Option<String>,
        /// A map tile service drawn under our own layers, e.g.
        /// 'https://t{s}.tianditu.gov.cn/vec_w/wmts?…&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=…'
        /// [default: none — the maps draw only the grids, roads and names we hold]
        #[arg(long, env = "GONGZHI_TILE_URL")]
        tile_url: Option<String>,
        /// Attribution shown for the tile service, e.g. 天地图
        #[arg(long, env = "GONGZHI_TILE_ATTRIBUTION")]
        tile_attribution: Option<String>,
    },
    /// 生成演示城市 Seed the demo city without serving
    Demo {
        /// Households to generate (2–4 residents each) [default: 50000; 2000000 with --scale city]
        #[arg(long)]
        households: Option<usize>,
        /// district: 姑苏区, 432 grids; city: 苏州市, ten districts, ≥ --grids grids
        #[arg(long, default_value = "district", value_parser = ["district", "city"])]
        scale: String,
        /// Grids of the city (with --scale city; whole streets of 144)
        #[arg(long, default_value_t = gongzhi_demo::CITY_GRIDS)]
        grids: usize,
        /// Cases to generate over the year before today, on the bulk path
        #[arg(long, default_value_t = 0)]
        cases: u64,
    },
    /// 导入 Import areas, grids and place names (.geojson), departments, buildings, households, residents, compounds (小区), the community cadre roster (cadres: 姓名,性别,出生日期,学历,职务,所属社区,任职日期) (.xlsx/.csv), or next year's working-day calendar (calendar: date,kind,name CSV)
    Import {
        /// areas | grids | places | departments | buildings | households | residents | compounds | cadres | calendar
        kind: String,
        file: PathBuf,
        /// Accept grids that leave gaps inside their community (overlaps are always refused)
        #[arg(long)]
        allow_gaps: bool,
    },
    /// 导出 Export KIND to FILE (.xlsx, .csv, grids and places as .geojson); `export template KIND FILE` writes an empty template
    Export {
        /// areas | grids | places | departments | buildings | households | residents | compounds | template
        kind: String,
        /// Output file (or, after `template`, the kind)
        file: String,
        /// Output file after `template KIND`
        template_file: Option<PathBuf>,
        /// Only this area (any level)
        #[arg(long)]
        area: Option<String>,
        /// Only this grid
        #[arg(long)]
        grid: Option<String>,
    },
    /// 令牌 API tokens for machine clients
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
    /// Open311 API 密钥 / API keys for Open311 clients (`api_key`)
    Apikey {
        #[command(subcommand)]
        action: ApikeyAction,
    },
    /// 账号 Accounts (e.g. the first administrator of a new installation)
    Account {
        #[command(subcommand)]
        action: AccountAction,
    },
    /// 备份 A consistent online copy of the SQLite database and the data dir, as a .tar file
    Backup {
        #[arg(long)]
        to: PathBuf,
    },
    /// 恢复 Restore a backup into the data dir (stop the server first)
    Restore {
        #[arg(long)]
        from: PathBuf,
        /// Replace an existing database in the data dir
        #[arg(long)]
        force: bool,
    },
    /// 核验账本 Verify the ledger: a served log as an outside client (--url), or else this database against its signed log
    Verify {
        /// The server (or its /ledger prefix) to check as an outside client
        #[arg(long)]
        url: Option<String>,
        /// The log's verifier key (name+keyid+base64, or a file holding it) [default: the server's /ledger/vkey, or this installation's key]
        #[arg(long)]
        vkey: Option<String>,
        /// A signed checkpoint saved earlier: the log must extend it (with --url)
        #[arg(long)]
        checkpoint: Option<PathBuf>,
        /// A receipt (tlog-proof, or the receipt API's JSON) to check (with --url)
        #[arg(long)]
        receipt: Option<PathBuf>,
        /// After a clean database check, write the checkpoint, tiles and entry bundles here as static files
        #[arg(long)]
        export_tiles: Option<PathBuf>,
    },
    /// 汇总 The rollup cube of the dashboards: rebuild it, or fold a benchmark's synthetic year into it
    Cube {
        #[command(subcommand)]
        action: crate::cube::CubeAction,
    },
    /// 存储统计 Storage by table (rows, bytes with indexes) and bytes per case
    Stats,
    /// 查询索引 The search index: `search rebuild` reads everything into it again
    Search {
        #[command(subcommand)]
        action: SearchAction,
    },
}

#[derive(Subcommand, Debug)]
pub enum TokenAction {
    /// Issue a bearer token acting as an account; printed once
    Create {
        #[arg(long)]
        account: String,
        /// A label to recognise the token by
        #[arg(long, default_value = "cli")]
        name: String,
        /// Days until the token expires (1–1095)
        #[arg(long, default_value_t = Lifetime::API_TOKEN_DEFAULT.get_days())]
        days: u32,
    },
    /// List live tokens (id, account, label, expiry); never the tokens themselves
    List {
        /// Only this account's
        #[arg(long)]
        account: Option<String>,
    },
    /// Revoke a token by id, or every token of an account
    Revoke {
        #[arg(long, conflicts_with = "account", required_unless_present = "account")]
        id: Option<i64>,
        #[arg(long)]
        account: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ApikeyAction {
    /// Issue a key for an Open311 client; printed once
    Create {
        /// Who the key is for, e.g. the 12345 hotline system
        #[arg(long)]
        name: String,
        /// Days until the key expires (1–1095)
        #[arg(long, default_value_t = Lifetime::API_KEY_DEFAULT.get_days())]
        days: u32,
    },
    /// List live keys (id, client, expiry); never the keys themselves
    List,
    /// Revoke a key by id
    Revoke {
        #[arg(long)]
        id: i64,
    },
}

fn parse_bool(v: &str) -> Result<bool, String> {
    gongzhi_server::config::parse_bool(v).ok_or_else(|| format!("expected true or false, got {v}"))
}

fn lifetime(days: u32) -> anyhow::Result<Lifetime> {
    use gongzhi_domain::Bilingual;
    Lifetime::days(days).map_err(|e| anyhow::anyhow!("{} / {}", e.message_zh(), e.message_en()))
}

fn date_of(ms: i64) -> String {
    gongzhi_server::time::local(ms)
}

#[derive(Subcommand, Debug)]
pub enum AccountAction {
    /// Create an account
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: Option<String>,
        /// admin | district | street | community | grid_worker | red_member | centre_staff | department | party_org | supervisor | resident
        #[arg(long)]
        role: String,
        /// all | area:CODE | grid:CODE | department:CODE | self
        #[arg(long)]
        scope: String,
        /// May see full 身份证号 and phone numbers (each read is logged)
        #[arg(long)]
        can_unmask: bool,
        /// Password; read from GONGZHI_NEW_PASSWORD when not given
        #[arg(long, env = "GONGZHI_NEW_PASSWORD")]
        password: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum SearchAction {
    /// Drop the index (in the data dir, or `search_dir`) and read every case, place,
    /// department, notice and power item into it again; stop the server first
    Rebuild,
}

/// The rows of a CSV file by its line breaks (exact unless cells hold line breaks), so that the
/// bar has a length and an ETA; `None` for a workbook, whose reader tells its rows itself.
fn csv_rows(path: &std::path::Path) -> Option<u64> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut buf = vec![0u8; 1 << 16];
    let n = file.read(&mut buf).ok()?;
    if gongzhi_sheets::Format::sniff(&buf[..n]) != gongzhi_sheets::Format::Csv {
        return None;
    }
    let mut lines = buf[..n].iter().filter(|&&b| b == b'\n').count();
    loop {
        let n = file.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
    }
    Some(lines.saturating_sub(1) as u64)
}

pub(crate) fn bar(len: Option<u64>, what: &str) -> ProgressBar {
    let pb = match len {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    pb.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({per_sec}, {eta})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    pb.set_message(what.to_string());
    pb
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.data.config()?;
    match cli.command {
        Command::Serve {
            listen,
            demo,
            secure_cookies,
            trusted_proxies,
            tile_url,
            tile_attribution,
        } => {
            let mut config = config;
            if let Some(url) = tile_url {
                let attribution = tile_attribution
                    .or_else(|| config.tiles.as_ref().map(|t| t.attribution.clone()))
                    .unwrap_or_default();
                config.tiles = Some(
                    gongzhi_server::tiles::TileLayer::parse(&url, &attribution)
                        .map_err(|e| anyhow::anyhow!("--tile-url: {e}"))?,
                );
            } else if let (Some(a), Some(t)) = (tile_attribution, config.tiles.as_mut()) {
                t.attribution = a;
            }
            if let Some(l) = listen {
                config.listen = l;
            }
            config.demo = demo;
            if secure_cookies.is_some() {
                config.secure_cookies = secure_cookies;
            }
            if let Some(p) = trusted_proxies {
                config.trusted_proxies = gongzhi_server::throttle::TrustedProxies::parse(&p)
                    .map_err(|e| anyhow::anyhow!("--trusted-proxies: {e}"))?;
            }
            if config.cookies_secure() {
                // Browsers drop Secure cookies on plain http: say so, or a LAN install behind
                // no TLS would only show that logging in never sticks.
                eprintln!(
                    "Cookie 仅经 HTTPS 发送（Secure、__Host-、HSTS）；若以 http 提供服务，请加 --secure-cookies=false / cookies are https-only (Secure, __Host-, HSTS); serving plain http, pass --secure-cookies=false"
                );
            } else if !(config.listen.ip().is_loopback() || demo) {
                eprintln!(
                    "注意：Cookie 未设置 Secure，仅应在可信内网中使用 / warning: cookies are not Secure; serve over https or on a trusted network only"
                );
            }
            let store = open_store(&config, demo).await?;
            let population = if demo {
                seed::seed_if_empty(&store, &config, gongzhi_demo::DEFAULT_HOUSEHOLDS, true).await?
            } else {
                None
            };
            let state = gongzhi_server::state(store.clone(), &config).await?;
            gongzhi_server::spawn_jobs(&state);
            if let Some(city) = population {
                // The work pages are alive already; the population follows while serving, and
                // the red grid once its households are there.
                let seeding = state.clone();
                tokio::spawn(async move {
                    if let Err(e) = seed::store_population(&store, &city).await {
                        tracing::error!(error = %e, "demo population not stored");
                        return;
                    }
                    if let Err(e) = seed::store_after_population(&store, &city).await {
                        tracing::error!(error = %e, "demo party organisation not stored");
                        return;
                    }
                    if let Err(e) = crate::red_grid::seed(&seeding).await {
                        tracing::error!(error = %e, "demo red grid not stored");
                    }
                    if let Err(e) = crate::deliberation_seed::seed(&seeding).await {
                        tracing::error!(error = %e, "demo deliberation not stored");
                    }
                    if let Err(e) = crate::supervision_seed::seed(&seeding).await {
                        tracing::error!(error = %e, "demo supervision not stored");
                    }
                    if let Err(e) = crate::conduct_seed::seed(&seeding).await {
                        tracing::error!(error = %e, "demo misconduct reports not stored");
                    }
                });
            }
            gongzhi_server::serve(state, config.listen, |addr| {
                eprintln!("共治 gongzhi 已启动 / serving on http://{addr}");
            })
            .await?;
            Ok(())
        }
        Command::Demo {
            households,
            scale,
            grids,
            cases,
        } => {
            let store = open_store(&config, true).await?;
            if scale == "city" {
                let households = households.unwrap_or(gongzhi_demo::CITY_HOUSEHOLDS);
                city::seed_city_if_empty(&store, grids, households).await?;
            } else {
                let households = households.unwrap_or(gongzhi_demo::DEFAULT_HOUSEHOLDS);
                seed::seed_if_empty(&store, &config, households, false).await?;
            }
            city::seed_cases(&store, &config, cases).await?;
            Ok(())
        }
        Command::Import {
            kind,
            file,
            allow_gaps,
        } => {
            if calendar::is_calendar(&kind) {
                return calendar::import(&config, &file).await;
            }
            if cadre_roster::is_cadres(&kind) {
                return cadre_roster::import(&config, &file).await;
            }
            let kind = DataKind::parse(&kind)
                .map_err(|e| anyhow::anyhow!("{} / {}", e.body.message, e.body.message_en))?;
            let store = open_store(&config, false).await?;
            let pb = bar(csv_rows(&file), "导入 importing");
            let pb2 = pb.clone();
            let progress = move |done: usize, total: Option<usize>| {
                if let Some(t) = total {
                    pb2.set_length(t as u64);
                }
                pb2.set_position(done as u64);
            };
            let result = match kind {
                // Sheets stream from the file: a million rows are never in memory at once.
                DataKind::Sheet(sheet) => {
                    gongzhi_server::imports::import_sheet_file(&store, sheet, &file, progress).await
                }
                _ => {
                    let bytes = std::fs::read(&file)
                        .with_context(|| format!("reading {}", file.display()))?;
                    gongzhi_server::imports::import(
                        &store,
                        None,
                        gongzhi_server::imports::Region::Anywhere,
                        kind,
                        bytes,
                        allow_gaps,
                        progress,
                    )
                    .await
                }
            };
            pb.finish_and_clear();
            match result {
                Ok(done) => {
                    store
                        .record_audit(
                            &Actor::SYSTEM,
                            "import",
                            kind.as_str(),
                            &format!("{} records from {}", done.count, file.display()),
                        )
                        .await?;
                    println!("已导入 imported {} {} records", done.count, kind.as_str());
                    for (zh, en) in done.notes_zh.iter().zip(&done.notes_en) {
                        println!("  注意 note: {zh} / {en}");
                    }
                    Ok(())
                }
                Err(e) => {
                    eprintln!("导入被拒绝，未写入任何数据 / import refused, nothing was written");
                    eprintln!("{}\n{}", e.body.message, e.body.message_en);
                    for r in &e.body.rows {
                        eprintln!(
                            "  第{}行 row {} · {} · {} / {}",
                            r.row, r.row, r.column, r.message, r.message_en
                        );
                    }
                    bail!("import refused ({})", e.body.code)
                }
            }
        }
        Command::Export {
            kind,
            file,
            template_file,
            area,
            grid,
        } => {
            if kind == "template" {
                let k = gongzhi_sheets::Kind::parse(&file).map_err(|e| anyhow::anyhow!("{e}"))?;
                let out = template_file.context("usage: gongzhi export template KIND FILE")?;
                std::fs::write(
                    &out,
                    gongzhi_sheets::template(k).map_err(|e| anyhow::anyhow!("{e}"))?,
                )?;
                println!("已写出模板 wrote template {}", out.display());
                return Ok(());
            }
            let kind = DataKind::parse(&kind)
                .map_err(|e| anyhow::anyhow!("{} / {}", e.body.message, e.body.message_en))?;
            let out = PathBuf::from(file);
            // The file's extension says what is written; a mismatch is refused, never a
            // workbook saved under a .geojson name.
            let ext = out
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let geo = matches!(kind, DataKind::Grids | DataKind::Places);
            let format = match (geo, ext.as_str()) {
                (true, "geojson" | "json") | (false, "xlsx") => gongzhi_sheets::Format::Xlsx,
                (false, "csv") => gongzhi_sheets::Format::Csv,
                (true, _) => anyhow::bail!(
                    "网格和地名地址导出为 .geojson 文件 / grids and places are exported as .geojson: {}",
                    out.display()
                ),
                (false, _) => anyhow::bail!(
                    "请用 .xlsx 或 .csv 文件名导出 / export to a .xlsx or .csv file name: {}",
                    out.display()
                ),
            };
            let region = ExportRegion {
                area: area
                    .map(|a| gongzhi_domain::codes::AreaCode::parse(&a))
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("--area: {e}"))?,
                grid: grid
                    .map(|g| gongzhi_domain::codes::GridCode::parse(&g))
                    .transpose()
                    .map_err(|e| anyhow::anyhow!("--grid: {e}"))?,
            };
            let store = open_store(&config, false).await?;
            let exported = gongzhi_server::imports::export(&store, kind, region, format)
                .await
                .map_err(|e| anyhow::anyhow!("{} / {}", e.body.message, e.body.message_en))?;
            std::fs::write(&out, exported.bytes)?;
            store
                .record_audit(
                    &Actor::SYSTEM,
                    "export",
                    kind.as_str(),
                    &format!("{} rows={}", out.display(), exported.rows),
                )
                .await?;
            println!("已导出 exported {} to {}", kind.as_str(), out.display());
            Ok(())
        }
        Command::Apikey { action } => {
            let store = open_store(&config, false).await?;
            match action {
                ApikeyAction::Create { name, days } => {
                    let key = store.create_api_key(&name, lifetime(days)?).await?;
                    store
                        .record_audit(
                            &Actor::SYSTEM,
                            "apikey.create",
                            &name,
                            &format!("days={days}"),
                        )
                        .await?;
                    println!("{key}");
                    eprintln!(
                        "请妥善保存，密钥只显示这一次，{days}天后失效 / keep it safe: the key is shown only once and expires in {days} days (Open311 api_key)"
                    );
                }
                ApikeyAction::List => {
                    for k in store.api_keys().await? {
                        println!("{}\t{}\t{}", k.id, k.name, date_of(k.expires_at));
                    }
                }
                ApikeyAction::Revoke { id } => {
                    store.revoke_api_key(id, &Actor::SYSTEM).await?;
                    println!("已吊销 revoked Open311 key {id}");
                }
            }
            Ok(())
        }
        Command::Token { action } => {
            let store = open_store(&config, false).await?;
            let account_id = |name: String| {
                let store = store.clone();
                async move {
                    store
                        .account_by_username(&name)
                        .await?
                        .map(|a| a.id)
                        .with_context(|| format!("账号不存在 no such account: {name}"))
                }
            };
            match action {
                TokenAction::Create {
                    account,
                    name,
                    days,
                } => {
                    let lifetime = lifetime(days)?;
                    let id = account_id(account).await?;
                    let token = store
                        .create_api_token(id, &name, lifetime, &Actor::SYSTEM)
                        .await?;
                    println!("{token}");
                    eprintln!(
                        "请妥善保存，令牌只显示这一次，{days}天后失效 / keep it safe: the token is shown only once and expires in {days} days (use as Authorization: Bearer …)"
                    );
                }
                TokenAction::List { account } => {
                    let only = match account {
                        Some(a) => Some(account_id(a).await?),
                        None => None,
                    };
                    for t in store.api_tokens(only).await? {
                        println!(
                            "{}\t{}\t{}\t{}",
                            t.id,
                            t.username,
                            t.name,
                            date_of(t.expires_at)
                        );
                    }
                }
                TokenAction::Revoke { id, account } => match (id, account) {
                    (Some(id), _) => {
                        store.revoke_api_token(id, &Actor::SYSTEM).await?;
                        println!("已吊销 revoked token {id}");
                    }
                    (None, Some(name)) => {
                        let n = store
                            .revoke_account_tokens(account_id(name.clone()).await?, &Actor::SYSTEM)
                            .await?;
                        println!("已吊销 revoked {n} token(s) of {name}");
                    }
                    (None, None) => bail!("--id 或 --account / give --id or --account"),
                },
            }
            Ok(())
        }
        Command::Account {
            action:
                AccountAction::Create {
                    username,
                    display_name,
                    role,
                    scope,
                    can_unmask,
                    password,
                },
        } => {
            let (role, scope) = gongzhi_server::http::api_admin::parse_role_scope(&role, &scope)
                .map_err(|e| anyhow::anyhow!("{} / {}", e.body.message, e.body.message_en))?;
            gongzhi_server::http::api_admin::check_password(&password)
                .map_err(|e| anyhow::anyhow!("{} / {}", e.body.message, e.body.message_en))?;
            let store = open_store(&config, false).await?;
            let draft = gongzhi_store::AccountDraft {
                display_name: display_name.unwrap_or_else(|| username.clone()),
                username,
                role,
                scope,
                can_unmask,
                password,
                is_demo: false,
            };
            let id = store.create_account(&draft, &Actor::SYSTEM).await?;
            println!("已创建账号 created account {} (id {id})", draft.username);
            Ok(())
        }
        Command::Cube { action } => {
            let store = open_store(&config, false).await?;
            crate::cube::run(&store, action).await
        }
        Command::Backup { to } => {
            let store = open_store(&config, false).await?;
            backup::backup(&store, &config.data_dir, &to).await?;
            println!("已备份 backed up to {}", to.display());
            Ok(())
        }
        Command::Restore { from, force } => {
            backup::restore(&from, &config.data_dir, force)?;
            println!("已恢复 restored into {}", config.data_dir.display());
            Ok(())
        }
        Command::Verify {
            url,
            vkey,
            checkpoint,
            receipt,
            export_tiles,
        } => {
            crate::verify::run(
                &config,
                crate::verify::VerifyArgs {
                    url,
                    vkey,
                    checkpoint,
                    receipt,
                    export_tiles,
                },
            )
            .await
        }
        Command::Stats => {
            let store = open_store(&config, false).await?;
            crate::stats::run(&store).await
        }
        Command::Search {
            action: SearchAction::Rebuild,
        } => {
            let store = open_store(&config, false).await?;
            let state = gongzhi_server::state(store, &config).await?;
            let started = std::time::Instant::now();
            let docs = state.inquiry.rebuild(&state).await?;
            println!(
                "已重建查询索引 rebuilt the search index: {docs} documents in {:.1} s ({})",
                started.elapsed().as_secs_f64(),
                config.search_dir().display()
            );
            Ok(())
        }
    }
}
